import { createHash } from 'node:crypto';
import { stemmer } from 'stemmer';

/*
 * A Chinese → English glossary used as a cross-language bridge for the topic classifier: a Chinese word
 * yields `g:<english stem>` features and an English word yields `g:<its stem>`, so "爆水喉" and
 * "burst water pipe" share evidence. About a third of the labelled examples are English and two thirds
 * Chinese; with the bridge, each language's examples teach the model about the other's enquiries.
 *
 * Built offline (scripts/build-glossary.ts) from CC-CEDICT plus a hand-written Hong Kong / Cantonese
 * supplement, shipped in the knowledge layer as `glossary/zh-en.tsv` (canonical-script word, TAB, stems).
 */

/** Canonical-script Chinese word (see normalise.ts) → English stems, most literal sense first. */
export type Glossary = ReadonlyMap<string, readonly string[]>;

/** Longest dictionary word matched; CC-CEDICT words above six characters are idioms and names. */
export const MAX_GLOSSARY_WORD = 6;

// Words that carry no topic on either side of the bridge.
const STOP_WORDS = new Set(
  (
    'a an the of to be in on at for by with from as or and is are was were it its one etc up out off into ' +
    'also this that very more most not no i my me we our you your he she they them there here have has ' +
    'had do does did can could would should will please sb sth someone something person people thing ' +
    'things kind sort type used esp lit fig usu abbr variant see old make get put take give go come all any some other'
  ).split(' '),
);

/** An English word that carries no topic ("the", "is", "please"). */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}

/** English words → glossary stems: lowercase letters only, stop words dropped, Porter-stemmed. */
export function englishStems(words: readonly string[]): string[] {
  const stems: string[] = [];
  for (const word of words) {
    const lower = word.toLowerCase();
    if (lower.length < 2 || !/^[a-z]+$/.test(lower) || STOP_WORDS.has(lower)) continue;
    stems.push(stemmer(lower));
  }
  return stems;
}

/** Senses that describe grammar, names or cross-references rather than a meaning. */
const NON_MEANING_SENSE = /^(CL:|variant of|old variant|surname|see |used in|abbr\.? (for|of)|erhua variant|\(bound form\)$)/i;
/** Senses longer than this many words are explanations; their words are mostly noise as features. */
const MAX_SENSE_WORDS = 6;
/** CC-CEDICT lists the common senses first; later ones are rare or literary. */
const MAX_SENSES = 3;
export const MAX_STEMS = 8;

/**
 * Stems for one dictionary entry from its English senses (CC-CEDICT style). Proper-noun senses
 * (capitalised: place and person names) are skipped, as are parentheticals and long explanations.
 */
export function stemsOfSenses(senses: readonly string[]): string[] {
  const stems = new Set<string>();
  const meaningful = senses.filter((sense) => !NON_MEANING_SENSE.test(sense) && !/^[A-Z]/.test(sense.replace(/^\([^)]*\)\s*/, '')));
  for (const sense of meaningful.slice(0, MAX_SENSES)) {
    const words = sense.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').match(/[A-Za-z]+/g) ?? [];
    if (words.length > MAX_SENSE_WORDS) continue;
    for (const stem of englishStems(words)) stems.add(stem);
  }
  return [...stems].slice(0, MAX_STEMS);
}

/**
 * Appends `g:` features: stems of the English words, and (with a glossary) stems of the Chinese words
 * found by forward maximum matching over each run of Han characters.
 */
export function glossFeatures(text: string, words: readonly string[], glossary: Glossary | undefined, out: string[]): void {
  for (const stem of englishStems(words)) out.push(`g:${stem}`);
  if (!glossary) return;
  for (const match of text.matchAll(/\p{Script=Han}+/gu)) {
    const chars = Array.from(match[0]);
    let i = 0;
    while (i < chars.length) {
      let matched = 1;
      for (let n = Math.min(MAX_GLOSSARY_WORD, chars.length - i); n >= 1; n -= 1) {
        const stems = glossary.get(chars.slice(i, i + n).join(''));
        if (stems) {
          for (const stem of stems) out.push(`g:${stem}`);
          matched = n;
          break;
        }
      }
      i += matched;
    }
  }
}

/** The TSV form shipped in the layer: `word<TAB>stem stem ...`, sorted by word. */
export function glossaryToTsv(glossary: Glossary): string {
  const lines = [...glossary.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([word, stems]) => `${word}\t${stems.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** Parses the shipped TSV; `#` lines are comments. Throws naming the line on a malformed entry. */
export function glossaryFromTsv(tsv: string, source = 'glossary'): Glossary {
  const glossary = new Map<string, string[]>();
  // Canonical when, after leading comments, every line is one new entry: then the entries' digest is the hash of
  // that text as it stands (see glossaryDigest), computed natively instead of rebuilding 88k lines at cold start.
  let bodyStart: number | undefined;
  let canonical = tsv.endsWith('\n');
  let offset = 0;
  tsv.split('\n').forEach((line, i) => {
    const start = offset;
    offset += line.length + 1;
    if (line.trim() === '' || line.startsWith('#')) {
      if (bodyStart !== undefined && offset <= tsv.length) canonical = false;
      return;
    }
    bodyStart ??= start;
    const [word, stems, extra] = line.split('\t');
    if (!word || !stems || extra !== undefined || !/^\p{Script=Han}+$/u.test(word) || !/^[a-z]+( [a-z]+)*$/.test(stems)) {
      throw new Error(`${source}:${i + 1}: expected "<Chinese word><TAB><lowercase english stems>", got ${JSON.stringify(line.slice(0, 60))}`);
    }
    if (glossary.has(word)) canonical = false;
    glossary.set(word, stems.split(' '));
  });
  if (canonical && bodyStart !== undefined) digests.set(glossary, createHash('sha256').update(tsv.slice(bodyStart)).digest('hex'));
  return glossary;
}

/**
 * Identifies a glossary's content, so a trained model can check it is used with the glossary it learned
 * from. Entries are hashed in the glossary's own order (the shipped file is sorted), not re-sorted: it runs
 * at every cold start, and sorting 88k words cost more than everything else the digest does.
 */
export function glossaryDigest(glossary: Glossary): string {
  let digest = digests.get(glossary);
  if (digest === undefined) {
    const lines: string[] = [];
    for (const [word, stems] of glossary) lines.push(`${word}\t${stems.join(' ')}\n`);
    digest = createHash('sha256').update(lines.join('')).digest('hex');
    digests.set(glossary, digest);
  }
  return digest;
}

// Glossaries are immutable once loaded; hashing ~90k entries once per glossary is enough.
const digests = new WeakMap<Glossary, string>();
