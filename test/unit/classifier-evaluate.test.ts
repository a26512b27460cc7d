import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import { evaluateClassifier, macroF1, parseLabelledJsonl, percentile } from '../../shared/domain/classification/evaluate.ts';
import { seededRandom } from '../../shared/domain/random.ts';

/**
 * `npm run assist -- eval` runs evaluateClassifier on arbitrary JSONL: these tests use a seeded synthetic
 * intent set whose labels have nothing to do with the hotline, in English, Chinese and mixed text.
 */

const SHARED_WORDS = ['please', 'help', 'I', 'want', 'to', 'the', 'my', 'can', 'you', 'today', '請問', '我想', '可以', '今日', 'thanks'];
const LABELS = Array.from({ length: 15 }, (_, i) => `intent_${String.fromCharCode(97 + i)}`);

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Each label owns a few cue words (Latin and Han); texts mix 1-2 cues with shared filler words. */
function syntheticJsonl(count: number, seed: number, oosShare = 0): string {
  const random = seededRandom(seed);
  const cues = new Map(
    LABELS.map((label, i) => [label, [`cue${i}a`, `cue${i}b`, `thing${i}`, String.fromCharCode(0x4e00 + i * 37), String.fromCharCode(0x4e00 + i * 37 + 5) + String.fromCharCode(0x4e00 + i * 37 + 9)]]),
  );
  const lines: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const oos = random() < oosShare;
    const label = oos ? 'oos' : pick(LABELS, random);
    const words = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(SHARED_WORDS, random));
    if (!oos) {
      const own = cues.get(label) as string[];
      words.splice(Math.floor(random() * words.length), 0, pick(own, random));
      if (random() < 0.5) words.push(pick(own, random));
    } else {
      words.push(`noise${Math.floor(random() * 1000)}`);
    }
    lines.push(JSON.stringify({ text: words.join(' '), label }));
  }
  return lines.join('\n');
}

describe('evaluateClassifier', () => {
  it('trains and scores a generated 15-label JSONL set with labels it has never heard of', () => {
    const train = parseLabelledJsonl(syntheticJsonl(1500, 1), 'train.jsonl');
    const test = parseLabelledJsonl(syntheticJsonl(300, 2), 'test.jsonl');
    const report = evaluateClassifier(train, test);
    console.log('synthetic 15-label set:', JSON.stringify(report));
    expect(report.labels).toBe(15);
    expect(report.testExamples).toBe(300);
    expect(report.accuracy).toBeGreaterThan(0.9);
    expect(report.macroF1).toBeGreaterThan(0.9);
    expect(report.inScopeAccuracy).toBeUndefined();
    expect(report.latencyP99Ms).toBeGreaterThanOrEqual(report.latencyP50Ms);
  });

  it('reports in-scope accuracy and out-of-scope recall/precision when given the oos label', () => {
    const train = parseLabelledJsonl(syntheticJsonl(1500, 3, 0.1));
    const test = parseLabelledJsonl(syntheticJsonl(400, 4, 0.1));
    const report = evaluateClassifier(train, test, { oosLabel: 'oos' });
    console.log('synthetic set with oos:', JSON.stringify(report));
    expect(report.inScopeAccuracy).toBeGreaterThan(0.85);
    expect(report.oosRecall).toBeGreaterThan(0.5);
    expect(report.oosPrecision).toBeGreaterThan(0.5);
  });

  it('is deterministic: the same sets give the same quality figures', () => {
    const train = parseLabelledJsonl(syntheticJsonl(600, 5));
    const test = parseLabelledJsonl(syntheticJsonl(150, 6));
    const quality = ({ accuracy, macroF1: f1 }: { accuracy: number; macroF1: number }) => ({ accuracy, f1 });
    expect(quality(evaluateClassifier(train, test))).toEqual(quality(evaluateClassifier(train, test)));
  });

  it('trains on 15,000 generated examples (time logged, not asserted)', () => {
    const train = parseLabelledJsonl(syntheticJsonl(15_000, 7));
    const test = parseLabelledJsonl(syntheticJsonl(1_000, 8));
    const report = evaluateClassifier(train, test);
    console.log(`15k examples: training ${report.trainingMs.toFixed(0)} ms, accuracy ${report.accuracy.toFixed(3)}, p50 ${report.latencyP50Ms.toFixed(3)} ms, p99 ${report.latencyP99Ms.toFixed(3)} ms`);
    expect(report.trainExamples).toBe(15_000);
  }, 120_000);

  it('names the line and field of a bad JSONL line', () => {
    expect(() => parseLabelledJsonl('{"text":"ok","label":"a"}\n\n{"text":"no label"}', 'train.jsonl')).toThrow(ValidationError);
    try {
      parseLabelledJsonl('{"text":"ok","label":"a"}\n{"text":"no label"}', 'train.jsonl');
    } catch (error) {
      expect((error as ValidationError).problems[0]).toEqual({ field: 'train.jsonl:2.label', problem: 'is required' });
    }
    expect(() => parseLabelledJsonl('not json')).toThrow(/input:1: is not valid JSON/);
  });

  it('computes macro-F1 and nearest-rank percentiles as usually defined', () => {
    expect(macroF1(['a', 'a', 'b', 'b'], ['a', 'a', 'b', 'b'])).toBe(1);
    expect(macroF1(['a', 'b'], ['b', 'a'])).toBe(0);
    expect(macroF1(['a', 'a', 'b'], ['a', 'b', 'b'])).toBeCloseTo((2 / 3 + 2 / 3) / 2);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  });
});
