import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3LabelledExampleStore, S3TopicModelStore } from '../../shared/adapters/aws/s3-retraining-stores.ts';
import { FileLabelledExampleStore, FileTopicModelStore } from '../../local/stand-ins/file-retraining-stores.ts';
import type { LabelledExample } from '../../shared/domain/retraining/labelled-example.ts';
import { EMPTY_POINTER, promote, type ModelCard, type StoredModel } from '../../shared/domain/retraining/model-registry.ts';
import type { LabelledExampleStore } from '../../shared/ports/labelled-examples.ts';
import { ModelVersionExistsError, PointerConflictError, type TopicModelStore } from '../../shared/ports/topic-models.ts';

/** S3 as far as these stores use it: objects with ETags, listing by prefix, If-None-Match / If-Match on put. */
function fakeS3() {
  const objects = new Map<string, { body: string; etag: string; sse?: string; key?: string }>();
  let etags = 0;
  const s3 = mockClient(S3Client);
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    const existing = objects.get(input.Key as string);
    const failed = (input.IfNoneMatch === '*' && existing) || (input.IfMatch !== undefined && existing?.etag !== input.IfMatch);
    if (failed) throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    etags += 1;
    objects.set(input.Key as string, { body: String(input.Body), etag: `"e${etags}"`, ...(input.ServerSideEncryption ? { sse: input.ServerSideEncryption } : {}), ...(input.SSEKMSKeyId ? { key: input.SSEKMSKeyId } : {}) });
    return {};
  });
  s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
    const object = objects.get(input.Key);
    if (!object) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToString: async () => object.body }, ETag: object.etag };
  });
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
    Contents: [...objects.keys()].filter((k) => k.startsWith(input.Prefix)).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  return { objects, restore: () => s3.restore() };
}

const example = (i: number): LabelledExample => ({
  enquiryId: `enq-${i}`,
  decisionId: `dec-${i}`,
  decidedAt: `2026-11-2${i}T03:00:00.000Z`,
  text: `Abandoned bikes by the pier [PHONE] ${i}`,
  label: 'government_land_occupation',
  language: 'en-US',
  aiTopic: 'road_damage',
  topicCorrected: true,
  action: 'approve',
  source: 'agents',
});

const card = (version: string): ModelCard => ({
  version,
  createdAt: '2026-11-29T19:00:00.000Z',
  layerDigest: 'layer-1',
  knowledgeExamples: 5806,
  agentExamples: 24,
  agentCorrections: 24,
  trainedThrough: '2026-11-25T00:00:00.000Z',
  comparedWith: 'shipped',
  gold: { examples: 385, current: { topicAccuracy: 0.94, departmentAccuracy: 0.96, confidentWrong: 0.005 }, candidate: { topicAccuracy: 0.945, departmentAccuracy: 0.958, confidentWrong: 0.01 } },
  heldOut: { examples: 6, currentCorrect: 0, candidateCorrect: 6, fixed: 6, broken: 0 },
  gate: { promote: true, reasons: [], pValue: 1 / 64 },
});
const stored = (version: string): StoredModel => ({ version, layerDigest: 'layer-1', model: { topics: { format: 'x' } } });

let scratch: string;
const fake = fakeS3();
afterAll(async () => {
  fake.restore();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const implementations: [string, () => Promise<{ examples: LabelledExampleStore; models: TopicModelStore }>][] = [
  [
    'files under .local-data',
    async () => {
      scratch ??= await mkdtemp(join(tmpdir(), 'assist-retraining-'));
      const root = await mkdtemp(join(scratch, 'data-'));
      return { examples: new FileLabelledExampleStore(root), models: new FileTopicModelStore(root) };
    },
  ],
  [
    'the S3 models bucket',
    async () => {
      fake.objects.clear();
      const s3 = new S3Client({ region: 'ap-east-1' });
      return { examples: new S3LabelledExampleStore(s3, 'models-bucket', 'arn:aws:kms:ap-east-1:1:key/k'), models: new S3TopicModelStore(s3, 'models-bucket', 'arn:aws:kms:ap-east-1:1:key/k') };
    },
  ],
];

describe.each(implementations)('retraining stores on %s', (_name, open) => {
  let stores: { examples: LabelledExampleStore; models: TopicModelStore };
  beforeEach(async () => {
    stores = await open();
  });

  it('keep every batch of labelled examples and never overwrite one', async () => {
    expect(await stores.examples.all()).toEqual([]);
    await stores.examples.addBatch('2026-11-22T03-00-00-000Z', [example(1), example(2)]);
    await stores.examples.addBatch('2026-11-29T03-00-00-000Z', [example(3)]);
    expect((await stores.examples.all()).map((e) => e.enquiryId)).toEqual(['enq-1', 'enq-2', 'enq-3']);
    await expect(stores.examples.addBatch('2026-11-29T03-00-00-000Z', [example(4)])).rejects.toThrow();
    expect(await stores.examples.all()).toHaveLength(3);
  });

  it('store versions with their cards, and refuse a version name already taken', async () => {
    await stores.models.create(stored('v0001'), card('v0001'));
    await stores.models.create(stored('v0002'), card('v0002'));
    expect((await stores.models.versions()).sort()).toEqual(['v0001', 'v0002']);
    expect(await stores.models.card('v0002')).toEqual(card('v0002'));
    expect(await stores.models.model('v0001')).toEqual(stored('v0001'));
    expect(await stores.models.model('v0009')).toBeUndefined();
    await expect(stores.models.create(stored('v0002'), card('v0002'))).rejects.toBeInstanceOf(ModelVersionExistsError);
  });

  it('move the pointer only from the revision that was read (a racing promotion and rollback cannot both land)', async () => {
    expect(await stores.models.pointer()).toEqual({ pointer: undefined, revision: null });
    const first = promote(EMPTY_POINTER, { version: 'v0001', promotedAt: '2026-11-29T19:00:00.000Z', by: 'retrain:scheduled', reason: 'gate passed' });
    await stores.models.setPointer(first, null);
    await expect(stores.models.setPointer(first, null)).rejects.toBeInstanceOf(PointerConflictError);
    const read = await stores.models.pointer();
    expect(read.pointer).toEqual(first);
    const second = promote(first, { version: 'v0002', promotedAt: '2026-11-30T19:00:00.000Z', by: 'operator:cli', reason: 'manual' });
    await stores.models.setPointer(second, read.revision);
    await expect(stores.models.setPointer(first, read.revision)).rejects.toBeInstanceOf(PointerConflictError);
    expect((await stores.models.pointer()).pointer?.current?.version).toBe('v0002');
  });
});

describe('the S3 retraining stores', () => {
  it('write under examples/topic/ and models/topic/, every object encrypted with the customer-managed key', async () => {
    fake.objects.clear();
    const s3 = new S3Client({ region: 'ap-east-1' });
    await new S3LabelledExampleStore(s3, 'b', 'arn:aws:kms:ap-east-1:1:key/k').addBatch('batch-1', [example(1)]);
    const models = new S3TopicModelStore(s3, 'b', 'arn:aws:kms:ap-east-1:1:key/k');
    await models.create(stored('v0007'), card('v0007'));
    await models.setPointer(promote(EMPTY_POINTER, { version: 'v0007', promotedAt: '2026-11-29T19:00:00.000Z', by: 'retrain:scheduled', reason: 'gate passed' }), null);
    expect([...fake.objects.keys()].sort()).toEqual(['examples/topic/batch-1.jsonl', 'models/topic/promoted.json', 'models/topic/v0007.card.json', 'models/topic/v0007.json']);
    for (const object of fake.objects.values()) expect(object).toMatchObject({ sse: 'aws:kms', key: 'arn:aws:kms:ap-east-1:1:key/k' });
  });
});
