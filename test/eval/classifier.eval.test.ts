import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomyAndExamples, trainTopicModel, type ClassifierKnowledge, type TopicExample } from '../../shared/adapters/local/local-topic-classifier.ts';
import { detectLanguage } from '../../shared/domain/classification/language-detection.ts';
import { stratifiedFolds, stratifiedSplit } from '../../shared/domain/random.ts';
import type { Taxonomy } from '../../shared/domain/classification/taxonomy.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

/**
 * Quality of the local classifier on the taxonomy's labelled examples, trained exactly as production
 * trains (taxonomy lexicon, glossary, place masking, calibration, out-of-scope rejection): the check is a
 * stratified 80/20 split with a fixed seed (chosen before looking at results); 5-fold cross-validation,
 * where every example is held out once, gives the steadier figure (one 364-example split moves a point
 * or two with the seed).
 */

const SPLIT_SEED = 1823;
const FOLDS = 5;
const TARGET = 0.9;

let taxonomy: Taxonomy;
let examples: TopicExample[];
let knowledge: ClassifierKnowledge;

function heldOutAccuracy(train: TopicExample[], holdout: TopicExample[]): { accuracy: number; trainingMs: number; misses: string[] } {
  const started = performance.now();
  const model = trainTopicModel(knowledge, train);
  const trainingMs = performance.now() - started;
  const misses: string[] = [];
  let correct = 0;
  for (const example of holdout) {
    const result = model.classify(example.text, example.language);
    if (result.topic === example.label) correct += 1;
    else misses.push(`${example.label} → ${result.topic} (${result.confidence})`);
  }
  return { accuracy: correct / holdout.length, trainingMs, misses };
}

beforeAll(async () => {
  knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  ({ taxonomy, examples } = knowledge);
});

describe('local topic classifier on the taxonomy examples', () => {
  it(`scores >= ${TARGET} on the held-out 20% (seed ${SPLIT_SEED})`, () => {
    const { train, holdout } = stratifiedSplit(examples, 0.2, SPLIT_SEED);
    const { accuracy, trainingMs, misses } = heldOutAccuracy(train, holdout);
    console.log(`held-out accuracy ${accuracy.toFixed(3)} on ${holdout.length} examples (seed ${SPLIT_SEED}); training ${trainingMs.toFixed(0)} ms on ${train.length}`);
    console.log(`misses: ${misses.join('; ')}`);
    expect(accuracy).toBeGreaterThanOrEqual(TARGET);
  });

  it(`scores >= ${TARGET} in ${FOLDS}-fold cross-validation (every example held out once)`, () => {
    const folds = stratifiedFolds(examples, FOLDS, SPLIT_SEED);
    const accuracies = folds.map((holdout, i) => heldOutAccuracy(folds.filter((_, j) => j !== i).flat(), holdout).accuracy);
    const mean = accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length;
    console.log(`${FOLDS}-fold accuracies ${accuracies.map((a) => a.toFixed(3)).join(', ')}; mean ${mean.toFixed(3)}`);
    expect(mean).toBeGreaterThanOrEqual(TARGET);
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
