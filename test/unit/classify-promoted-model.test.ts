import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import { layerTrainer, TOPIC_MODEL_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { decodeShippedModel } from '../../shared/domain/classification/model-binary.ts';
import { EMPTY_POINTER, promote } from '../../shared/domain/retraining/model-registry.ts';

/*
 * The classify Lambda's composition root: at init it reads the promoted pointer and that version from the
 * models bucket, and falls back to the layer's shipped model when it cannot (it never fails to start for it).
 */

Object.assign(process.env, {
  ENQUIRY_TABLE_NAME: 'assist-enquiries',
  BEDROCK_MODEL_ID: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  MODELS_BUCKET: 'assist-models',
  KNOWLEDGE_DIR,
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_DEV: 'false',
});

const s3 = mockClient(S3Client);
let logged = '';
const restores: (() => void)[] = [];
beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...args: unknown[]) => {
      logged += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return write(chunk, ...(args as []));
    }) as typeof stream.write;
    restores.push(() => (stream.write = write));
  }
});
afterAll(() => {
  for (const restore of restores) restore();
  s3.restore();
});
beforeEach(() => {
  s3.reset();
  logged = '';
  vi.resetModules();
});

const body = (text: string) => ({ Body: { transformToString: async () => text } as never, ETag: '"e1"' });
const loadedLine = () => logged.split('\n').find((line) => line.includes('local topic model loaded')) ?? '';

describe('classify handler at init', () => {
  it('loads the version the promoted pointer names from the models bucket', async () => {
    const { layerDigest } = await layerTrainer(KNOWLEDGE_DIR);
    const shipped = decodeShippedModel(readFileSync(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE)));
    const pointer = promote(EMPTY_POINTER, { version: 'v0003', promotedAt: '2026-11-29T19:00:00.000Z', by: 'retrain:scheduled', reason: 'gate passed' });
    s3.on(GetObjectCommand, { Bucket: 'assist-models', Key: 'models/topic/promoted.json' }).resolves(body(JSON.stringify(pointer)));
    s3.on(GetObjectCommand, { Bucket: 'assist-models', Key: 'models/topic/v0003.json' }).resolves(body(JSON.stringify({ version: 'v0003', layerDigest, model: shipped.model })));
    s3.on(GetObjectCommand, { Bucket: 'assist-models', Key: 'models/topic/v0003.card.json' }).rejects(Object.assign(new Error('no card'), { name: 'NoSuchKey' }));
    await import('../../functions/classify/handler.ts');
    expect(JSON.parse(loadedLine())).toMatchObject({ origin: 'promoted', version: 'v0003' });
  }, 30_000);

  it('falls back to the shipped model, with a warning, when the models bucket cannot be read', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await import('../../functions/classify/handler.ts');
    expect(JSON.parse(loadedLine())).toMatchObject({ origin: 'shipped', version: 'shipped' });
    expect(logged).toContain('promoted topic model not used; the shipped model serves');
    expect(logged).toContain('model store unreadable: AccessDenied');
  }, 30_000);
});
