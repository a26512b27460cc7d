import type { Candidate } from './spans.ts';

/**
 * HKID in every written form: A123456(7), AB123456(A), A1234567, A 123456 7, A123 456 (7), lowercase,
 * and full-width (already folded to ASCII by the caller). No letter or digit may touch either end, and no
 * further digit group may follow, so the pattern cannot fire inside longer codes or phone numbers.
 */
const HKID_SHAPE =
  /(?<![A-Za-z0-9])([A-Za-z]{1,2})( ?)(\d{3} ?\d{3}) ?(?:\( ?([0-9Aa]) ?\)|([0-9Aa])(?![A-Za-z0-9]| \d))/g;

const SPACE_VALUE = 36; // a one-letter prefix is weighed as if preceded by a space

function characterValue(char: string): number {
  if (char === ' ') return SPACE_VALUE;
  if (/[A-Z]/.test(char)) return char.charCodeAt(0) - 'A'.charCodeAt(0) + 10;
  return Number(char);
}

/** The check digit of an HKID: weights 9..2 over the 8 characters, check = 11 - sum mod 11 (10 -> A, 11 -> 0). */
export function hkidCheckDigit(prefix: string, digits: string): string {
  const characters = (prefix.toUpperCase().padStart(2, ' ') + digits).split('');
  const sum = characters.reduce((total, char, index) => total + characterValue(char) * (9 - index), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return 'A';
  if (check === 11) return '0';
  return String(check);
}

/** HKID-shaped strings; a bad check digit (often a transcription slip) is still redacted, flagged unverified. */
export function findHkids(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(HKID_SHAPE)) {
    const [whole, prefix = '', gapAfterPrefix, rawDigits = '', bracketedCheck, bareCheck] = match;
    // A lower-case word before spaced digits is English ("on 852 9123 4567"), not an HKID prefix.
    if (gapAfterPrefix && prefix !== prefix.toUpperCase()) continue;
    const digits = rawDigits.replace(' ', '');
    const check = (bracketedCheck ?? bareCheck ?? '').toUpperCase();
    found.push({
      type: 'HKID',
      start: match.index,
      end: match.index + whole.length,
      verified: hkidCheckDigit(prefix, digits) === check,
    });
  }
  return found;
}
