/**
 * SMS encoding and segmentation, computed the way handsets and carriers do it.
 *
 * - GSM-7 (GSM 03.38): a text made only of the basic table and the extension table. Extension characters
 *   are sent as ESC + char, so they cost 2 septets, and the pair is never split across segments.
 *   One segment holds 160 septets; a multipart message 153 per part (the UDH takes the rest).
 * - UCS-2 (in practice UTF-16): anything else, so every Chinese text. A segment holds 70 code units, a
 *   multipart message 67 per part. Characters outside the BMP (emoji) are surrogate pairs: 2 units that
 *   must stay in the same segment, or the handset shows two broken characters.
 */
import { ValidationError } from '../errors.ts';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsAnalysis {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  /** Segments the provider bills and the handset reassembles; 0 for an empty text. */
  segments: number;
  /** Units one segment of this message can carry: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegmentLimit: number;
}

export const SMS_SEGMENT_LIMITS = {
  'GSM-7': { single: 160, multipart: 153 },
  'UCS-2': { single: 70, multipart: 67 },
} as const satisfies Record<SmsEncoding, { single: number; multipart: number }>;

/** The hotline's default ceiling: a reply longer than this is rejected at decision time. */
export const DEFAULT_MAX_SMS_SEGMENTS = 4;

// GSM 03.38 basic character set, in table order (0x1B, the escape to the extension table, left out).
const GSM_BASIC_CHARS =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// GSM 03.38 extension table: each is sent as ESC + char.
const GSM_EXTENSION_CHARS = '\f^{}\\[]~|€';

const GSM_BASIC = new Set(GSM_BASIC_CHARS);
const GSM_EXTENSION = new Set(GSM_EXTENSION_CHARS);

/** Septets a character costs in GSM-7, or undefined when GSM-7 cannot carry it. */
function gsmSeptets(char: string): 1 | 2 | undefined {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENSION.has(char)) return 2;
  return undefined;
}

/** GSM-7 when every character is in the basic or extension table; any other character forces UCS-2. */
export function smsEncodingOf(text: string): SmsEncoding {
  for (const char of text) if (gsmSeptets(char) === undefined) return 'UCS-2';
  return 'GSM-7';
}

/**
 * A code point with what it costs in the chosen encoding. Code points are the indivisible atoms: splitting
 * only between them can never break a surrogate pair (one code point, 2 units) or a GSM escape pair (one
 * extension character, 2 septets).
 */
interface Atom {
  char: string;
  cost: number;
}

function atomsOf(text: string, encoding: SmsEncoding): Atom[] {
  return Array.from(text, (char) => ({ char, cost: encoding === 'GSM-7' ? (gsmSeptets(char) ?? 2) : char.length }));
}

const totalCost = (atoms: readonly Atom[]): number => atoms.reduce((sum, atom) => sum + atom.cost, 0);

/** Segments needed when packing atoms[from..] tightly. Greedy filling is optimal for an ordered sequence. */
function tightSegmentCount(atoms: readonly Atom[], from: number, limit: number): number {
  let segments = 0;
  let used = limit; // forces a new segment for the first atom
  for (let index = from; index < atoms.length; index++) {
    const cost = atoms[index]!.cost;
    if (used + cost > limit) {
      segments++;
      used = 0;
    }
    used += cost;
  }
  return segments;
}

export function analyseSms(text: string): SmsAnalysis {
  const encoding = smsEncodingOf(text);
  const limits = SMS_SEGMENT_LIMITS[encoding];
  const atoms = atomsOf(text, encoding);
  const units = totalCost(atoms);
  if (units <= limits.single) return { encoding, units, segments: units === 0 ? 0 : 1, perSegmentLimit: limits.single };
  return { encoding, units, segments: tightSegmentCount(atoms, 0, limits.multipart), perSegmentLimit: limits.multipart };
}

// Characters after which a part may end cleanly: whitespace, and closing or pausing punctuation in English
// and Chinese. Opening brackets and apostrophes are left out: a part ending in "(" or "don'" reads badly.
const BREAK_AFTER = new Set('.,!?;:)]}>"…-–—/，。！？、；：」』）》〉】”');
const isBreakAfter = (char: string): boolean => BREAK_AFTER.has(char) || /\s/u.test(char);

/** Code-point indices where a grapheme cluster starts (plus the end), so combining marks and ZWJ emoji stay whole. */
function graphemeBoundaries(text: string): Set<number> {
  const boundaries = new Set<number>();
  let codePointIndex = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    boundaries.add(codePointIndex);
    codePointIndex += Array.from(segment).length;
  }
  boundaries.add(codePointIndex);
  return boundaries;
}

/**
 * The parts the message is sent as. There are exactly `analyseSms(text).segments` of them (so the preview
 * matches the bill), each within the per-segment limit, and they concatenate back to the text. Within that:
 * a part ends after whitespace or punctuation near the limit if there is one, else at a grapheme boundary,
 * and only when neither fits without costing an extra segment, at a code point (still never inside a
 * surrogate pair or escape pair).
 */
export function splitSms(text: string): string[] {
  const analysis = analyseSms(text);
  if (analysis.segments <= 1) return text === '' ? [] : [text];

  const limit = analysis.perSegmentLimit;
  // "Near the limit": a clean break is worth giving up at most a quarter of a segment.
  const window = Math.ceil(limit / 4);
  const atoms = atomsOf(text, analysis.encoding);
  const graphemes = graphemeBoundaries(text);
  const parts: string[] = [];
  let start = 0;
  let partsLeft = analysis.segments;

  while (start < atoms.length) {
    if (partsLeft === 1) {
      parts.push(joinAtoms(atoms, start, atoms.length));
      break;
    }
    const tightEnd = tightEndOf(atoms, start, limit);
    // An end is acceptable only if the rest still fits in the parts left, keeping the total minimal.
    const restFits = (end: number) => tightSegmentCount(atoms, end, limit) <= partsLeft - 1;
    const end = cleanEnd(atoms, start, tightEnd, { limit, window, graphemes, restFits }) ?? tightEnd;
    parts.push(joinAtoms(atoms, start, end));
    start = end;
    partsLeft--;
  }
  return parts;
}

/** The furthest end index such that atoms[start..end) fits in one segment. */
function tightEndOf(atoms: readonly Atom[], start: number, limit: number): number {
  let used = 0;
  let end = start;
  while (end < atoms.length && used + atoms[end]!.cost <= limit) used += atoms[end++]!.cost;
  return end;
}

function cleanEnd(
  atoms: readonly Atom[],
  start: number,
  tightEnd: number,
  rules: { limit: number; window: number; graphemes: Set<number>; restFits: (end: number) => boolean },
): number | undefined {
  // Walking back from the tight end, the rest only grows, so the first end that does not fit ends the search.
  let used = totalCost(atoms.slice(start, tightEnd));
  let firstWholeGrapheme: number | undefined;
  for (let end = tightEnd; end > start; end--) {
    if (!rules.restFits(end)) break;
    if (rules.graphemes.has(end)) {
      firstWholeGrapheme ??= end;
      const nearLimit = used >= rules.limit - rules.window;
      if (!nearLimit) break;
      if (isBreakAfter(atoms[end - 1]!.char)) return end;
    }
    used -= atoms[end - 1]!.cost;
  }
  return firstWholeGrapheme;
}

const joinAtoms = (atoms: readonly Atom[], start: number, end: number): string =>
  atoms
    .slice(start, end)
    .map((atom) => atom.char)
    .join('');

/** A reply that needs more segments than allowed. Named ValidationError so retries and Catch treat it as bad input. */
export class SmsTooLongError extends ValidationError {
  constructor(
    readonly analysis: SmsAnalysis,
    readonly maxSegments: number,
  ) {
    super([{ field: 'text', problem: tooLongProblem(analysis, maxSegments) }]);
  }
}

function tooLongProblem(analysis: SmsAnalysis, maxSegments: number): string {
  const capacity = maxSegments * SMS_SEGMENT_LIMITS[analysis.encoding].multipart;
  const unitName = analysis.encoding === 'GSM-7' ? 'characters' : 'UCS-2 units (Chinese characters count 1, emoji 2)';
  return (
    `the SMS would need ${analysis.segments} segments (${analysis.encoding}, ${analysis.units} ${unitName}); ` +
    `at most ${maxSegments} segments (${capacity} ${unitName}) are allowed: shorten the reply or send without SMS`
  );
}

export type SmsLengthCheck =
  | { ok: true; analysis: SmsAnalysis }
  | { ok: false; analysis: SmsAnalysis; error: SmsTooLongError };

/** The validation-result form, for code that reports problems (the decision API) rather than throws. */
export function checkSmsLength(text: string, maxSegments: number = DEFAULT_MAX_SMS_SEGMENTS): SmsLengthCheck {
  const analysis = analyseSms(text);
  if (analysis.segments <= maxSegments) return { ok: true, analysis };
  return { ok: false, analysis, error: new SmsTooLongError(analysis, maxSegments) };
}

/** Throws SmsTooLongError when the text needs more than `maxSegments` segments. */
export function assertSmsWithinSegments(text: string, maxSegments: number = DEFAULT_MAX_SMS_SEGMENTS): SmsAnalysis {
  const check = checkSmsLength(text, maxSegments);
  if (!check.ok) throw check.error;
  return check.analysis;
}
