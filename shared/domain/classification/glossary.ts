import { createHash } from 'node:crypto';
import { stemmer } from 'stemmer';
import { compareCodeUnits } from '../order.ts';

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
  const lines = [...glossary.entries()].sort(([a], [b]) => compareCodeUnits(a, b)).map(([word, stems]) => `${word}\t${stems.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Parses the shipped TSV (text, or the file's bytes: then a canonical file's digest is taken from the bytes
 * as they are, without encoding 2 MB of text again); `#` lines are comments. Throws naming the line on a
 * malformed entry.
 *
 * `recordedDigest` is the glossary digest a trained model recorded (its featureOptions): a body with exactly that
 * SHA-256 is, line for line, the glossary the model was trained with, whose entries were checked when training
 * loaded them, so only its order is checked here (the per-line pattern over 88k lines was ~20 ms of classify's
 * cold start). Any other body is checked line by line as always.
 */
export function glossaryFromTsv(file: string | Uint8Array, source = 'glossary', recordedDigest?: string): Glossary {
  const tsv = typeof file === 'string' ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('utf8');
  return SortedTsvGlossary.of(tsv, typeof file === 'string' ? undefined : file, recordedDigest) ?? glossaryMapFromTsv(tsv, source);
}

const TAB = 9;
const NEWLINE = 10;
/** One well-formed entry line, matched in place (sticky) so checking 88k lines allocates no line strings. */
const ENTRY_LINE = /\p{Script=Han}+\t[a-z]+(?: [a-z]+)*\n/uy;

/**
 * The shipped glossary as it stands in the file instead of as a Map: classify loads it at every cold start,
 * and 88k Map entries with their stem arrays cost ~45 MB and most of the glossary's load time. The file is
 * canonical (leading comments, then one entry per line, sorted by word, each word once: what
 * `glossaryToTsv` writes), so a word is found by binary search within the lines that start with its first
 * UTF-16 unit, comparing in place; stems are split only for words found. Same answers as the Map
 * (test/unit/glossary.test.ts compares them entry by entry).
 */
class SortedTsvGlossary implements ReadonlyMap<string, readonly string[]> {
  private constructor(
    private readonly text: string,
    /** Offset of each entry line in `text`, in word order. */
    private readonly starts: Int32Array,
    /** Entry lines whose word starts with UTF-16 unit u: [firstLine[u], firstLine[u] + lineCount[u]). */
    private readonly firstLine: Int32Array,
    private readonly lineCount: Int32Array,
  ) {}

  /**
   * The glossary when `tsv` is canonical and every entry well formed; otherwise undefined (the Map parser then names
   * the bad line). Entries are not checked again when the body's digest is `recordedDigest` (see glossaryFromTsv).
   */
  static of(tsv: string, bytes?: Uint8Array, recordedDigest?: string): SortedTsvGlossary | undefined {
    let bodyStart = 0;
    while (tsv.charCodeAt(bodyStart) === 35 /* # */) {
      const end = tsv.indexOf('\n', bodyStart);
      if (end < 0) return undefined;
      bodyStart = end + 1;
    }
    // The comments are a prefix of the text, so the bytes after theirs are the body's UTF-8.
    const body = bytes ? bytes.subarray(Buffer.byteLength(tsv.slice(0, bodyStart), 'utf8')) : tsv.slice(bodyStart);
    const digest = createHash('sha256').update(body).digest('hex');
    // One pass over the lines (two passes into an array cost ~2× at a cold start): each entry checked unless the
    // digest vouches for it, its word after the previous one, its first unit counted.
    const checkEntries = digest !== recordedDigest;
    let starts = new Int32Array(1024);
    let count = 0;
    const firstLine = new Int32Array(65536);
    const lineCount = new Int32Array(65536);
    ENTRY_LINE.lastIndex = bodyStart;
    for (let at = bodyStart; at < tsv.length; ) {
      let next: number;
      if (checkEntries) {
        if (!ENTRY_LINE.test(tsv)) return undefined;
        next = ENTRY_LINE.lastIndex;
      } else {
        next = tsv.indexOf('\n', at) + 1;
        if (next === 0) return undefined;
      }
      if (count > 0 && compareWords(tsv, starts[count - 1] as number, at) >= 0) return undefined; // not sorted, or a word twice
      if (count === starts.length) {
        const grown = new Int32Array(count * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count] = at;
      const unit = tsv.charCodeAt(at);
      if (lineCount[unit] === 0) firstLine[unit] = count;
      lineCount[unit] = (lineCount[unit] as number) + 1;
      count += 1;
      at = next;
    }
    if (count === 0) return undefined;
    const glossary = new SortedTsvGlossary(tsv, starts.subarray(0, count), firstLine, lineCount);
    digests.set(glossary, digest);
    return glossary;
  }

  get size(): number {
    return this.starts.length;
  }

  get(word: string): readonly string[] | undefined {
    const line = this.lineOf(word);
    if (line < 0) return undefined;
    const start = (this.starts[line] as number) + word.length + 1;
    return this.text.slice(start, this.text.indexOf('\n', start)).split(' ');
  }

  has(word: string): boolean {
    return this.lineOf(word) >= 0;
  }

  private lineOf(word: string): number {
    if (word.length === 0) return -1;
    const unit = word.charCodeAt(0);
    let low = this.firstLine[unit] as number;
    let high = low + (this.lineCount[unit] as number) - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = compareWordTo(word, this.text, this.starts[middle] as number);
      if (order === 0) return middle;
      if (order < 0) high = middle - 1;
      else low = middle + 1;
    }
    return -1;
  }

  *entries(): MapIterator<[string, readonly string[]]> {
    for (let i = 0; i < this.starts.length; i += 1) {
      const start = this.starts[i] as number;
      const tab = this.text.indexOf('\t', start);
      yield [this.text.slice(start, tab), this.text.slice(tab + 1, this.text.indexOf('\n', tab)).split(' ')];
    }
  }

  *keys(): MapIterator<string> {
    for (const [word] of this.entries()) yield word;
  }

  *values(): MapIterator<readonly string[]> {
    for (const [, stems] of this.entries()) yield stems;
  }

  [Symbol.iterator](): MapIterator<[string, readonly string[]]> {
    return this.entries();
  }

  forEach(callback: (stems: readonly string[], word: string, map: ReadonlyMap<string, readonly string[]>) => void, thisArg?: unknown): void {
    for (const [word, stems] of this.entries()) callback.call(thisArg, stems, word, this);
  }
}

/** Orders `word` against the word of the entry line at `start` in `text`, as `<` orders strings (UTF-16 units). */
function compareWordTo(word: string, text: string, start: number): number {
  for (let j = 0; j < word.length; j += 1) {
    const unit = text.charCodeAt(start + j);
    if (unit === TAB) return 1; // the line's word is a prefix of `word`
    const difference = word.charCodeAt(j) - unit;
    if (difference !== 0) return difference;
  }
  return text.charCodeAt(start + word.length) === TAB ? 0 : -1;
}

/** Orders the words of two entry lines of `text`. */
function compareWords(text: string, a: number, b: number): number {
  for (let j = 0; ; j += 1) {
    const x = text.charCodeAt(a + j);
    const y = text.charCodeAt(b + j);
    if (x === TAB || y === TAB || x === NEWLINE || y === NEWLINE) return (x === TAB ? 0 : 1) - (y === TAB ? 0 : 1);
    if (x !== y) return x - y;
  }
}

/** Any well-formed TSV (comments anywhere, words in any order, a later line overriding an earlier one) as a Map. */
function glossaryMapFromTsv(tsv: string, source: string): Glossary {
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
