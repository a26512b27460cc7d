import { withoutPublicPlaces, type PublicPlaceIndex } from './public-places.ts';
import type { Candidate, TextRange } from './spans.ts';

/**
 * Hong Kong addresses are redacted only when they point at a home or unit: a flat/room or floor must be
 * present ("Flat 3A, 12/F, Wing Fat Building", "華豐大廈12樓A室", "禾輋邨豐和樓1234室"). A bare street
 * number ("23 Nathan Road", "彌敦道123號") or an estate name alone says where a problem is, not who the
 * caller is, and departments need it, so it stays. With the gazetteer's public place names, an estate, street
 * or area at the start or end of a home address stays too ("樂富邨[ADDRESS]"; see public-places.ts).
 */

type ComponentKind = 'flat' | 'floor' | 'block' | 'building' | 'street';

interface AddressComponent {
  kind: ComponentKind;
  pattern: RegExp; // sticky
}

/** "Building" or "building": proper names are capitalised but the generic word often is not. */
function eitherInitialCase(words: string[]): string {
  return words.map((word) => `[${word.charAt(0).toUpperCase()}${word.charAt(0).toLowerCase()}]${word.slice(1)}`).join('|');
}

const CAPITALISED_WORDS = String.raw`(?:[A-Z][A-Za-z'’.-]*\s+){1,4}`;
const BUILDING_WORDS = eitherInitialCase([
  'Building', 'Bldg', 'Mansions', 'Mansion', 'House', 'Court', 'Towers', 'Tower', 'Centre', 'Center', 'Estate',
  'Gardens', 'Garden', 'Plaza', 'Villas', 'Villa', 'Heights', 'Terrace', 'Lodge', 'Place', 'Apartments', 'Castle',
  'City', 'Chuen', 'Shing', 'Village',
]);
const STREET_WORDS = eitherInitialCase([
  'Road', 'Rd', 'Street', 'St', 'Lane', 'Avenue', 'Ave', 'Path', 'Drive', 'Crescent', 'Circuit', 'Highway', 'Praya',
]);
const ORDINAL_WORDS =
  'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|top';

/** English components; tried in this order at each position of a chain. */
const ENGLISH_COMPONENTS: AddressComponent[] = [
  {
    kind: 'flat',
    pattern: /(?:flat|room|rm|unit|apartment|apt|suite)\.?\s*(?:no\.?\s*)?(?:[a-z]\d{0,4}|\d{1,4}[a-z]?)(?![a-z0-9])/iy,
  },
  {
    // Ground floors (G/F, 地下) are left out on purpose: they are shops and public places, rarely homes.
    kind: 'floor',
    pattern: new RegExp(
      String.raw`(?:\d{1,2}\s*\/\s*f|(?:\d{1,2}(?:st|nd|rd|th)|${ORDINAL_WORDS})\s+floor|floor\s+\d{1,2})(?![a-z0-9])`,
      'iy',
    ),
  },
  { kind: 'block', pattern: /(?:block|blk|tower|phase)\s*(?:[a-z]|\d{1,2})(?![a-z0-9])/iy },
  {
    kind: 'street',
    pattern: new RegExp(
      String.raw`(?:(?:No\.?\s*)?\d{1,4}[A-Z]?(?:\s*-\s*\d{1,4}[A-Z]?)?,?\s+)?${CAPITALISED_WORDS}(?:${STREET_WORDS})(?![A-Za-z])\.?`,
      'y',
    ),
  },
  { kind: 'building', pattern: new RegExp(String.raw`${CAPITALISED_WORDS}(?:${BUILDING_WORDS})(?![A-Za-z])`, 'y') },
];

/** Between English components: a comma, or words like "on the 12th floor of". */
const ENGLISH_SEPARATOR = /(?:\s*,\s*|\s+)(?:(?:on\s+the|of\s+the|of|at|in|on)\s+)?/iy;

function matchSticky(pattern: RegExp, text: string, at: number): number | undefined {
  pattern.lastIndex = at;
  const match = pattern.exec(text);
  return match ? at + match[0].length : undefined;
}

function matchComponent(components: AddressComponent[], text: string, at: number): { kind: ComponentKind; end: number } | undefined {
  for (const component of components) {
    const end = matchSticky(component.pattern, text, at);
    if (end !== undefined) return { kind: component.kind, end };
  }
  return undefined;
}

/** A chain is an address when it names a flat or floor and at least one more part. */
function isUnitAddress(kinds: ComponentKind[]): boolean {
  return kinds.length >= 2 && kinds.some((kind) => kind === 'flat' || kind === 'floor');
}

/**
 * A floor of a public building ("3/F of Sheung Wan Municipal Services Building", "上環市政大廈三樓")
 * locates a complaint, not a caller. Only a flat or room there would be personal.
 */
const PUBLIC_PLACE =
  /\b(?:Municipal|Government|Community|Services|Sports|Civic|Public|Library|Hospital|Clinic|Market|Complex|Hall|School|College|University|Station|Mall|Terminal|Offices)\b|市政|政府|社區|社区|體育|体育|圖書館|图书馆|醫院|医院|診所|诊所|街市|會堂|会堂|合署|商場|商场|學校|学校|車站|车站/;

function isPublicPlaceFloor(kinds: ComponentKind[], addressText: string): boolean {
  return !kinds.includes('flat') && PUBLIC_PLACE.test(addressText);
}

/** Longest chain of English components joined by separators, starting at `at`. */
function readEnglishChain(text: string, at: number): { kinds: ComponentKind[]; end: number } | undefined {
  const first = matchComponent(ENGLISH_COMPONENTS, text, at);
  if (!first) return undefined;
  const kinds = [first.kind];
  let end = first.end;
  for (;;) {
    const afterSeparator = matchSticky(ENGLISH_SEPARATOR, text, end);
    const next = afterSeparator === undefined ? undefined : matchComponent(ENGLISH_COMPONENTS, text, afterSeparator);
    if (!next) return { kinds, end };
    kinds.push(next.kind);
    end = next.end;
  }
}

function findEnglishAddresses(text: string): TextRange[] {
  const found: TextRange[] = [];
  for (let at = 0; at < text.length; at++) {
    if (at > 0 && /[A-Za-z0-9]/.test(text.charAt(at - 1))) continue; // chains start at a word start
    const chain = readEnglishChain(text, at);
    if (chain && isUnitAddress(chain.kinds) && !isPublicPlaceFloor(chain.kinds, text.slice(at, chain.end))) {
      found.push({ start: at, end: chain.end });
      at = chain.end - 1;
    }
  }
  return found;
}

// Chinese addresses run from large to small (district, street + number, estate, building, block, floor,
// flat), so we find the floor/flat/block "anchors" and extend left over the place name before them.

const CHINESE_NUMERAL = '[一二三四五六七八九十]';
const CHINESE_ANCHORS: AddressComponent[] = [
  {
    kind: 'flat',
    pattern: /(?:[A-Za-z]?\d{1,4}[A-Za-z]?|[A-Za-z])\s*(?:號室|号室|室|單位|单位)/y,
  },
  {
    kind: 'floor',
    // 樓梯 (stairs), 樓宇 (buildings), 樓價/樓盤 (property prices) are not floors.
    pattern: new RegExp(String.raw`(?:\d{1,3}|${CHINESE_NUMERAL}{1,3})\s*(?:樓|楼|層|层)(?![梯宇價价盤盘])|\d{1,3}\s*\/\s*[Ff]`, 'y'),
  },
  { kind: 'block', pattern: new RegExp(String.raw`第?(?:[A-Za-z]|\d{1,2}|${CHINESE_NUMERAL}{1,3})\s*(?:座|棟|栋)`, 'y') },
];
const CHINESE_ANCHOR_GAP = /[\s,、]*/y;

/** Characters a place name before the anchors may contain: Han characters except common function words, digits, 號. */
const STOP_CHARACTERS = new Set(
  '我你佢他她哋們们住喺在係系是的嘅之於于去到近對对面旁邊边隔離离想要請请麻煩烦投訴诉問问有冇無无啲呢嗰這这那咗了過过就都也話话因為为所但而與与及或個个位喂好噉咁令讓让被將将從从向向即'.split(''),
);
const PLACE_NAME_CHARACTER = /[\u4e00-\u9fffA-Za-z0-9\-號号]/;
const MAX_PLACE_NAME_LENGTH = 24;
/** Last character of a building, estate or street-number name: 大廈, 邨, 豐和樓, 中心, 廣場, 123號 ... */
const PLACE_NAME_ENDINGS = new Set('廈厦樓楼邨村苑閣阁軒轩居園园台城宮宫院莊庄心場场舍坊灣湾區区號号'.split(''));

function readChineseAnchors(text: string, at: number): { kinds: ComponentKind[]; end: number } | undefined {
  const first = matchComponent(CHINESE_ANCHORS, text, at);
  if (!first) return undefined;
  const kinds = [first.kind];
  let end = first.end;
  for (;;) {
    const afterGap = matchSticky(CHINESE_ANCHOR_GAP, text, end) ?? end;
    const next = matchComponent(CHINESE_ANCHORS, text, afterGap);
    if (!next) return { kinds, end };
    kinds.push(next.kind);
    end = next.end;
  }
}

/** Start of the place name that ends right before `anchorStart`, or undefined if none ends in a place-name ending. */
function placeNameStart(text: string, anchorStart: number): number | undefined {
  let start = anchorStart;
  while (
    start > 0 &&
    anchorStart - start < MAX_PLACE_NAME_LENGTH &&
    PLACE_NAME_CHARACTER.test(text.charAt(start - 1)) &&
    !STOP_CHARACTERS.has(text.charAt(start - 1))
  ) {
    start--;
  }
  if (start === anchorStart || !PLACE_NAME_ENDINGS.has(text.charAt(anchorStart - 1))) return undefined;
  return start;
}

function findChineseAddresses(text: string): TextRange[] {
  const found: TextRange[] = [];
  for (let at = 0; at < text.length; at++) {
    // Anchors start at a number or letter not glued to a preceding one ("A1234室" is one flat).
    if (at > 0 && /[A-Za-z0-9]/.test(text.charAt(at - 1))) continue;
    const anchors = readChineseAnchors(text, at);
    if (!anchors) continue;
    const start = placeNameStart(text, at);
    const isAddress = start !== undefined
      ? anchors.kinds.some((kind) => kind === 'flat' || kind === 'floor')
      : isUnitAddress(anchors.kinds);
    if (isAddress && !isPublicPlaceFloor(anchors.kinds, text.slice(start ?? at, anchors.end))) {
      found.push({ start: start ?? at, end: anchors.end });
      at = anchors.end - 1;
    }
  }
  return found;
}

export function findAddresses(text: string, publicPlaces?: PublicPlaceIndex): Candidate[] {
  return [...findEnglishAddresses(text), ...findChineseAddresses(text)].map((range) => ({
    type: 'ADDRESS',
    ...(publicPlaces ? withoutPublicPlaces(text, range, publicPlaces) : range),
  }));
}
