import { isPhoneDigits } from './phone-numbers.ts';
import type { Candidate } from './spans.ts';

/**
 * Voicemail transcripts often spell numbers out: "nine eight seven six five four three two",
 * "九八七六五四三二" (Cantonese and Mandarin), mixes like "9876 五四三二", and "double 8" / "孖八".
 * We read runs of digit units, turn each into a digit string, and keep the runs that are phone numbers.
 */

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4',
  five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};
const CHINESE_DIGITS: Readonly<Record<string, string>> = {
  零: '0', 〇: '0', 一: '1', 幺: '1', 么: '1', 二: '2', 三: '3', 四: '4',
  五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};
const REPEATERS: Readonly<Record<string, number>> = { double: 2, triple: 3, 孖: 2, 雙: 2, 双: 2 };

const DIGIT_UNIT = new RegExp(
  String.raw`(?:\b(double|triple)\s+|([孖雙双])\s*)?` +
    String.raw`(\d|[零〇一幺么二三四五六七八九]|\b(?:zero|oh|o|one|two|three|four|five|six|seven|eight|nine)\b)`,
  'iy',
);
/** What may sit between two digit units of one number: spaces, hyphens, and pauses Transcribe writes as commas. */
const UNIT_GAP = /[\s\-.,，、]*/y;
/** A pause inside a run that may also be where one number ends and unrelated words begin. */
const PAUSE = /[.,，、]/;

/** The longest phone number, +86 and a mainland mobile, is 13 digits: one unit each at most. */
const MAX_UNITS_IN_A_NUMBER = 13;

interface DigitUnit {
  start: number;
  end: number;
  digits: string;
  spoken: boolean;
  /** Whether the gap before this unit contains punctuation (a place to split the run). */
  afterPause: boolean;
}

function readUnit(text: string, at: number): DigitUnit | undefined {
  DIGIT_UNIT.lastIndex = at;
  const match = DIGIT_UNIT.exec(text);
  if (!match) return undefined;
  const [whole, englishRepeater, chineseRepeater, digitToken = ''] = match;
  const digit = /\d/.test(digitToken)
    ? digitToken
    : (CHINESE_DIGITS[digitToken] ?? DIGIT_WORDS[digitToken.toLowerCase()] ?? '');
  const repeater = (englishRepeater ?? chineseRepeater)?.toLowerCase();
  const times = repeater ? (REPEATERS[repeater] ?? 1) : 1;
  return {
    start: at,
    end: at + whole.length,
    digits: digit.repeat(times),
    spoken: !/^\d$/.test(whole),
    afterPause: false,
  };
}

/** The maximal run of digit units starting at `at`. */
function readRun(text: string, at: number): DigitUnit[] {
  const first = readUnit(text, at);
  if (!first) return [];
  const run = [first];
  for (;;) {
    const previous = run[run.length - 1] as DigitUnit;
    UNIT_GAP.lastIndex = previous.end;
    const gap = UNIT_GAP.exec(text)?.[0] ?? '';
    const next = readUnit(text, previous.end + gap.length);
    if (!next) return run;
    run.push({ ...next, afterPause: PAUSE.test(gap) });
  }
}

/**
 * The longest stretch of the run that is a phone number. Stretches may only begin or end at a pause,
 * so "nine one two three, four five six seven" is one number while "... six seven, one more thing"
 * still yields the number.
 */
function longestPhoneStretch(run: DigitUnit[]): Candidate | undefined {
  const boundaries = [0, ...run.flatMap((unit, index) => (unit.afterPause ? [index] : [])), run.length];
  let best: Candidate | undefined;
  for (let from = 0; from < boundaries.length - 1; from++) {
    for (let to = from + 1; to < boundaries.length; to++) {
      const units = run.slice(boundaries[from], boundaries[to]);
      if (units.length > MAX_UNITS_IN_A_NUMBER) break; // also keeps long comma-separated lists linear
      const digits = units.map((unit) => unit.digits).join('');
      // Runs of plain ASCII digits are the written-number detector's job, with its stricter groupings.
      if (!units.some((unit) => unit.spoken) || !isPhoneDigits(digits)) continue;
      const first = units[0] as DigitUnit;
      const last = units[units.length - 1] as DigitUnit;
      if (!best || last.end - first.start > best.end - best.start) {
        best = { type: 'PHONE', start: first.start, end: last.end, digits };
      }
    }
  }
  return best;
}

/** Phone numbers spoken digit by digit, in English, Cantonese or Mandarin, or mixed with written digits. */
export function findSpokenPhoneNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  let at = 0;
  while (at < text.length) {
    const run = readRun(text, at);
    if (run.length === 0) {
      at++;
      continue;
    }
    const phone = longestPhoneStretch(run);
    if (phone) found.push(phone);
    at = (run[run.length - 1] as DigitUnit).end;
  }
  return found;
}
