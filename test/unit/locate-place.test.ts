import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISTRICT_IDS } from '../../shared/vocabulary/districts.ts';
import { PLACES_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { gazetteerFromTsv, publicPlaceNames } from '../../shared/domain/location/gazetteer.ts';
import { locatePlace } from '../../shared/domain/location/locate.ts';
import { createRedactor } from '../../shared/domain/redaction/index.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

const TSV = [
  '# a small gazetteer',
  '香港\tHong Kong\tarea\t-',
  '觀塘區\tKwun Tong District\tarea\tkwun-tong',
  '觀塘\tKwun Tong\tarea\tkwun-tong\t官塘',
  '觀塘道\tKwun Tong Road\tstreet\tkwun-tong',
  '觀塘站\tKwun Tong Station\tstation\tkwun-tong',
  '樂富邨\tLok Fu Estate\testate\twong-tai-sin',
  '深水埗\tSham Shui Po\tarea\tsham-shui-po',
  '荃灣\tTsuen Wan\tarea\ttsuen-wan',
  '屯門\tTuen Mun\tarea\ttuen-mun',
  '青山公路\tCastle Peak Road\tstreet\tsham-shui-po,kwai-tsing,tsuen-wan,tuen-mun,yuen-long,north',
  '屯門公路\tTuen Mun Road\tstreet\ttsuen-wan,tuen-mun',
  "皇后大道中\tQueen's Road Central\tstreet\tcentral-and-western",
  '中環\tCentral\tarea\tcentral-and-western\t\tcased',
  '尖沙咀\tTsim Sha Tsui\tarea\tyau-tsim-mong\tTST|尖沙嘴',
  '尖沙咀鐘樓\tTsim Sha Tsui Clock Tower\tlandmark\tyau-tsim-mong',
].join('\n');
const places = gazetteerFromTsv(TSV, 'test.tsv');

describe('locatePlace', () => {
  it('maps a district name, an area, a street and an estate to their district, naming the place from the gazetteer', () => {
    expect(locatePlace('觀塘區有好多垃圾', places)).toEqual({ status: 'found', district: 'kwun-tong', place: { en: 'Kwun Tong District', zh: '觀塘區', kind: 'area' } });
    expect(locatePlace('Rubbish in Kwun Tong District', places)).toMatchObject({ status: 'found', district: 'kwun-tong' });
    expect(locatePlace('觀塘道有個窿', places)).toMatchObject({ status: 'found', place: { zh: '觀塘道', kind: 'street' } });
    expect(locatePlace('lift broken at Lok Fu Estate', places)).toMatchObject({ status: 'found', district: 'wong-tai-sin', place: { kind: 'estate' } });
  });

  it('reads Simplified Chinese and 村 for 邨', () => {
    expect(locatePlace('观塘道的路灯坏了', places)).toMatchObject({ status: 'found', district: 'kwun-tong', place: { zh: '觀塘道' } });
    expect(locatePlace('我住乐富村', places)).toMatchObject({ status: 'found', district: 'wong-tai-sin', place: { zh: '樂富邨' } });
  });

  it('tolerates spacing, case, abbreviations and one typo in longer Latin names, and aliases inside longer names', () => {
    for (const text of ['kwuntong', 'KWUN TONG', 'Kwun-Tong', 'kwun tong rd', 'Kwun Tong Raod', 'Kwun Tong MTR', 'Shamshuipo', 'sham shui po']) {
      expect(locatePlace(`water leaking at ${text} today`, places).status, text).toBe('found');
    }
    expect(locatePlace('Kwun Tong Raod', places)).toMatchObject({ place: { en: 'Kwun Tong Road' } });
    expect(locatePlace('Queens Road Central', places)).toMatchObject({ district: 'central-and-western' });
    expect(locatePlace('TST clock tower smells', places)).toMatchObject({ status: 'found', place: { kind: 'landmark' } });
    expect(locatePlace('尖沙嘴鐘樓', places)).toMatchObject({ status: 'found', place: { zh: '尖沙咀鐘樓' } });
    expect(locatePlace('官塘有老鼠', places)).toMatchObject({ status: 'found', district: 'kwun-tong' });
  });

  it('matches Latin names as whole words only, and a name that is also ordinary English only when capitalised', () => {
    expect(locatePlace('the central heating is broken', places)).toEqual({ status: 'unknown' });
    expect(locatePlace('the Central ferry piers', places)).toMatchObject({ status: 'found', district: 'central-and-western' });
    expect(locatePlace('a kwuntongese dish', places)).toEqual({ status: 'unknown' });
  });

  it('says a road crossing districts is ambiguous, unless another place narrows it', () => {
    expect(locatePlace('accident on Tuen Mun Road', places)).toEqual({
      status: 'ambiguous',
      candidates: ['tsuen-wan', 'tuen-mun'],
      place: { en: 'Tuen Mun Road', zh: '屯門公路', kind: 'street' },
    });
    expect(locatePlace('pothole on Castle Peak Road in Tsuen Wan', places)).toMatchObject({ status: 'found', district: 'tsuen-wan', place: { en: 'Castle Peak Road' } });
    expect(locatePlace('屯門公路近屯門嗰段', places)).toMatchObject({ status: 'found', district: 'tuen-mun' });
  });

  it('prefers the most specific place, and says so when equally specific places disagree', () => {
    expect(locatePlace('樂富邨 near Kwun Tong Road', places)).toMatchObject({ status: 'found', district: 'wong-tai-sin', place: { kind: 'estate' } });
    expect(locatePlace('I moved from Sham Shui Po to Tuen Mun', places)).toMatchObject({ status: 'ambiguous', candidates: ['sham-shui-po', 'tuen-mun'] });
  });

  it('leaves unknown what names no place, a place outside Hong Kong, or only places too broad to locate', () => {
    for (const text of ['the bin near my home is full', 'I am calling from London', '成個香港啲街燈都咁暗', '', 'Flat 12B, 23/F']) {
      expect(locatePlace(text, places), text).toEqual({ status: 'unknown' });
    }
  });

  it('never puts a flat, floor or block in its answer: only gazetteer names come out', () => {
    const redactor = createRedactor();
    for (const raw of ['樂富邨樂信樓12樓1203室漏水', 'Flat 3A, 12/F, Block 2, Lok Fu Estate, water leak', '我住觀塘道23號5樓B室']) {
      const location = locatePlace(redactor.redact(raw).text, places);
      const output = JSON.stringify(location);
      expect(output).not.toMatch(/\d|樓|室|座|flat|floor|block/i);
      if (location.place) expect(places.some((place) => place.zh === location.place?.zh && place.en === location.place.en)).toBe(true);
    }
  });

  it('finds the estate or street a home address names when redaction keeps it, and still never the flat or floor', () => {
    const redactor = createRedactor({ publicPlaces: publicPlaceNames(places) });
    const cases: [string, string, string][] = [
      ['樂富邨樂信樓12樓1203室漏水', '樂富邨[ADDRESS]漏水', 'wong-tai-sin'],
      ['Flat 3A, 12/F, Block 2, Lok Fu Estate, water leak', '[ADDRESS], Lok Fu Estate, water leak', 'wong-tai-sin'],
      ['我住觀塘道23號5樓B室', '我住觀塘道[ADDRESS]', 'kwun-tong'],
      ['我住乐富村乐信楼12楼1203室', '我住[ADDRESS]', ''],
    ];
    for (const [raw, redacted, district] of cases) {
      expect(redactor.redact(raw).text).toBe(redacted);
      const location = locatePlace(redacted, places);
      expect(location.district ?? '', raw).toBe(district);
      expect(JSON.stringify(location)).not.toMatch(/\d|室|座|flat|floor|block/i);
    }
  });
});

describe('the shipped gazetteer', () => {
  const shipped = gazetteerFromTsv(readFileSync(join(KNOWLEDGE_DIR, PLACES_FILE), 'utf8'), PLACES_FILE);

  it('names every district, every district by its own name, and has estates, streets, stations and landmarks in each', () => {
    for (const id of DISTRICT_IDS) {
      const kinds = new Set(shipped.filter((place) => place.districts.includes(id)).map((place) => place.kind));
      expect([...kinds], id).toEqual(expect.arrayContaining(['area', 'street', 'estate', 'station', 'landmark']));
    }
    expect(locatePlace('葵青區', shipped)).toMatchObject({ status: 'found', district: 'kwai-tsing' });
    expect(locatePlace('Islands District', shipped)).toMatchObject({ status: 'found', district: 'islands' });
  });

  it('rejects a malformed line, an unknown kind or district and a name listed twice, naming the line', () => {
    expect(() => gazetteerFromTsv('旺角\tMong Kok\tarea\n', 'p.tsv')).toThrow(/p\.tsv:1: expected/);
    expect(() => gazetteerFromTsv('旺角\tMong Kok\tvillage\tyau-tsim-mong\n', 'p.tsv')).toThrow(/p\.tsv:1: kind must be/);
    expect(() => gazetteerFromTsv('旺角\tMong Kok\tarea\tmongkok\n', 'p.tsv')).toThrow(/unknown district id "mongkok"/);
    expect(() => gazetteerFromTsv('旺角\tMong Kok\tarea\tyau-tsim-mong\n望角\tMong kok\tarea\tyau-tsim-mong\n', 'p.tsv')).toThrow(/p\.tsv:2: "Mong kok" is already listed on line 1/);
  });

  it('locates a mixed-script enquiry with the shipped index', () => {
    expect(locatePlace('我住喺九龍灣德福花園，樓下成日有人亂拋垃圾，Kowloon Bay MTR station exit A', shipped)).toMatchObject({ status: 'found', district: 'kwun-tong' });
  });
});
