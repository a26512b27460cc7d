/**
 * A classifier's feature names in weight order and the way back from a name to its index.
 *
 * Training and the JSON form hold the names as an array and index them with a Map. The shipped model holds
 * them as one UTF-8 text, a name per line (model-binary.ts): classify loads two classifiers of ~61 000
 * features at every cold start, and splitting that text into 122 000 strings and two Maps cost ~30 ms of its
 * init (profiled) and ~13 MB of RSS (bench, 128 → 115 MB). `featureNamesFromLines` keeps the text as it is and indexes the lines with an open-addressing
 * hash table of typed arrays, comparing a looked-up name with the text in place: same answers as the Map
 * (test/unit/feature-names.test.ts compares them on the shipped model's names).
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

/** FNV-1a over the UTF-16 code units of a name (featureNamesFromLines computes the same while scanning). */
function hashOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Whether a[aStart, aEnd) equals b[bStart, bEnd), compared in place. */
function sameText(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i += 1) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

/** Names from `text`, one per line (`\n`-separated, no trailing newline; '' is no names). */
export function featureNamesFromLines(text: string): FeatureNames {
  // One pass over the text: line starts and each line's hash together (the text is ~450 000 characters).
  const startList: number[] = [];
  const hashList: number[] = [];
  if (text !== '') {
    let hash = 0x811c9dc5;
    startList.push(0);
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      if (unit === 10) {
        hashList.push(hash >>> 0);
        startList.push(i + 1);
        hash = 0x811c9dc5;
      } else {
        hash = Math.imul(hash ^ unit, 0x01000193);
      }
    }
    hashList.push(hash >>> 0);
  }
  const size = startList.length;
  // starts[size] is one past the end, so line i is text[starts[i], starts[i + 1] - 1).
  const starts = new Int32Array(size + 1);
  starts.set(startList);
  starts[size] = text.length + 1;
  let capacity = 1;
  while (capacity < size * 2) capacity *= 2;
  const mask = capacity - 1;
  // Slot holds feature index + 1; 0 = empty. Linear probing; a later equal name replaces an earlier one.
  const slots = new Int32Array(capacity);
  for (let i = 0; i < size; i += 1) {
    let slot = (hashList[i] as number) & mask;
    for (;;) {
      const held = slots[slot] as number;
      if (held === 0 || sameText(text, starts[held - 1] as number, (starts[held] as number) - 1, text, starts[i] as number, (starts[i + 1] as number) - 1)) break;
      slot = (slot + 1) & mask;
    }
    slots[slot] = i + 1;
  }
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
