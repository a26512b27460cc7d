import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomyAndExamples, type TopicExample } from '../../shared/adapters/local/local-topic-classifier.ts';
import { detectLanguage } from '../../shared/domain/classification/language-detection.ts';
import { LocalTopicModel } from '../../shared/domain/classification/local-topic-model.ts';
import { stratifiedSplit } from '../../shared/domain/random.ts';
import type { Taxonomy } from '../../shared/domain/classification/taxonomy.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

/**
 * Quality of the local classifier on the taxonomy's labelled examples: a stratified 80/20 split with a
 * fixed seed (chosen before looking at results), trained exactly as production trains (taxonomy lexicon,
 * calibration, out-of-scope rejection). Other splits are printed too, since ~230 held-out examples
 * leave a couple of points of noise.
 */

const SPLIT_SEED = 1823;
const OTHER_SEEDS = [1, 2, 3, 4, 5];

let taxonomy: Taxonomy;
let examples: TopicExample[];

function heldOutAccuracy(seed: number): { accuracy: number; heldOut: number; trainingMs: number; misses: string[] } {
  const { train, holdout } = stratifiedSplit(examples, 0.2, seed);
  const started = performance.now();
  const model = new LocalTopicModel(taxonomy, train);
  const trainingMs = performance.now() - started;
  const misses: string[] = [];
  let correct = 0;
  for (const example of holdout) {
    const result = model.classify(example.text, example.language);
    if (result.topic === example.label) correct += 1;
    else misses.push(`${example.label} → ${result.topic} (${result.confidence})`);
  }
  return { accuracy: correct / holdout.length, heldOut: holdout.length, trainingMs, misses };
}

beforeAll(async () => {
  ({ taxonomy, examples } = await loadTaxonomyAndExamples(KNOWLEDGE_DIR));
});

describe('local topic classifier on the taxonomy examples', () => {
  /**
   * The issue asks for >= 0.90. Measured on today's 1 800 examples (four authors, with a second batch aimed
   * at the boundaries between neighbouring topics): 0.82 on this split, 0.80-0.84 on others. The target is
   * NOT met; this floor only stops regressions while the gap is worked on (see the issue note). Low-confidence
   * answers go to Bedrock in production (TieredTopicClassifier), which is what covers the gap there.
   */
  const REGRESSION_FLOOR = 0.8;

  it('scores above the regression floor on the held-out 20% (target 0.90 not yet met)', () => {
    const { accuracy, heldOut, trainingMs, misses } = heldOutAccuracy(SPLIT_SEED);
    console.log(`held-out accuracy ${accuracy.toFixed(3)} on ${heldOut} examples (seed ${SPLIT_SEED}); training ${trainingMs.toFixed(0)} ms on ${examples.length - heldOut}`);
    console.log(`misses: ${misses.join('; ')}`);
    expect(accuracy).toBeGreaterThanOrEqual(REGRESSION_FLOOR);
  });

  it('prints the spread over other splits (informational)', () => {
    const accuracies = OTHER_SEEDS.map((seed) => heldOutAccuracy(seed).accuracy);
    const mean = accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length;
    console.log(`other splits: ${accuracies.map((a) => a.toFixed(3)).join(', ')}; mean ${mean.toFixed(3)}`);
    expect(mean).toBeGreaterThan(0.78);
  });

  it('has at least 25 examples for every topic, in all three languages', () => {
    for (const topic of taxonomy.topics) {
      const own = examples.filter((example) => example.label === topic.id);
      expect(own.length, topic.id).toBeGreaterThanOrEqual(25);
      expect(new Set(own.map((example) => example.language)).size, topic.id).toBe(3);
    }
  });
});

describe('language detection on the labelled examples', () => {
  it('recognises English, Cantonese / Traditional Chinese and Mandarin / Simplified Chinese', () => {
    const wrong = examples.filter((example) => detectLanguage(example.text) !== example.language);
    const accuracy = 1 - wrong.length / examples.length;
    console.log(`language detection accuracy ${accuracy.toFixed(3)} on ${examples.length} examples`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
