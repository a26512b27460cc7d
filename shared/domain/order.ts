/**
 * Orders strings by UTF-16 code units: deterministic and locale-free. Prefer it to `localeCompare` for ids
 * and keys: the first `localeCompare` in a process builds ICU's collator (~10 ms), which the knowledge base
 * paid at every cold start of draft, review-api and topic-report to sort ASCII article ids.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
