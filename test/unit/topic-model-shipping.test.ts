import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadTaxonomyAndExamples,
  LocalTopicClassifier,
  shippedModelFile,
  trainTopicModel,
  TOPIC_MODEL_FILE,
  trainingDigest,
  type ClassifierKnowledge,
} from '../../shared/adapters/local/local-topic-classifier.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

/*
 * The classify Lambda loads the topic model shipped in the knowledge layer instead of training at cold
 * start. These tests keep that file honest: it must be exactly what training on today's files produces.
 */

let knowledge: ClassifierKnowledge;
let scratch: string;

beforeAll(async () => {
  knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  scratch = await mkdtemp(join(tmpdir(), 'assist-knowledge-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the topic model shipped in the knowledge layer', () => {
  it('is exactly what training on the current examples, taxonomy and glossary gives (else: npm run assist -- train-model)', async () => {
    const shipped = await readFile(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE), 'utf8');
    expect((JSON.parse(shipped) as { trainedOn: string }).trainedOn, 'stale model: run npm run assist -- train-model').toBe(trainingDigest(knowledge));
    const retrained = shippedModelFile(knowledge, trainTopicModel(knowledge));
    expect(retrained === shipped, 'training is no longer reproducible, or the training code changed: run npm run assist -- train-model').toBe(true);
  });

  it('uses the strong cross-language stem weight, chosen by the trainer on its calibration fold', async () => {
    const shipped = JSON.parse(await readFile(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE), 'utf8')) as { model: { featureOptions: { glossWeight?: number } } };
    expect(shipped.model.featureOptions.glossWeight).toBe(4);
  });

  it('is what the classifier loads, and it classifies like the freshly trained model', async () => {
    const loaded = await LocalTopicClassifier.load(KNOWLEDGE_DIR);
    expect(loaded.origin).toBe('shipped');
    const trained = trainTopicModel(knowledge);
    for (const example of knowledge.examples.filter((_, i) => i % 40 === 0)) {
      expect(await loaded.classify({ text: example.text, language: example.language })).toEqual(trained.classify(example.text, example.language));
    }
  });

  it('is retrained at load when the layer has examples it was not trained on, or no model at all', async () => {
    const stale = join(scratch, 'stale');
    await cp(KNOWLEDGE_DIR, stale, { recursive: true });
    await appendFile(join(stale, 'examples', 'street_light_fault.jsonl'), `${JSON.stringify({ text: 'The lamp post by the pier flickers all night.', label: 'street_light_fault', language: 'en-US' })}\n`);
    expect((await LocalTopicClassifier.load(stale)).origin).toBe('trained-stale');

    const missing = join(scratch, 'missing');
    await cp(KNOWLEDGE_DIR, missing, { recursive: true });
    await rm(join(missing, TOPIC_MODEL_FILE));
    expect((await LocalTopicClassifier.load(missing)).origin).toBe('trained-missing');
  });

  it('refuses a corrupt model file with a clear error rather than classifying with it', async () => {
    const corrupt = join(scratch, 'corrupt');
    await cp(KNOWLEDGE_DIR, corrupt, { recursive: true });
    const file = JSON.parse(await readFile(join(corrupt, TOPIC_MODEL_FILE), 'utf8')) as { trainedOn: string; model: { weightScales: string } };
    file.model.weightScales = file.model.weightScales.slice(0, 100);
    await writeFile(join(corrupt, TOPIC_MODEL_FILE), JSON.stringify(file));
    await expect(LocalTopicClassifier.load(corrupt)).rejects.toThrow(/inconsistent array lengths/);
  });
});
