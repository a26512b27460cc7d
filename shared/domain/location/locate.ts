import { DISTRICT_IDS, type DistrictId, type EnquiryLocation, type PlaceKind } from '#vocabulary/districts.ts';
import { canonicalChineseScript } from '../classification/normalise.ts';
import type { GazetteerPlace } from './gazetteer.ts';

/*
 * Where an enquiry is about, from its redacted text. Only gazetteer names ever reach the result, so a flat,
 * floor or house number cannot: the place is the gazetteer's, never the caller's words.
 *
 * Chinese names match anywhere (after Simplified → Traditional), longest first. Latin names match whole words,
 * case-insensitively, with the spellings callers use: spacing ("Shamshuipo", "Mong kok"), "Rd"/"St"/"Est",
 * and one typo in names of eight letters or more ("Kwun Tong Raod").
 */

interface Name {
  place: GazetteerPlace;
  /** Latin names only: must be written capitalised (the name is also ordinary English). */
  cased: boolean;
}

interface PlaceIndex {
  /** Chinese spellings by first character, longest first. */
  han: Map<string, { text: string; name: Name }[]>;
  /** Latin spellings by their key (lowercase words, abbreviations expanded, no spaces). */
  latin: Map<string, Name>;
  /** Latin keys of 8+ letters by each one-letter deletion of the key, for one-typo matches. */
  latinDeletions: Map<string, string[]>;
  /** Most words a Latin name can be written in (its words plus one split). */
  maxWords: number;
}

const ABBREVIATIONS: Record<string, string> = {
  rd: 'road',
  st: 'street',
  str: 'street',
  ave: 'avenue',
  av: 'avenue',
  est: 'estate',
  stn: 'station',
  hwy: 'highway',
  ctr: 'centre',
  center: 'centre',
  bldg: 'building',
  sq: 'square',
  mt: 'mount',
};

const FUZZY_MIN_LENGTH = 8;

interface LatinWord {
  word: string;
  capitalised: boolean;
  /** Only spaces or hyphens since the previous word: the two may be one name ("Tai Po, Ma On Shan" is two places). */
  joinsPrevious: boolean;
}

/**
 * Lowercase words of a Latin text, abbreviations expanded. Apostrophes vanish ("Queen's" → "queens"); with
 * `possessive: 'drop'` an apostrophe-s goes too ("Lam Tin's estate" → "lam tin"), which the index also
 * holds for names written with one ("Queen's Road" → "queen road").
 */
function latinWords(text: string, possessive: 'keep' | 'drop' = 'keep'): LatinWord[] {
  const words: LatinWord[] = [];
  const pattern = /[A-Za-z0-9]+(?:['’][A-Za-z]+)*/g;
  let lastEnd = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const raw = (possessive === 'drop' ? match[0].replace(/['’]s$/i, '') : match[0]).replace(/['’]/g, '');
    const lower = raw.toLowerCase();
    words.push({ word: ABBREVIATIONS[lower] ?? lower, capitalised: /^[A-Z]/.test(raw), joinsPrevious: /^[\s-]*$/.test(text.slice(lastEnd, match.index)) });
    lastEnd = match.index + match[0].length;
  }
  return words;
}

function latinKey(name: string, possessive: 'keep' | 'drop' = 'keep'): string {
  return latinWords(name, possessive)
    .map((w) => w.word)
    .join('');
}

function deletions(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < key.length; i++) out.push(key.slice(0, i) + key.slice(i + 1));
  return out;
}

/** Optimal string alignment distance, stopping early: true when a and b differ by at most one edit (or one swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return true;
  const rest = (x: number, y: number) => a.slice(x) === b.slice(y);
  if (a.length === b.length) return rest(i + 1, i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && rest(i + 2, i + 2));
  return a.length > b.length ? rest(i + 1, i) : rest(i, i + 1);
}

/** Chinese and Latin spellings of every place: names, aliases and the variants callers write. */
function spellings(places: readonly GazetteerPlace[]): { han: Map<string, GazetteerPlace>; latin: Map<string, GazetteerPlace> } {
  const hanSpellings: [string, GazetteerPlace][] = [];
  const latin = new Map<string, GazetteerPlace>();
  const add = (text: string, place: GazetteerPlace) => {
    if (/\p{Script=Han}/u.test(text)) hanSpellings.push([text, place]);
    else if (!latin.has(text)) latin.set(text, place);
  };
  for (const place of places) for (const name of [place.zh, place.en, ...place.aliases]) add(name, place);
  // An alias of a name is an alias inside every longer name too: 尖沙嘴 for 尖沙咀 gives 尖沙嘴鐘樓.
  for (const place of places) {
    for (const alias of place.aliases) {
      const base = /\p{Script=Han}/u.test(alias) ? place.zh : place.en;
      for (const other of places) {
        if (other === place) continue;
        const name = /\p{Script=Han}/u.test(alias) ? other.zh : other.en;
        if (name.includes(base)) add(name.replace(base, alias), other);
      }
    }
  }
  for (const place of places) {
    // Callers write 村 for 邨 (and Simplified text has only 村).
    if (place.zh.includes('邨')) add(place.zh.replaceAll('邨', '村'), place);
    if (place.kind === 'station') {
      const zhBase = place.zh.replace(/站$/, '');
      for (const variant of [`${zhBase}站`, `${zhBase}港鐵站`, `${zhBase}地鐵站`, `港鐵${zhBase}站`]) add(variant, place);
      const enBase = place.en.replace(/ Station$/, '');
      for (const variant of [`${enBase} Station`, `${enBase} MTR Station`, `${enBase} MTR`, `MTR ${enBase} Station`]) add(variant, place);
    }
  }
  // One script conversion for all the names rather than one per name.
  const canonical = canonicalChineseScript(hanSpellings.map(([text]) => text).join('\n')).split('\n');
  const han = new Map<string, GazetteerPlace>();
  hanSpellings.forEach(([text, place], i) => {
    const name = canonical.length === hanSpellings.length ? (canonical[i] as string) : canonicalChineseScript(text);
    if (!han.has(name)) han.set(name, place);
  });
  return { han, latin };
}

const indexes = new WeakMap<readonly GazetteerPlace[], PlaceIndex>();

function indexFor(places: readonly GazetteerPlace[]): PlaceIndex {
  const cached = indexes.get(places);
  if (cached) return cached;
  const { han: hanNames, latin: latinNames } = spellings(places);
  const han = new Map<string, { text: string; name: Name }[]>();
  for (const [text, place] of hanNames) {
    const first = text[0] as string;
    han.set(first, [...(han.get(first) ?? []), { text, name: { place, cased: false } }]);
  }
  for (const list of han.values()) list.sort((a, b) => b.text.length - a.text.length || (a.text < b.text ? -1 : 1));
  const latin = new Map<string, Name>();
  const latinDeletions = new Map<string, string[]>();
  let maxWords = 1;
  for (const [text, place] of latinNames) {
    maxWords = Math.max(maxWords, latinWords(text).length + 1);
    for (const key of new Set([latinKey(text), latinKey(text, 'drop')])) {
      if (latin.has(key)) continue;
      latin.set(key, { place, cased: place.cased && text === place.en });
      if (key.length < FUZZY_MIN_LENGTH) continue;
      for (const deletion of [key, ...deletions(key)]) latinDeletions.set(deletion, [...(latinDeletions.get(deletion) ?? []), key]);
    }
  }
  const index = { han, latin, latinDeletions, maxWords };
  indexes.set(places, index);
  return index;
}

function fuzzyLatin(index: PlaceIndex, key: string): string | undefined {
  if (key.length < FUZZY_MIN_LENGTH - 1) return undefined;
  for (const probe of [key, ...deletions(key)]) {
    const match = index.latinDeletions.get(probe)?.find((candidate) => candidate[0] === key[0] && withinOneEdit(candidate, key));
    if (match) return match;
  }
  return undefined;
}

/** Places named in Latin script, left to right, longest first. */
function latinMatches(text: string, index: PlaceIndex): Name[] {
  const words = latinWords(text.normalize('NFKC'), 'drop');
  const found: Name[] = [];
  let i = 0;
  while (i < words.length) {
    let best: { name: Name; length: number } | undefined;
    let key = '';
    const spans: string[] = [];
    for (let n = 0; n < index.maxWords && i + n < words.length; n++) {
      if (n > 0 && !(words[i + n] as { joinsPrevious: boolean }).joinsPrevious) break;
      key += (words[i + n] as { word: string }).word;
      spans.push(key);
    }
    // Longest span first; at each length the exact spelling, then one typo ("Kwun Tong Raod" is the road).
    for (let n = spans.length; n >= 1 && !best; n--) {
      const span = spans[n - 1] as string;
      for (const candidate of [span, fuzzyLatin(index, span)]) {
        const name = candidate === undefined ? undefined : index.latin.get(candidate);
        if (name && (!name.cased || (words[i] as { capitalised: boolean }).capitalised)) {
          best = { name, length: n };
          break;
        }
      }
    }
    if (best) {
      found.push(best.name);
      i += best.length;
    } else {
      i += 1;
    }
  }
  return found;
}

/** Places named in Chinese (any script), longest first, anywhere in the text. */
function hanMatches(text: string, index: PlaceIndex): Name[] {
  const canonical = canonicalChineseScript(text.normalize('NFKC'));
  const found: Name[] = [];
  let i = 0;
  while (i < canonical.length) {
    const hit = index.han.get(canonical[i] as string)?.find((candidate) => canonical.startsWith(candidate.text, i));
    if (hit) {
      found.push(hit.name);
      i += hit.text.length;
    } else {
      i += 1;
    }
  }
  return found;
}

/** A housing estate, building, station or landmark is a point; a street a line; an area a region. */
const SPECIFICITY: Record<PlaceKind, number> = { estate: 3, building: 3, station: 3, landmark: 3, street: 2, area: 1 };

function intersect(a: readonly DistrictId[], b: readonly DistrictId[]): DistrictId[] {
  return a.filter((id) => b.includes(id));
}

function inDistrictOrder(ids: Iterable<DistrictId>): DistrictId[] {
  const set = new Set(ids);
  return DISTRICT_IDS.filter((id) => set.has(id));
}

function placeOf(place: GazetteerPlace): NonNullable<EnquiryLocation['place']> {
  return { en: place.en, zh: place.zh, kind: place.kind };
}

/**
 * The district an enquiry is about. The most specific places named decide (an estate over the street it is on,
 * a street over an area); a place crossing districts is narrowed by the others named ("Castle Peak Road in
 * Tsuen Wan"). Places that disagree, or a road no other place narrows, are ambiguous with every candidate.
 */
export function locatePlace(redactedText: string, places: readonly GazetteerPlace[]): EnquiryLocation {
  const index = indexFor(places);
  const named = [...hanMatches(redactedText, index), ...latinMatches(redactedText, index)]
    .map((name) => name.place)
    .filter((place, i, all) => place.districts.length > 0 && all.indexOf(place) === i);
  if (named.length === 0) return { status: 'unknown' };
  const byRank = [...named].sort((a, b) => SPECIFICITY[b.kind] - SPECIFICITY[a.kind]);
  const topRank = SPECIFICITY[(byRank[0] as GazetteerPlace).kind];
  const top = byRank.filter((place) => SPECIFICITY[place.kind] === topRank);
  const first = top[0] as GazetteerPlace;
  let candidates = top.reduce<DistrictId[]>((acc, place) => intersect(acc, place.districts), [...first.districts]);
  if (candidates.length === 0) {
    return { status: 'ambiguous', candidates: inDistrictOrder(top.flatMap((place) => place.districts)), place: placeOf(first) };
  }
  for (const place of byRank.slice(top.length)) {
    if (candidates.length === 1) break;
    const narrowed = intersect(candidates, place.districts);
    if (narrowed.length > 0) candidates = narrowed;
  }
  if (candidates.length === 1) return { status: 'found', district: candidates[0] as DistrictId, place: placeOf(first) };
  return { status: 'ambiguous', candidates: inDistrictOrder(candidates), place: placeOf(first) };
}
