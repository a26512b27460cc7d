/**
 * The 18 districts of Hong Kong (District Councils Ordinance, Cap. 547): the unit of district governance
 * and the finest "where" that counters and reports keep. One definition; ids are stable keys.
 */
export const DISTRICTS = {
  'central-and-western': { en: 'Central and Western', 'zh-Hant': '中西區', 'zh-Hans': '中西区', region: 'hong-kong-island' },
  'wan-chai': { en: 'Wan Chai', 'zh-Hant': '灣仔區', 'zh-Hans': '湾仔区', region: 'hong-kong-island' },
  eastern: { en: 'Eastern', 'zh-Hant': '東區', 'zh-Hans': '东区', region: 'hong-kong-island' },
  southern: { en: 'Southern', 'zh-Hant': '南區', 'zh-Hans': '南区', region: 'hong-kong-island' },
  'yau-tsim-mong': { en: 'Yau Tsim Mong', 'zh-Hant': '油尖旺區', 'zh-Hans': '油尖旺区', region: 'kowloon' },
  'sham-shui-po': { en: 'Sham Shui Po', 'zh-Hant': '深水埗區', 'zh-Hans': '深水埗区', region: 'kowloon' },
  'kowloon-city': { en: 'Kowloon City', 'zh-Hant': '九龍城區', 'zh-Hans': '九龙城区', region: 'kowloon' },
  'wong-tai-sin': { en: 'Wong Tai Sin', 'zh-Hant': '黃大仙區', 'zh-Hans': '黄大仙区', region: 'kowloon' },
  'kwun-tong': { en: 'Kwun Tong', 'zh-Hant': '觀塘區', 'zh-Hans': '观塘区', region: 'kowloon' },
  'kwai-tsing': { en: 'Kwai Tsing', 'zh-Hant': '葵青區', 'zh-Hans': '葵青区', region: 'new-territories' },
  'tsuen-wan': { en: 'Tsuen Wan', 'zh-Hant': '荃灣區', 'zh-Hans': '荃湾区', region: 'new-territories' },
  'tuen-mun': { en: 'Tuen Mun', 'zh-Hant': '屯門區', 'zh-Hans': '屯门区', region: 'new-territories' },
  'yuen-long': { en: 'Yuen Long', 'zh-Hant': '元朗區', 'zh-Hans': '元朗区', region: 'new-territories' },
  north: { en: 'North', 'zh-Hant': '北區', 'zh-Hans': '北区', region: 'new-territories' },
  'tai-po': { en: 'Tai Po', 'zh-Hant': '大埔區', 'zh-Hans': '大埔区', region: 'new-territories' },
  'sha-tin': { en: 'Sha Tin', 'zh-Hant': '沙田區', 'zh-Hans': '沙田区', region: 'new-territories' },
  'sai-kung': { en: 'Sai Kung', 'zh-Hant': '西貢區', 'zh-Hans': '西贡区', region: 'new-territories' },
  islands: { en: 'Islands', 'zh-Hant': '離島區', 'zh-Hans': '离岛区', region: 'new-territories' },
} as const satisfies Record<string, { en: string; 'zh-Hant': string; 'zh-Hans': string; region: string }>;

export type DistrictId = keyof typeof DISTRICTS;
export const DISTRICT_IDS = Object.keys(DISTRICTS) as DistrictId[];

export function isDistrictId(value: string): value is DistrictId {
  return Object.hasOwn(DISTRICTS, value);
}

/**
 * Where an enquiry is about, from its redacted text (never the flat, floor or house number).
 * found: one district; ambiguous: the place lies in several (e.g. a road crossing a district boundary);
 * unknown: no known place named.
 */
export interface EnquiryLocation {
  status: 'found' | 'ambiguous' | 'unknown';
  /** Set when found. */
  district?: DistrictId;
  /** Set when ambiguous: every district the place lies in. */
  candidates?: DistrictId[];
  /** The gazetteer's names of the place found (estate, street, building, landmark, MTR station or area). */
  place?: { en: string; zh: string; kind: PlaceKind };
}

export const PLACE_KINDS = ['estate', 'street', 'building', 'landmark', 'station', 'area'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];
