import { toSimplified, toTraditional } from '../drafting/script.ts';

/*
 * Text normalisation shared by training, prediction and keyword rules, so that the same enquiry
 * written with full-width characters, in capitals, or in Simplified instead of Traditional characters
 * produces the same features.
 */

const HAN = /\p{Script=Han}/u;

/** True when the text has at least one Han character (only then is script conversion worth its cost). */
export function containsHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * One canonical Chinese script. Going through Simplified first makes the mapping many-to-one
 * (Traditional variants such as 衛/衞 or 線/綫, and Simplified forms, all collapse), and converting back
 * to Hong Kong Traditional keeps features readable and matching the Traditional taxonomy keywords.
 */
export function canonicalChineseScript(text: string): string {
  return containsHan(text) ? toTraditional(toSimplified(text)) : text;
}

/**
 * NFKC (full-width letters, digits and punctuation become half-width; compatibility forms fold),
 * lowercase, canonical Chinese script, collapsed whitespace.
 */
export function normaliseEnquiryText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  return canonicalChineseScript(folded).replace(/\s+/gu, ' ').trim();
}
