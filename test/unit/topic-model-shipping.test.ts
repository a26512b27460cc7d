import { cp, mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
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
} from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { decodeShippedModel, encodeShippedModel } from '../../shared/domain/classification/model-binary.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';

/*
 * The classify Lambda loads the topic model shipped in the knowledge layer instead of training at cold
 * start. These tests keep that file honest: it must be exactly what training on today's files produces.
 */

let knowledge: ClassifierKnowledge;
let scratch: string;
let trained: ReturnType<typeof trainTopicModel> | undefined;
/** Training the full model takes seconds: once per file. */
const trainedOnce = () => (trained ??= trainTopicModel(knowledge));

/** A copy of the layer with a few examples per file: enough to train, fast to train. */
async function smallLayerCopy(name: string): Promise<string> {
  const dir = join(scratch, name);
  await cp(KNOWLEDGE_DIR, dir, { recursive: true });
  for (const file of await readdir(join(dir, 'examples'))) {
    const lines = (await readFile(join(dir, 'examples', file), 'utf8')).split('\n').filter(Boolean);
    await writeFile(join(dir, 'examples', file), `${lines.slice(0, 4).join('\n')}\n`);
  }
  return dir;
}

beforeAll(async () => {
  knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  scratch = await mkdtemp(join(tmpdir(), 'assist-knowledge-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the topic model shipped in the knowledge layer', () => {
  it('is exactly what training on the current examples, taxonomy and glossary gives (else: npm run assist -- train-model)', async () => {
    const shipped = await readFile(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE));
    expect(decodeShippedModel(shipped).trainedOn, 'stale model: run npm run assist -- train-model').toBe(trainingDigest(knowledge));
    const retrained = await shippedModelFile(knowledge, trainedOnce(), KNOWLEDGE_DIR);
    expect(retrained.equals(shipped), 'training is no longer reproducible, or the training code changed: run npm run assist -- train-model').toBe(true);
  }, 180_000);

  it('uses the strong cross-language stem weight, chosen by the trainer on its calibration fold', async () => {
    const shipped = decodeShippedModel(await readFile(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE)));
    expect(shipped.model.topics.featureOptions.glossWeight).toBe(4);
  });

  it('is what the classifier loads, and it classifies like the freshly trained model', async () => {
    const loaded = await LocalTopicClassifier.load(KNOWLEDGE_DIR);
    expect(loaded.origin).toBe('shipped');
    const fresh = trainedOnce();
    for (const example of knowledge.examples.filter((_, i) => i % 40 === 0)) {
      expect(await loaded.classify({ text: example.text, language: example.language })).toEqual(fresh.classify(example.text, example.language));
    }
  }, 180_000);

  it('is retrained at load when the layer has examples it was not trained on, or no model at all', async () => {
    // Trimmed copies: the shipped model no longer matches their examples, so they train (quickly) at load.
    const stale = await smallLayerCopy('stale');
    await appendFile(join(stale, 'examples', 'street_light_fault.jsonl'), `${JSON.stringify({ text: 'The lamp post by the pier flickers all night.', label: 'street_light_fault', language: 'en-US' })}\n`);
    expect((await LocalTopicClassifier.load(stale)).origin).toBe('trained-stale');

    const missing = await smallLayerCopy('missing');
    await rm(join(missing, TOPIC_MODEL_FILE));
    expect((await LocalTopicClassifier.load(missing)).origin).toBe('trained-missing');
  });

  it('refuses a corrupt model file with a clear error rather than classifying with it', async () => {
    const corrupt = join(scratch, 'corrupt');
    await cp(KNOWLEDGE_DIR, corrupt, { recursive: true });
    const file = decodeShippedModel(await readFile(join(corrupt, TOPIC_MODEL_FILE)));
    file.model.topics.weightScales = file.model.topics.weightScales.slice(0, 100);
    await writeFile(join(corrupt, TOPIC_MODEL_FILE), encodeShippedModel(file));
    await expect(LocalTopicClassifier.load(corrupt)).rejects.toThrow(/inconsistent array lengths/);
  });

  it('refuses a truncated model file with a clear error', async () => {
    const truncated = join(scratch, 'truncated');
    await cp(KNOWLEDGE_DIR, truncated, { recursive: true });
    const bytes = await readFile(join(truncated, TOPIC_MODEL_FILE));
    await writeFile(join(truncated, TOPIC_MODEL_FILE), bytes.subarray(0, bytes.length - 1000));
    await expect(LocalTopicClassifier.load(truncated)).rejects.toThrow(/topic model file is truncated/);
  });

  it('is stored losslessly: decoding gives back exactly what the model serialises to', () => {
    const json = trainedOnce().toJSON();
    const decoded = decodeShippedModel(encodeShippedModel({ trainedOn: 'a'.repeat(64), model: json }));
    expect(decoded).toEqual({ trainedOn: 'a'.repeat(64), model: JSON.parse(JSON.stringify(json)) as unknown });
  }, 180_000);
});
