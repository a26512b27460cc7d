import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import { FileLabelledExampleStore, FileTopicModelStore } from '../../local/stand-ins/file-retraining-stores.ts';
import { layerTrainer, loadGoldSet, LocalTopicClassifier, TOPIC_MODEL_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { seededRandom } from '../../shared/domain/random.ts';
import { createRedactor } from '../../shared/domain/redaction/index.ts';
import { EMPTY_POINTER, promote, type ModelCard } from '../../shared/domain/retraining/model-registry.ts';
import { collectLabelledExamples, retrainTopicModel, type RetrainDeps } from '../../shared/domain/retraining/retrain-topic-model.ts';
import { TOPIC_IDS } from '../../shared/vocabulary/topics.ts';
import type { DecidedEnquiry } from '../../shared/ports/enquiry-store.ts';
import type { TopicModelStore } from '../../shared/ports/topic-models.ts';

/*
 * The retrain use case on a small copy of the knowledge layer (4 examples per file: trains in seconds), with
 * decided enquiries from a stand-in for EnquiryStore.decidedSince. The full-layer acceptance (a systematic
 * confusion learnt, promoted, rolled back) is test/eval/retrain-from-corrections.eval.test.ts.
 */

let scratch: string;
let layer: string;
/** Texts of real enquiries (layer examples the small copy does not keep), with their true topics. */
let unseen: { text: string; label: string; language: string }[];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'assist-retrain-'));
  layer = join(scratch, 'layer');
  await cp(KNOWLEDGE_DIR, layer, { recursive: true });
  unseen = [];
  for (const file of (await readdir(join(layer, 'examples'))).sort()) {
    const lines = (await readFile(join(layer, 'examples', file), 'utf8')).split('\n').filter(Boolean);
    await writeFile(join(layer, 'examples', file), `${lines.slice(0, 4).join('\n')}\n`);
    unseen.push(...lines.slice(4, 5).map((line) => JSON.parse(line) as { text: string; label: string; language: string }));
  }
  // No shipped model for this layer: it is trained at load (the floor of these tests).
  await rm(join(layer, TOPIC_MODEL_FILE));
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const day = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 3600_000 * 6).toISOString();

/** EnquiryStore.decidedSince over a fixed list (as the Dynamo adapter: decided at or after `since`). */
const decidedFrom = (enquiries: DecidedEnquiry[]): Pick<RetrainDeps['decided'] & object, 'decidedSince'> => ({
  async *decidedSince(since: string) {
    for (const enquiry of enquiries) if (Date.parse(enquiry.decidedAt) >= Date.parse(since)) yield enquiry;
  },
});

const decided = (i: number, text: string, agentTopic: string, aiTopic: string): DecidedEnquiry => ({
  enquiryId: `enq-${i}`,
  decisionId: `dec-${i}`,
  decidedAt: day(i),
  action: 'approve',
  language: null,
  redactedText: text,
  aiTopic,
  aiConfidence: 0.9,
  agentTopic,
  agentDepartment: 'X',
  alsoInvolves: [],
  topicCorrected: aiTopic !== agentTopic,
});

async function deps(name: string, enquiries: DecidedEnquiry[]): Promise<RetrainDeps & { models: FileTopicModelStore; examples: FileLabelledExampleStore }> {
  const root = join(scratch, name);
  return {
    decided: decidedFrom(enquiries),
    examples: new FileLabelledExampleStore(root),
    models: new FileTopicModelStore(root),
    redactor: createRedactor(),
    trainer: await layerTrainer(layer),
    gold: await loadGoldSet(layer),
    clock: { now: () => new Date('2026-11-29T19:00:00Z') },
    actor: 'retrain:test',
  };
}

describe('retraining from decided enquiries', () => {
  it('refuses a batch of corrections with random labels: they teach nothing the held-out enquiries confirm', async () => {
    const random = seededRandom(16);
    const batch = unseen.slice(0, 40).map((example, i) => {
      const others = TOPIC_IDS.filter((t) => t !== example.label);
      return decided(i, example.text, others[Math.floor(random() * others.length)] as string, example.label);
    });
    const d = await deps('random-labels', batch);
    const result = await retrainTopicModel(d);
    expect(result.outcome).toBe('refused');
    if (result.outcome !== 'refused') return;
    console.log(`random labels: held out ${result.comparison.heldOut.currentCorrect}→${result.comparison.heldOut.candidateCorrect}/${result.heldOut}, p=${result.decision.pValue.toPrecision(2)}; gold topic ${result.comparison.gold.current.topicAccuracy.toFixed(3)}→${result.comparison.gold.candidate.topicAccuracy.toFixed(3)}`);
    expect(result.heldOut).toBe(8);
    expect(result.decision.reasons).toContainEqual(expect.stringMatching(/^held out: /));
    // The candidate is kept for the record, refused; nothing was promoted.
    expect(await d.models.versions()).toEqual([result.version]);
    expect((await d.models.card(result.version as string))?.gate.promote).toBe(false);
    expect((await d.models.pointer()).pointer).toBeUndefined();
    expect(result.serving).toBe('shipped');
    // Every decision became a stored example, redacted again.
    expect(await d.examples.all()).toHaveLength(40);
  }, 180_000);

  it('does not train while fewer than 5 new agent-labelled enquiries could be held out', async () => {
    const d = await deps('too-few', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => decided(i, `The lamp post number ${i} by the pier flickers all night`, 'street_light_fault', 'street_light_fault')));
    const result = await retrainTopicModel(d);
    expect(result).toMatchObject({ outcome: 'not_enough_new_examples', heldOut: 2, agentExamples: 10, serving: 'shipped' });
    expect(await d.models.versions()).toEqual([]);
    expect(await d.examples.all()).toHaveLength(10);
  });

  it('collects each decision once, however often it runs (collection overlaps the last hour)', async () => {
    const enquiries = [0, 1, 2].map((i) => decided(i, `Street light ${i} is out`, 'street_light_fault', 'street_light_fault'));
    const d = await deps('collect-twice', enquiries);
    expect((await collectLabelledExamples(d)).summary).toMatchObject({ since: '1970-01-01T00:00:00.000Z', read: 3, added: 3 });
    enquiries.push(decided(3, 'Street light 3 is out', 'street_light_fault', 'road_damage'));
    const again = await collectLabelledExamples(d);
    expect(again.summary).toMatchObject({ read: 2, added: 1, alreadyStored: 1, stored: 4 });
    expect(again.summary.since).toBe(new Date(Date.parse(day(2)) - 3600_000).toISOString());
    expect((await readdir(join(scratch, 'collect-twice', 'examples', 'topic'))).length).toBe(2);
  });

  it('stores nothing on a dry run', async () => {
    const d = await deps('dry-run', [0, 1].map((i) => decided(i, `Street light ${i} is out`, 'street_light_fault', 'street_light_fault')));
    expect((await collectLabelledExamples(d, { dryRun: true })).summary.added).toBe(2);
    expect(await d.examples.all()).toEqual([]);
  });
});

/** A card as a retrain run writes it (the figures do not matter to loading). */
const cardFor = (version: string, layerDigest: string): ModelCard => ({
  version,
  createdAt: '2026-11-29T19:00:00.000Z',
  layerDigest,
  knowledgeExamples: 600,
  agentExamples: 1,
  agentCorrections: 1,
  trainedThrough: null,
  comparedWith: 'shipped',
  gold: { examples: 385, current: { topicAccuracy: 0, departmentAccuracy: 0, confidentWrong: 0 }, candidate: { topicAccuracy: 0, departmentAccuracy: 0, confidentWrong: 0 } },
  heldOut: { examples: 0, currentCorrect: 0, candidateCorrect: 0, fixed: 0, broken: 0 },
  gate: { promote: false, reasons: [], pValue: 1 },
});

describe('the retrain function\'s event', () => {
  it('is refused with the field named when it is not what the schedule or an operator sends', async () => {
    const { handleRetrain } = await import('../../functions/retrain/handle.ts');
    const d = await deps('bad-events', []);
    await expect(handleRetrain({ schedule: 'daily' }, d)).rejects.toThrow(/^schedule: /);
    await expect(handleRetrain({ since: 'last week' }, d)).rejects.toThrow(/^since: /);
    await expect(handleRetrain({ dryRun: 'yes' }, d)).rejects.toThrow(/^dryRun: /);
    await expect(handleRetrain({ schedule: 'weekly', model: 'v0001' }, d)).rejects.toMatchObject({ name: 'ValidationError' });
    expect(await d.examples.all()).toEqual([]);
  });
});

describe('the classifier classify runs', () => {
  const pointTo = async (store: TopicModelStore, version: string) =>
    store.setPointer(promote(EMPTY_POINTER, { version, promotedAt: '2026-11-29T19:00:00.000Z', by: 'test', reason: 'test' }), (await store.pointer()).revision);

  it('serves the shipped model when nothing is promoted', async () => {
    const classifier = await LocalTopicClassifier.load(layer, { models: new FileTopicModelStore(join(scratch, 'nothing-promoted')) });
    expect({ version: classifier.version, fallback: classifier.fallback }).toEqual({ version: 'shipped', fallback: undefined });
  });

  it('falls back to the shipped model, saying why, when the promoted version is missing, built on another layer, or the store unreadable', async () => {
    const store = new FileTopicModelStore(join(scratch, 'fallbacks'));
    await pointTo(store, 'v0003');
    expect((await LocalTopicClassifier.load(layer, { models: store })).fallback).toBe('promoted v0003 is not stored');

    const shipped = await LocalTopicClassifier.load(layer);
    await store.create({ version: 'v0004', layerDigest: 'another-layer', model: shipped.topicModel.toJSON() }, cardFor('v0004', 'another-layer'));
    await pointTo(store, 'v0004');
    const other = await LocalTopicClassifier.load(layer, { models: store });
    expect({ version: other.version, origin: other.origin, fallback: other.fallback }).toEqual({ version: 'shipped', origin: 'trained-missing', fallback: 'promoted v0004 was built on another knowledge layer' });

    const broken: TopicModelStore = {
      versions: () => store.versions(),
      card: (v) => store.card(v),
      model: (v) => store.model(v),
      create: (m, c) => store.create(m, c),
      setPointer: (p, r) => store.setPointer(p, r),
      pointer: () => Promise.reject(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })),
    };
    expect((await LocalTopicClassifier.load(layer, { models: broken })).fallback).toBe('model store unreadable: AccessDenied: Access Denied');
  });

  it('loads a promoted version built on this layer, with the layer\'s taxonomy and glossary', async () => {
    const store = new FileTopicModelStore(join(scratch, 'promoted'));
    const trainer = await layerTrainer(layer);
    const model = trainer.train([{ text: 'Abandoned bicycles chained to the railings for months', label: 'government_land_occupation', source: 'agents' }]);
    await store.create({ version: 'v0001', layerDigest: trainer.layerDigest, model: model.toJSON() }, cardFor('v0001', trainer.layerDigest));
    await pointTo(store, 'v0001');
    const classifier = await LocalTopicClassifier.load(layer, { models: store });
    expect({ origin: classifier.origin, version: classifier.version }).toEqual({ origin: 'promoted', version: 'v0001' });
    const text = 'Rusty bicycles left on the footbridge railings';
    expect(await classifier.classify({ text })).toEqual(model.classify(text));
  }, 60_000);
});
