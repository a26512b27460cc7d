/**
 * A classifier's feature names in weight order and the way back from a name to its index.
 *
 * Training and the JSON form hold the names as an array and index them with a Map. The shipped model holds
 * them as one UTF-8 text, a name per line (model-binary.ts): classify loads two classifiers of ~61 000
 * features at every cold start, and splitting that text into 122 000 strings and two Maps cost ~30 ms of its
 * init (profiled) and ~13 MB of RSS (bench, 128 → 115 MB). Instead the text stays as it is, indexed by an
 * open-addressing hash table of typed arrays that compares a looked-up name with the text in place: same answers
 * as the Map (test/unit/feature-names.test.ts compares them on the shipped model's names). Hashing 900 000
 * characters still cost 20–30 ms of a cold start, so the model file carries the index (`featureNameIndex`, built
 * when the model is written) and classify only checks its shape (`featureNamesFromIndex`).
 */
export interface FeatureNames {
  readonly size: number;
  /** The name of feature `i` (0 ≤ i < size). */
  nameAt(i: number): string;
  /** The index of a feature name; undefined for a name the model does not know. */
  indexOf(name: string): number | undefined;
}

/** Names from an array: a Map from name to index (a name listed twice answers with its last index, as Map.set). */
export function featureNamesFromList(names: readonly string[]): FeatureNames {
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i += 1) index.set(names[i] as string, i);
  return { size: names.length, nameAt: (i) => names[i] as string, indexOf: (name) => index.get(name) };
}

/** Every name in weight order (the JSON form). */
export function featureNameList(names: FeatureNames): string[] {
  return Array.from({ length: names.size }, (_, i) => names.nameAt(i));
}

/**
 * How the index hashes and probes; a model file names it, so a change here cannot meet an index built the old way
 * (model-binary.ts refuses another scheme: write the model again).
 */
export const FEATURE_INDEX_SCHEME = 'fnv1a-utf16/linear-probing/v1';

/** The lookup structure over a text of names, one per line. */
export interface FeatureNameIndex {
  /** starts[i] is where line i begins; starts[size] = text.length + 1, so line i is text[starts[i], starts[i + 1] − 1). */
  readonly starts: Int32Array;
  /** Open addressing with linear probing, capacity a power of two ≥ 2 × size: feature index + 1 per used slot, 0 = empty. */
  readonly slots: Int32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of a name (featureNameIndex computes the same while scanning). */
function hashOf(name: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** Whether a[aStart, aEnd) equals b[bStart, bEnd), compared in place. */
function sameText(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i += 1) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

const capacityFor = (size: number): number => {
  let capacity = 1;
  while (capacity < size * 2) capacity *= 2;
  return capacity;
};

/** The index of `text`'s lines (`\n`-separated, no trailing newline; '' is no names): built when a model is written. */
export function featureNameIndex(text: string): FeatureNameIndex {
  let size = text === '' ? 0 : 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) size += 1;
  const starts = new Int32Array(size + 1);
  const hashes = new Int32Array(size);
  // One pass over the text: line starts and each line's hash together.
  let line = 0;
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit === 10) {
      hashes[line] = hash;
      line += 1;
      starts[line] = i + 1;
      hash = FNV_OFFSET;
    } else {
      hash = Math.imul(hash ^ unit, FNV_PRIME);
    }
  }
  if (size > 0) hashes[line] = hash;
  starts[size] = text.length + 1;
  const slots = new Int32Array(capacityFor(size));
  const mask = slots.length - 1;
  for (let i = 0; i < size; i += 1) {
    let slot = (hashes[i] as number) & mask;
    for (;;) {
      const held = slots[slot] as number;
      // A later equal name replaces an earlier one (as Map.set does).
      if (held === 0 || sameText(text, starts[held - 1] as number, (starts[held] as number) - 1, text, starts[i] as number, (starts[i + 1] as number) - 1)) break;
      slot = (slot + 1) & mask;
    }
    slots[slot] = i + 1;
  }
  return { starts, slots };
}

/**
 * Names from `text` with an index built by featureNameIndex (here or when the model was written). The index's
 * shape is checked, so a damaged one cannot read outside the text or name a line that is not one; it can only make
 * `indexOf` miss names, as damaged weights would score them wrong: the file's integrity is the layer's.
 */
export function featureNamesFromIndex(text: string, { starts, slots }: FeatureNameIndex): FeatureNames {
  const size = starts.length - 1;
  const damaged = (what: string): Error => new Error(`feature name index does not fit its names: ${what}`);
  if (size < 0 || starts[size] !== text.length + 1 || (size === 0) !== (text === '') || (size > 0 && starts[0] !== 0)) throw damaged('line starts');
  // Starts rise and each follows a line break, so every name is a slice of the text. (Not checked: that no line break
  // is skipped; that would only put one in a name, which no looked-up name matches. A search per line cost ~15 ms.)
  for (let i = 1; i <= size; i += 1) {
    const start = starts[i] as number;
    if (start <= (starts[i - 1] as number) || (i < size && text.charCodeAt(start - 1) !== 10)) throw damaged(`line ${i}`);
  }
  if (slots.length !== capacityFor(size)) throw damaged('table capacity');
  for (let slot = 0; slot < slots.length; slot += 1) {
    const held = slots[slot] as number;
    if (held < 0 || held > size) throw damaged(`slot ${slot}`);
  }
  const mask = slots.length - 1;
  return {
    size,
    nameAt: (i) => text.slice(starts[i] as number, (starts[i + 1] as number) - 1),
    indexOf(name) {
      let slot = hashOf(name) & mask;
      for (;;) {
        const held = slots[slot] as number;
        if (held === 0) return undefined;
        if (sameText(name, 0, name.length, text, starts[held - 1] as number, (starts[held] as number) - 1)) return held - 1;
        slot = (slot + 1) & mask;
      }
    },
  };
}

/** Names from `text`, one per line (`\n`-separated, no trailing newline; '' is no names), indexed now. */
export function featureNamesFromLines(text: string): FeatureNames {
  return featureNamesFromIndex(text, featureNameIndex(text));
}
