/*
 * Feature extraction for the topic classifier, from already normalised text (see normalise.ts).
 * Feature strings carry a short prefix so different kinds never collide:
 *   w:<word>     word token from Intl.Segmenter (English words and ICU's Chinese word segmentation)
 *   b:<a>_<b>    word bigram
 *   c:<ngram>    Han character n-gram (1..3) inside a run of Han characters; robust to segmentation
 *                errors and to colloquial Cantonese the ICU dictionary does not know
 *   l:<ngram>    Latin character n-gram inside a word (with ^/$ boundaries), so "flooded" and
 *                "flooding" share evidence without a stemmer
 *   x:<ngram>    Latin character n-gram of a space-padded word (scikit-learn's char_wb), a block of its
 *                own: normalised apart from the others and weighted (see `charNgrams`)
 *   k:<group>    a keyword group's term (optional lexicon)
 *   g:<stem>     English stem of an English word, and of each Chinese word through the glossary (if given)
 */

import { glossFeatures, type Glossary } from './glossary.ts';
import { maskPlaces } from './places.ts';

export interface FeatureOptions {
  /** Longest Han character n-gram (1..n). */
  hanNgramMax: number;
  /** Latin in-word character n-gram sizes, e.g. [3, 4]; empty disables them. */
  latinNgramSizes: number[];
  wordBigrams: boolean;
  /**
   * Optional lexicon: group name → terms (already normalised). Any term found adds `k:<group>`. Terms in
   * several languages share one feature, so an English example teaches the model about Chinese enquiries
   * on the same subject; the weight of each group is still learned from the labelled data.
   */
  keywordGroups?: Record<string, string[]>;
  /** Multiplier on keyword features before length normalisation (they are few among many n-grams). */
  keywordWeight?: number;
  /**
   * Optional Chinese → English glossary: adds `g:` features shared by both languages (see glossary.ts).
   * Not serialised with the model (it is a shared resource); the model records its digest instead.
   */
  glossary?: Glossary;
  /** Optional place names (normalised, any language): masked before extraction, counted as `w:<place>`. */
  placeNames?: string[];
  /**
   * Multiplier on stem (`g:`) features before length normalisation. With a glossary they are the only
   * features the two languages share, and each text has few of them among many n-grams; on the hotline
   * examples (4 splits) weight 4 gave +8 points of held-out accuracy over no glossary, weight 1 gave +3.
   */
  glossWeight?: number;
  /**
   * Character n-grams (`x:`) of each Latin-script word padded with spaces, `min`..`max` characters (a word
   * shorter than n gives the padded word once, as scikit-learn's `char_wb`). They form their own block: the
   * block is L2-normalised apart from the other features and scaled to `weight`, so however many n-grams a
   * text has they do not crowd out its words (joint normalisation did: 3–5-grams cost BANKING77 1 point).
   */
  charNgrams?: { min: number; max: number; weight: number };
}

/*
 * Measured on the hotline examples (10 stratified 80/20 splits, mean held-out accuracy): the glossary
 * bridge took 0.82 to 0.91; with it, Han n-grams up to 2 (not 3) and no Latin in-word n-grams `l:` (joint
 * normalisation let them crowd out the words: BANKING77 0.895 vs 0.906) scored the same or better.
 * Character n-grams 2–5 of Latin words as their own block (`x:`, scikit-learn's char_wb) at weight 0.7 took
 * BANKING77 from 0.906 to 0.917 and CLINC150 in-scope from 0.911 to 0.919 (bench/intent.ts). The weight is a
 * compromise measured with one optimiser setting: BANKING77 0.910 / 0.915 / 0.917 at 0.5 / 0.7 / 1, the
 * hotline holdout by writer 0.966 / 0.964 / 0.958 department accuracy (1 falls under the 0.96 bar).
 * With the SVM margins added to the softmax (text-classifier.ts `svmWeight`) weight 1 is best everywhere:
 * CLINC150 0.9258 vs 0.9242 at 0.7 (SVM alone on these features: 0.9258 vs 0.9224), hotline 0.969 vs 0.966.
 */
export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  hanNgramMax: 2,
  latinNgramSizes: [],
  wordBigrams: true,
  keywordWeight: 3,
  glossWeight: 4,
  charNgrams: { min: 2, max: 5, weight: 1 },
};

interface CompiledGroup {
  feature: string;
  latin: RegExp | undefined;
  others: string[];
}

const compiledGroups = new WeakMap<Record<string, string[]>, CompiledGroup[]>();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Latin terms match at word starts (so "flood" finds "flooding"); Han terms match anywhere. */
function compileGroups(groups: Record<string, string[]>): CompiledGroup[] {
  const cached = compiledGroups.get(groups);
  if (cached) return cached;
  const compiled = Object.entries(groups).map(([group, terms]) => {
    const latinTerms = terms.filter((term) => !/\p{Script=Han}/u.test(term));
    return {
      feature: `k:${group}`,
      latin: latinTerms.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${latinTerms.map(escapeRegExp).join('|')})`, 'gu') : undefined,
      others: terms.filter((term) => /\p{Script=Han}/u.test(term)),
    };
  });
  compiledGroups.set(groups, compiled);
  return compiled;
}

function keywordFeatures(text: string, groups: Record<string, string[]>, out: string[]): void {
  for (const group of compileGroups(groups)) {
    const latinHits = group.latin ? (text.match(group.latin)?.length ?? 0) : 0;
    const otherHits = group.others.filter((term) => text.includes(term)).length;
    for (let i = 0; i < latinHits + otherHits; i += 1) out.push(group.feature);
  }
}

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /^\p{Script=Latin}+$/u;
const LATIN_WORDISH = /^[\p{Script=Latin}\p{Nd}'’]+$/u;
const DIGITS = /^\p{Nd}+$/u;

// Segmenters are costly to build and safe to share; one per process.
let wordSegmenter: Intl.Segmenter | undefined;

/** Word-like tokens; digit runs collapse to one token so "route 1a" and "route 2b" share "<num>" evidence. */
export function wordTokens(text: string): string[] {
  wordSegmenter ??= new Intl.Segmenter('zh-Hant-HK', { granularity: 'word' });
  const tokens: string[] = [];
  for (const segment of wordSegmenter.segment(text)) {
    if (!segment.isWordLike) continue;
    tokens.push(DIGITS.test(segment.segment) ? '<num>' : segment.segment);
  }
  return tokens;
}

function hanNgrams(text: string, maxN: number, out: string[]): void {
  for (const match of text.matchAll(HAN_RUN)) {
    const chars = Array.from(match[0]);
    for (let n = 1; n <= maxN; n += 1) {
      for (let i = 0; i + n <= chars.length; i += 1) out.push(`c:${chars.slice(i, i + n).join('')}`);
    }
  }
}

function latinNgrams(word: string, sizes: number[], out: string[]): void {
  if (!LATIN_WORD.test(word) || word.length < 4) return;
  const padded = `^${word}$`;
  for (const n of sizes) {
    for (let i = 0; i + n <= padded.length; i += 1) out.push(`l:${padded.slice(i, i + n)}`);
  }
}

function charWbNgrams(word: string, { min, max }: { min: number; max: number }, out: string[]): void {
  if (!LATIN_WORDISH.test(word)) return;
  const padded = ` ${word} `;
  for (let n = min; n <= max; n += 1) {
    if (n >= padded.length) {
      out.push(`x:${padded}`);
      return;
    }
    for (let i = 0; i + n <= padded.length; i += 1) out.push(`x:${padded.slice(i, i + n)}`);
  }
}

/** All features of a normalised text, with repeats (the vectoriser counts them). */
export function extractFeatures(text: string, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): string[] {
  const features: string[] = [];
  let normalisedText = text;
  if (options.placeNames) {
    const masked = maskPlaces(text, options.placeNames);
    normalisedText = masked.text;
    for (let i = 0; i < masked.places; i += 1) features.push('w:<place>');
  }
  const words = wordTokens(normalisedText);
  words.forEach((word, i) => {
    features.push(`w:${word}`);
    if (options.wordBigrams && i > 0) features.push(`b:${words[i - 1]}_${word}`);
    latinNgrams(word, options.latinNgramSizes, features);
    if (options.charNgrams) charWbNgrams(word, options.charNgrams, features);
  });
  hanNgrams(normalisedText, options.hanNgramMax, features);
  if (options.keywordGroups) keywordFeatures(normalisedText, options.keywordGroups, features);
  glossFeatures(normalisedText, words, options.glossary, features);
  return features;
}
