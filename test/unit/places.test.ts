import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLACES_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { extractFeatures, DEFAULT_FEATURE_OPTIONS } from '../../shared/domain/classification/features.ts';
import { normaliseEnquiryText } from '../../shared/domain/classification/normalise.ts';
import { maskPlaces, placeNamesFromTsv } from '../../shared/domain/classification/places.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

const names = ['牛頭角', '牛頭角道', 'ngau tau kok', 'ngau tau kok road', 'central'];

describe('place masking', () => {
  it('masks the longest known name, in Chinese anywhere and in English as whole words only', () => {
    expect(maskPlaces('牛頭角道啲地磚罅冒水', names)).toEqual({ text: ' 啲地磚罅冒水', places: 1 });
    expect(maskPlaces('water on ngau tau kok road near central', names)).toEqual({ text: 'water on   near  ', places: 2 });
    expect(maskPlaces('a centralised bin store', names)).toEqual({ text: 'a centralised bin store', places: 0 });
  });

  it('keeps the cow out of 牛頭角: no 牛 feature from a place name, one <place> feature instead', () => {
    const text = normaliseEnquiryText('牛頭角道有水湧出');
    const features = extractFeatures(text, { ...DEFAULT_FEATURE_OPTIONS, placeNames: names });
    expect(features).toContain('w:<place>');
    expect(features.some((feature) => feature.includes('牛'))).toBe(false);
    expect(extractFeatures(text, DEFAULT_FEATURE_OPTIONS).some((feature) => feature.includes('牛'))).toBe(true);
  });

  it('reads the shipped gazetteer (both languages) and names a malformed line', () => {
    const all = placeNamesFromTsv(readFileSync(join(KNOWLEDGE_DIR, PLACES_FILE), 'utf8'), PLACES_FILE);
    expect(all.length).toBeGreaterThan(1_000);
    expect(all).toEqual(expect.arrayContaining(['牛頭角', 'Ngau Tau Kok', '彌敦道', 'Nathan Road']));
    expect(() => placeNamesFromTsv('# places\n旺角\tMong Kok\tarea\tyau-tsim-mong\n牛\tCow\tarea\t-\n', 'places.tsv')).toThrow(/places\.tsv:3: expected/);
  });
});
