import { describe, expect, it } from 'vitest';
import { evaluatePlaces, formatPlaceEvaluation, PLACE_MENTIONS_FILE } from '../../local/eval-places.ts';
import { parsePlaceMentions } from '../../shared/domain/location/evaluate.ts';
import { readFileSync } from 'node:fs';

/**
 * Place → district on labelled caller sentences (English, Cantonese with code-mixing, Mandarin in Simplified,
 * typos, mixed scripts), redacted first as the workflow does. Found places are scored by accuracy; ambiguous
 * and unknown are reported on their own (`npm run assist -- eval-places` prints the same figures).
 */
const mentions = parsePlaceMentions(readFileSync(PLACE_MENTIONS_FILE, 'utf8'), PLACE_MENTIONS_FILE);
const report = await evaluatePlaces();

describe('place → district', () => {
  it('has at least 300 mentions in the three languages, with ambiguous and unknown cases', () => {
    expect(mentions.length).toBeGreaterThanOrEqual(300);
    for (const language of ['en-US', 'zh-HK', 'zh-CN'] as const) expect(mentions.filter((m) => m.language === language).length, language).toBeGreaterThanOrEqual(40);
    expect(mentions.filter((m) => m.status === 'ambiguous').length).toBeGreaterThanOrEqual(30);
    expect(mentions.filter((m) => m.status === 'unknown').length).toBeGreaterThanOrEqual(30);
  });

  it('locates at least 95% of found places in the right district, and almost never in a wrong one', () => {
    console.log(formatPlaceEvaluation(report).join('\n'));
    expect(report.foundAccuracy, JSON.stringify(report.errors, null, 1)).toBeGreaterThanOrEqual(0.95);
    expect(report.wrongDistrict / report.mentions).toBeLessThanOrEqual(0.01);
  });

  it('says ambiguous and unknown when it should (each reported on its own)', () => {
    expect(report.ambiguous.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.ambiguous.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.unknown.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.unknown.precision).toBeGreaterThanOrEqual(0.8);
  });
});
