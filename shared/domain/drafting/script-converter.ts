/*
 * OpenCC's converter (opencc-js/core: segmentation, then each conversion trie on each segment; longest
 * match by code point; earlier dictionaries of a group win) over a trie held in typed arrays. opencc-js
 * builds one Map per trie node: for hk2s and s2hk that is ~100k Maps, built at classify's cold start, and
 * garbage collection over them cost most of it. Here a node's children are a linked list in Int32Arrays,
 * with a Map only for the root's thousands of first characters. Same answers as opencc-js
 * (test/unit/script-conversion.test.ts holds both conversions to full OpenCC on every text of the layer).
 */

/** An opencc-js dictionary: "source target|source target|…". */
export type Dictionary = string;

/** A longest-match trie over dictionaries; in a group, the first dictionary that has a key gives its value. */
class ArrayTrie {
  private readonly root = new Map<number, number>();
  /** Per node (0 is the root): code point, first child, next sibling, value index (-1: none). */
  private codePoint: Int32Array;
  private firstChild: Int32Array;
  private nextSibling: Int32Array;
  private valueOf: Int32Array;
  private readonly values: string[] = [];
  private nodes = 1;
  /** The last `matchPrefix`: end of the longest key (0: none) and its value index (no object per position). */
  private matchEnd = 0;
  private matchValue = -1;

  constructor(group: readonly Dictionary[]) {
    // Every node is a key's code point: the dictionaries' length bounds the count.
    const capacity = group.reduce((sum, dictionary) => sum + dictionary.length, 0) + 1;
    this.codePoint = new Int32Array(capacity);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.valueOf = new Int32Array(capacity).fill(-1);
    // As opencc-js's loadDictGroup: later dictionaries first, so an earlier one's value overwrites.
    for (let d = group.length - 1; d >= 0; d -= 1) this.load(group[d] as Dictionary);
  }

  /** Reads "source target|…" in place (as opencc-js's loadDict, without splitting it into 2 strings per entry). */
  private load(dictionary: Dictionary): void {
    for (let start = 0; start <= dictionary.length; ) {
      let end = dictionary.indexOf('|', start);
      if (end < 0) end = dictionary.length;
      const space = dictionary.indexOf(' ', start);
      if (space < 0 || space > end) throw new TypeError('Invalid dictionary entry: expected string entries to use "source replacement" format.');
      // opencc-js takes the text up to a second space as the target.
      const second = dictionary.indexOf(' ', space + 1);
      this.add(dictionary, start, space, dictionary.slice(space + 1, second >= 0 && second < end ? second : end));
      start = end + 1;
    }
  }

  /** Adds the key dictionary[from, to) with its target. */
  private add(dictionary: string, from: number, to: number, target: string): void {
    let node = 0;
    for (let i = from; i < to; ) {
      const cp = dictionary.codePointAt(i) as number;
      i += cp > 0xffff ? 2 : 1;
      let child = this.childOf(node, cp);
      if (child < 0) {
        child = this.nodes;
        this.nodes += 1;
        this.codePoint[child] = cp;
        if (node === 0) this.root.set(cp, child);
        else {
          this.nextSibling[child] = this.firstChild[node] as number;
          this.firstChild[node] = child;
        }
      }
      node = child;
    }
    this.values.push(target);
    this.valueOf[node] = this.values.length - 1;
  }

  private childOf(node: number, cp: number): number {
    if (node === 0) return this.root.get(cp) ?? -1;
    for (let child = this.firstChild[node] as number; child >= 0; child = this.nextSibling[child] as number) {
      if (this.codePoint[child] === cp) return child;
    }
    return -1;
  }

  /** The longest key at `s[i…]`: sets matchEnd (0: none) and matchValue; returns matchEnd. */
  private matchPrefix(s: string, i: number): number {
    let node = 0;
    let end = 0;
    let value = -1;
    for (let j = i; j < s.length; ) {
      const cp = s.codePointAt(j) as number;
      j += cp > 0xffff ? 2 : 1;
      node = this.childOf(node, cp);
      if (node < 0) break;
      const v = this.valueOf[node] as number;
      if (v >= 0) {
        end = j;
        value = v;
      }
    }
    this.matchEnd = end;
    this.matchValue = value;
    return end;
  }

  /** Splits `s` into matched keys and the runs between them (opencc-js `segment`). */
  segment(s: string): string[] {
    const segments: string[] = [];
    let unmatchedFrom = -1;
    for (let i = 0; i < s.length; ) {
      const end = this.matchPrefix(s, i);
      if (end > 0) {
        if (unmatchedFrom >= 0) {
          segments.push(s.slice(unmatchedFrom, i));
          unmatchedFrom = -1;
        }
        segments.push(s.slice(i, end));
        i = end;
      } else {
        if (unmatchedFrom < 0) unmatchedFrom = i;
        i += unmatchedLength(s, i);
      }
    }
    if (unmatchedFrom >= 0) segments.push(s.slice(unmatchedFrom));
    return segments;
  }

  /** Replaces each longest match by its value (opencc-js `convert`). */
  convert(s: string): string {
    const out: string[] = [];
    let unmatchedFrom = -1;
    for (let i = 0; i < s.length; ) {
      const end = this.matchPrefix(s, i);
      if (end > 0) {
        if (unmatchedFrom >= 0) {
          out.push(s.slice(unmatchedFrom, i));
          unmatchedFrom = -1;
        }
        out.push(this.values[this.matchValue] as string);
        i = end;
      } else {
        if (unmatchedFrom < 0) unmatchedFrom = i;
        i += unmatchedLength(s, i);
      }
    }
    if (unmatchedFrom >= 0) out.push(s.slice(unmatchedFrom));
    return out.join('');
  }
}

const codePointLength = (s: string, i: number): number => ((s.codePointAt(i) as number) > 0xffff ? 2 : 1);

/** Operands of an ideographic description character (⿰ ⿱ …): such a sequence is kept whole when unmatched. */
function descriptionArity(cp: number): number {
  if (cp >= 0x2ff0 && cp <= 0x2ff1) return 2;
  if (cp >= 0x2ff2 && cp <= 0x2ff3) return 3;
  if (cp >= 0x2ff4 && cp <= 0x2fff) return 2;
  return 0;
}

function descriptionSequenceEnd(s: string, i: number): number {
  const arity = descriptionArity(s.codePointAt(i) as number);
  if (arity === 0) return 0;
  let end = i + codePointLength(s, i);
  for (let n = 0; n < arity; n += 1) {
    if (end >= s.length) return 0;
    const childEnd = descriptionSequenceEnd(s, end);
    end = childEnd || end + codePointLength(s, end);
  }
  return end;
}

function unmatchedLength(s: string, i: number): number {
  const end = descriptionSequenceEnd(s, i);
  return end > i ? end - i : codePointLength(s, i);
}

/** One OpenCC configuration (as opencc-js's presets write it). */
export interface ConversionConfig {
  normalization: readonly Dictionary[];
  segmentation: readonly Dictionary[];
  conversionChain: readonly (readonly Dictionary[])[];
}

/** A converter for one configuration: normalise, segment, then each conversion trie over each segment. */
export function scriptConverter(config: ConversionConfig): (text: string) => string {
  const normalization = new ArrayTrie(config.normalization);
  const segmentation = new ArrayTrie(config.segmentation);
  const chain = config.conversionChain.map((group) => new ArrayTrie(group));
  return (text) => {
    let segments = segmentation.segment(normalization.convert(text));
    for (const trie of chain) segments = segments.map((segment) => trie.convert(segment));
    return segments.join('');
  };
}
