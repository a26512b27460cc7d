import { isDistrictId, PLACE_KINDS, type DistrictId, type PlaceKind } from '#vocabulary/districts.ts';

/**
 * One place of the shipped gazetteer (layers/knowledge/glossary/places-hk.tsv): its names, what kind of place
 * it is and the districts it lies in. Masking (classification) reads every name; locating reads the rest.
 */
export interface GazetteerPlace {
  zh: string;
  en: string;
  kind: PlaceKind;
  /** Every district the place lies in; empty: too broad or not confirmed, so it never locates an enquiry. */
  districts: DistrictId[];
  /** Other spellings callers use (Latin or Chinese). */
  aliases: string[];
  /** The English name is also ordinary English ("Central"): it locates only when written capitalised. */
  cased: boolean;
}

const HAN_NAME = /^\p{Script=Han}{2,}$/u;
const LATIN_NAME = /^[A-Z][A-Za-z' -]+$/;
const LATIN_ALIAS = /^[A-Za-z][A-Za-z' -]+$/;

function isPlaceKind(value: string): value is PlaceKind {
  return (PLACE_KINDS as readonly string[]).includes(value);
}

/** Parses the gazetteer; a malformed line, an unknown kind or district, or a name listed twice names its line. */
export function gazetteerFromTsv(tsv: string, source = 'places'): GazetteerPlace[] {
  const places: GazetteerPlace[] = [];
  const seen = new Map<string, number>();
  tsv.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const fail = (problem: string): never => {
      throw new Error(`${source}:${i + 1}: ${problem}, got ${JSON.stringify(line.slice(0, 80))}`);
    };
    const [zh, en, kind, districts, aliases = '', cased, extra] = line.split('\t');
    if (!zh || !en || !kind || !districts || extra !== undefined || !HAN_NAME.test(zh) || !LATIN_NAME.test(en)) {
      fail('expected "<Chinese name><TAB><English name><TAB><kind><TAB><districts>[<TAB><aliases>][<TAB>cased]"');
    }
    if (!isPlaceKind(kind as string)) fail(`kind must be one of ${PLACE_KINDS.join(', ')}`);
    const ids = districts === '-' ? [] : (districts as string).split(',');
    const badId = ids.find((id) => !isDistrictId(id));
    if (badId !== undefined) fail(`unknown district id "${badId}"`);
    if (new Set(ids).size !== ids.length) fail('a district is listed twice');
    if (cased !== undefined && cased !== 'cased') fail('the sixth column may only be "cased"');
    const aliasList = aliases === '' ? [] : aliases.split('|');
    const badAlias = aliasList.find((alias) => !HAN_NAME.test(alias) && !LATIN_ALIAS.test(alias));
    if (badAlias !== undefined) fail(`alias "${badAlias}" is neither a Chinese nor a Latin name`);
    for (const name of [zh, en, ...aliasList] as string[]) {
      const key = name.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) fail(`"${name}" is already listed on line ${first}`);
      seen.set(key, i + 1);
    }
    places.push({
      zh: zh as string,
      en: en as string,
      kind: kind as PlaceKind,
      districts: ids as DistrictId[],
      aliases: aliasList,
      cased: cased === 'cased',
    });
  });
  return places;
}

/**
 * Names that say where, not who (estates, streets, areas, stations, landmarks; not buildings, which may be small),
 * with 村 for 邨: what redaction may keep of a home address. Traditional only: Simplified forms would need the
 * script converter in the redact function's bundle, so a Simplified home address is still redacted whole.
 */
export function publicPlaceNames(places: readonly GazetteerPlace[]): string[] {
  const names = new Set<string>();
  for (const place of places) {
    if (place.kind === 'building') continue;
    for (const name of [place.zh, place.en, ...place.aliases]) {
      names.add(name);
      names.add(name.replaceAll('邨', '村'));
    }
  }
  return [...names];
}

/** Every spelling of every place, both scripts: what classification masks. */
export function gazetteerNames(places: readonly GazetteerPlace[]): string[] {
  return places.flatMap((place) => [place.zh, place.en, ...place.aliases]);
}
