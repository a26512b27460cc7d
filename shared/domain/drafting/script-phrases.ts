/*
 * Simplified → Traditional needs phrase rules (后 is 後 in 以后 but stays 后 in 皇后), and OpenCC's STPhrases
 * holds 49 000 of them: 1 MB in every bundle that converts. Four in five only restate what character-by-character
 * conversion gives anyway. `prunedPhrases` keeps the rest (~10 600, ~205 KB), generated once into
 * st-phrases.generated.ts by `npm run assist -- gen-script-phrases`; a unit test keeps that file current and
 * compares conversion with it against OpenCC's full dictionaries on the knowledge layer's texts.
 */

import { Trie } from 'opencc-js/core';

export const GENERATED_PHRASES_FILE = 'shared/domain/drafting/st-phrases.generated.ts';

/** Parses an opencc-js dictionary string ("source target|source target|…"). */
const entries = (dictionary: string): [string, string][] => dictionary.split('|').map((entry) => entry.split(' ') as [string, string]);

/**
 * The phrase rules kept: those whose result differs from converting their characters one by one, and those
 * that, left out, would let shorter rules convert their own text differently (想了解 stays 想了解, not 想瞭解
 * through 了解), repeated until none left out converts differently. Not kept: rules that only block a kept rule
 * in running text (OpenCC matches the longest rule first); keeping those too needs almost the whole 1 MB. So a
 * few texts convert differently from full OpenCC (2.2% of the layer's Simplified-converted examples and articles, e.g. 想了解 in
 * 想了解商業 → 想瞭解): conversion to Traditional feeds the classifier's canonical script and script profiles,
 * never text a caller reads (replies are authored in Traditional; Simplified is derived, with OpenCC's own
 * Traditional → Simplified rules, unpruned).
 */
export function prunedPhrases(phrases: string, characters: string): string {
  const byCharacter = new Map(entries(characters));
  const all = entries(phrases);
  const kept = new Set(all.filter(([source, target]) => Array.from(source, (char) => byCharacter.get(char) ?? char).join('') !== target).map(([source]) => source));
  for (;;) {
    const trie = new Trie();
    trie.loadDict(characters);
    trie.loadDict(all.filter(([source]) => kept.has(source)));
    const missing = all.filter(([source, target]) => !kept.has(source) && trie.convert(source) !== target);
    if (missing.length === 0) break;
    for (const [source] of missing) kept.add(source);
  }
  return all
    .filter(([source]) => kept.has(source))
    .map(([source, target]) => `${source} ${target}`)
    .join('|');
}

/** The generated module's source text. */
export function phrasesModuleSource(pruned: string): string {
  return [
    '// Generated from opencc-js STPhrases by `npm run assist -- gen-script-phrases` (see script-phrases.ts). Do not edit.',
    '// OpenCC dictionaries: Apache-2.0 (node_modules/opencc-js/LICENSE).',
    `export default ${JSON.stringify(pruned)};`,
    '',
  ].join('\n');
}
