/**
 * Token counts without a tokenizer (none is available offline). Documented approximation:
 * - CJK ideographs, kana, hangul and full-width punctuation: 1 token each (Claude-family tokenizers spend
 *   about one token per Han character, sometimes more);
 * - everything else: 1 token per 4 characters (the usual English rule of thumb), rounded up per run.
 * Expect ±20% against the model's own count; the cost model only needs the order of magnitude right.
 */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

export function approximateTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  let tokens = 0;
  for (const char of text) {
    if (CJK.test(char)) {
      cjk += 1;
      tokens += Math.ceil(other / 4);
      other = 0;
    } else {
      other += 1;
    }
  }
  return tokens + cjk + Math.ceil(other / 4);
}
