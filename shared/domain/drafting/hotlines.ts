import * as z from 'zod/mini';

/*
 * Public contact numbers. Kept apart from the rest of the article schema (and from OpenCC) so the redact
 * Lambda can validate and use them without loading the whole knowledge base.
 */

/** 1823's own number: always a valid contact in a reply. */
export const HOTLINE_1823 = '1823';

/** A public hotline as dialled in Hong Kong: "2868 0000", "187 8022" or "1823". */
export const HotlineSchema = z.string().check(z.regex(/^\d{3,4}( \d{4})?$/, 'must be a Hong Kong number such as "2868 0000" or "1823"'));

/** The articles' hotlines plus 1823, once each, sorted: numbers safe to keep in text, never personal data. */
export function publicContactNumbers(hotlines: Iterable<string>): string[] {
  return [...new Set([HOTLINE_1823, ...hotlines])].sort();
}
