import { digitsOf } from './text-normalisation.ts';
import type { Candidate } from './spans.ts';

/**
 * 13 to 19 digits, optionally grouped by spaces or hyphens, not part of a longer digit sequence. The first
 * digit must be 2-6 (Mastercard 2/5, Amex/JCB/Diners 3, Visa 4, UnionPay 6): this keeps the hotline's own
 * case numbers (1823-...) out even when they happen to pass Luhn.
 */
const CARD_SHAPE = /(?<![A-Za-z0-9_])(?<!\d[ -])[2-6](?:[ -]?\d){12,18}(?![ -]?\d)/g;

/** Luhn checksum: double every second digit from the right; the total must be a multiple of 10. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function findPaymentCards(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(CARD_SHAPE)) {
    const digits = digitsOf(match[0]);
    if (!passesLuhn(digits)) continue;
    found.push({ type: 'CARD', start: match.index, end: match.index + match[0].length, digits });
  }
  return found;
}
