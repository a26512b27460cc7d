import * as OpenCC from 'opencc-js';

/**
 * Text → features for the local classifier. Script-invariant: Simplified is converted to Traditional
 * (Hong Kong variants) first, so the same enquiry in either script yields the same features, rather than
 * relying on doubled training data.
 */
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'hk' });
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
const wordSegmenter = new Intl.Segmenter('zh-Hant', { granularity: 'word' });

export function normaliseForClassification(text: string): string {
  return toTraditional(text.normalize('NFKC').toLowerCase()).replace(/\s+/g, ' ').trim();
}

/** Light English stemming: plurals and -ing/-ed, enough to merge "lights"/"light", "blocked"/"block". */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/**
 * Features of a normalised text: words from Intl.Segmenter (English stemmed, placeholders like [phone]
 * kept as one token), word bigrams, and character 1–3-grams over runs of Chinese characters (robust to
 * segmentation errors in colloquial Cantonese and to code-mixing).
 */
export function featuresOf(normalised: string): string[] {
  const features: string[] = [];
  const words: string[] = [];
  for (const part of wordSegmenter.segment(normalised.replace(/\[(\w+)\]/g, ' __$1__ '))) {
    if (!part.isWordLike) continue;
    const word = CJK.test(part.segment) ? part.segment : stem(part.segment);
    words.push(word);
    features.push(`w:${word}`);
  }
  for (let i = 1; i < words.length; i += 1) features.push(`b:${words[i - 1]}_${words[i]}`);
  for (const run of normalised.match(CJK_RUN) ?? []) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i += 1) {
      features.push(`c1:${chars[i]}`);
      if (i + 1 < chars.length) features.push(`c2:${chars[i]}${chars[i + 1]}`);
      if (i + 2 < chars.length) features.push(`c3:${chars[i]}${chars[i + 1]}${chars[i + 2]}`);
    }
  }
  return features;
}
