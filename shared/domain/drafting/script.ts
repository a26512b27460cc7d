import CJKCompatibility from 'opencc-js/dict/CJK_Compatibility_Ideographs';
import HKVariants from 'opencc-js/dict/HKVariants';
import HKVariantsPhrases from 'opencc-js/dict/HKVariantsPhrases';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import HKVariantsRevPhrases from 'opencc-js/dict/HKVariantsRevPhrases';
import STCharacters from 'opencc-js/dict/STCharacters';
import STRegionalPhrases from 'opencc-js/dict/STPhrases_GeneratedFromRegionalPhrases';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TSPhrases from 'opencc-js/dict/TSPhrases';
import type { Script } from '../../vocabulary/languages.ts';
import { scriptConverter } from './script-converter.ts';
import STPhrases from './st-phrases.generated.ts';

/*
 * Chinese script handling. Knowledge articles are written in Traditional Chinese (Hong Kong forms);
 * Mandarin callers get Simplified text derived with OpenCC, so there is one source of truth per fact.
 * Only the two conversions used are bundled: OpenCC's own hk2s and s2hk configurations with their
 * dictionaries from opencc-js, STPhrases pruned to the rules that change a conversion (script-phrases.ts):
 * ~290 KB instead of opencc-js's 1.2 MB of every locale. The tries are ours (script-converter.ts: typed
 * arrays instead of opencc-js/core's Map per node, which made building them the slowest part of classify's
 * cold start).
 * Converters are built lazily: loading the dictionaries costs time and English-only paths never need it.
 */

// OpenCC's own hk2s and s2hk configurations (the dictionaries and order of opencc-js's presets).
export const HK_TO_SIMPLIFIED = {
  normalization: [CJKCompatibility],
  segmentation: [TSPhrases],
  conversionChain: [
    [HKVariantsRevPhrases, HKVariantsRev],
    [TSPhrases, TSCharacters],
  ],
};
export const SIMPLIFIED_TO_HK = {
  normalization: [CJKCompatibility],
  segmentation: [STPhrases, STRegionalPhrases],
  conversionChain: [
    [STPhrases, STRegionalPhrases, STCharacters],
    [HKVariantsPhrases, HKVariants],
  ],
};

let hongKongToSimplified: ((text: string) => string) | undefined;
let simplifiedToHongKong: ((text: string) => string) | undefined;

/** Traditional (Hong Kong forms) to Simplified, phrase-aware. */
export function toSimplified(text: string): string {
  hongKongToSimplified ??= scriptConverter(HK_TO_SIMPLIFIED);
  return hongKongToSimplified(text);
}

/** Simplified to Traditional (Hong Kong forms), phrase-aware. */
export function toTraditional(text: string): string {
  simplifiedToHongKong ??= scriptConverter(SIMPLIFIED_TO_HK);
  return simplifiedToHongKong(text);
}

/** Text authored in Traditional Chinese, rendered in the script a reply needs (English text passes through). */
export function traditionalInScript(text: string, script: Script): string {
  return script === 'zh-Hans' ? toSimplified(text) : text;
}

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

export interface ScriptProfile {
  hanChars: number;
  latinLetters: number;
  /** Han characters that exist only in Simplified (Traditional text would never contain them). */
  simplifiedOnly: number;
  /** Han characters that exist only in Traditional. */
  traditionalOnly: number;
}

/**
 * Counts characters by script. "Only" counts compare the text with its own conversion: a character that
 * conversion to Traditional changes but conversion to Simplified keeps is a Simplified form, and vice
 * versa. Phrase-aware conversion keeps one-to-many characters (里/裏, 后/後) right in context.
 */
export function profileScript(text: string): ScriptProfile {
  const chars = Array.from(text);
  const asTraditional = sameLengthOrPerChar(chars, toTraditional);
  const asSimplified = sameLengthOrPerChar(chars, toSimplified);
  let hanChars = 0;
  let latinLetters = 0;
  let simplifiedOnly = 0;
  let traditionalOnly = 0;
  chars.forEach((char, i) => {
    if (LATIN.test(char)) latinLetters += 1;
    if (!HAN.test(char)) return;
    hanChars += 1;
    const traditional = asTraditional[i];
    const simplified = asSimplified[i];
    if (traditional !== char && simplified === char) simplifiedOnly += 1;
    if (simplified !== char && traditional === char) traditionalOnly += 1;
  });
  return { hanChars, latinLetters, simplifiedOnly, traditionalOnly };
}

// Conversion is almost always length-preserving; when a phrase rule changes the length, compare per character.
function sameLengthOrPerChar(chars: string[], convert: (text: string) => string): string[] {
  const converted = Array.from(convert(chars.join('')));
  return converted.length === chars.length ? converted : chars.map((char) => convert(char));
}
