import { gazetteerFromTsv, gazetteerNames } from '../location/gazetteer.ts';

/*
 * Place names say where, not what: "牛頭角道" is not about cows (牛) and "Tuen Mun Road" is no more about
 * roads than any other address. Masking them before feature extraction keeps the classifier from
 * learning topics from the places that happen to appear in its examples.
 */

/** Names by their first character, longest first, so "牛頭角道" wins over "牛頭角" (one regex of 2 000 names was 10× slower). */
type PlaceIndex = Map<string, string[]>;

const indexes = new WeakMap<readonly string[], PlaceIndex>();

function indexFor(names: readonly string[]): PlaceIndex {
  let index = indexes.get(names);
  if (index) return index;
  index = new Map();
  for (const name of new Set(names)) {
    if (name.length < 2) continue;
    const first = name[0] as string;
    index.set(first, [...(index.get(first) ?? []), name]);
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  indexes.set(names, index);
  return index;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const HAN = /\p{Script=Han}/u;

/** Latin names match whole words only ("central" in "centralised" is not a place); Han names match anywhere. */
function matchesAt(text: string, at: number, name: string): boolean {
  if (!text.startsWith(name, at)) return false;
  if (HAN.test(name)) return true;
  const before = text[at - 1];
  const after = text[at + name.length];
  return (before === undefined || !WORD_CHAR.test(before)) && (after === undefined || !WORD_CHAR.test(after));
}

/** The text with every known place name replaced by a space, and how many were found. Names must be normalised like the text. */
export function maskPlaces(normalisedText: string, names: readonly string[]): { text: string; places: number } {
  const index = indexFor(names);
  let out = '';
  let places = 0;
  let i = 0;
  while (i < normalisedText.length) {
    const found = index.get(normalisedText[i] as string)?.find((name) => matchesAt(normalisedText, i, name));
    if (found) {
      out += ' ';
      places += 1;
      i += found.length;
    } else {
      out += normalisedText[i];
      i += 1;
    }
  }
  return { text: out, places };
}

/** Every name and alias of the shipped gazetteer (layers/knowledge/glossary/places-hk.tsv), both languages. */
export function placeNamesFromTsv(tsv: string, source = 'places'): string[] {
  return gazetteerNames(gazetteerFromTsv(tsv, source));
}
