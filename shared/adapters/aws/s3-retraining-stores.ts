import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { examplesFromJsonl, examplesToJsonl, type LabelledExample } from '../../domain/retraining/labelled-example.ts';
import { parseOrThrow } from '../../domain/validation.ts';
import { ModelCardSchema, PromotedPointerSchema, StoredModelSchema, type ModelCard, type PromotedPointer, type StoredModel } from '../../domain/retraining/model-registry.ts';
import type { LabelledExampleStore } from '../../ports/labelled-examples.ts';
import { ModelVersionExistsError, PointerConflictError, type TopicModelStore } from '../../ports/topic-models.ts';

/*
 * The retraining data plane in the KMS-encrypted models bucket:
 *   examples/topic/<batch>.jsonl                        labelled examples (redacted text), one object per collection run
 *   models/topic/v0007.json, v0007.card.json            a version and its card
 *   models/topic/promoted.json                          the pointer classify reads at init
 * New objects are written with If-None-Match (a version or batch is never overwritten) and the pointer with
 * If-Match on the ETag it was read with (a promotion and a rollback cannot both land on the same pointer).
 */

export const EXAMPLES_PREFIX = 'examples/topic/';
export const MODELS_PREFIX = 'models/topic/';

const isMissing = (error: unknown) => (error as { name?: string }).name === 'NoSuchKey';
const isPreconditionFailure = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'PreconditionFailed' || e.name === 'ConditionalRequestConflict' || e.$metadata?.httpStatusCode === 412 || e.$metadata?.httpStatusCode === 409;
};

class S3Objects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyArn: string | undefined,
  ) {}

  async get(key: string): Promise<{ body: string; etag: string | null } | undefined> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: (await result.Body?.transformToString('utf8')) ?? '', etag: result.ETag ?? null };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /** `condition`: 'new' (fails when the key exists), an ETag (fails when the object changed), or none. */
  async put(key: string, body: string, condition?: { ifNoneMatch: true } | { ifMatch: string }): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: key.endsWith('.jsonl') ? 'application/x-ndjson' : 'application/json',
        ...(this.kmsKeyArn ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyArn } : {}),
        ...(condition && 'ifNoneMatch' in condition ? { IfNoneMatch: '*' } : {}),
        ...(condition && 'ifMatch' in condition ? { IfMatch: condition.ifMatch } : {}),
      }),
    );
  }
}

export class S3LabelledExampleStore implements LabelledExampleStore {
  private readonly objects: S3Objects;

  constructor(s3: S3Client, bucket: string, kmsKeyArn?: string) {
    this.objects = new S3Objects(s3, bucket, kmsKeyArn);
  }

  async all(): Promise<LabelledExample[]> {
    const keys = (await this.objects.keys(EXAMPLES_PREFIX)).filter((k) => k.endsWith('.jsonl')).sort();
    const examples: LabelledExample[] = [];
    // A few objects at a time: one per weekly run, so there are few of them.
    for (let i = 0; i < keys.length; i += 8) {
      const batch = await Promise.all(keys.slice(i, i + 8).map(async (key) => examplesFromJsonl((await this.objects.get(key))?.body ?? '', key)));
      examples.push(...batch.flat());
    }
    return examples;
  }

  async addBatch(batchId: string, examples: LabelledExample[]): Promise<void> {
    await this.objects.put(`${EXAMPLES_PREFIX}${batchId}.jsonl`, examplesToJsonl(examples), { ifNoneMatch: true });
  }
}

export class S3TopicModelStore implements TopicModelStore {
  private readonly objects: S3Objects;

  constructor(s3: S3Client, bucket: string, kmsKeyArn?: string) {
    this.objects = new S3Objects(s3, bucket, kmsKeyArn);
  }

  async versions(): Promise<string[]> {
    return (await this.objects.keys(MODELS_PREFIX))
      .map((key) => key.slice(MODELS_PREFIX.length))
      .filter((name) => /^v\d+\.json$/.test(name))
      .map((name) => name.slice(0, -'.json'.length));
  }

  async card(version: string): Promise<ModelCard | undefined> {
    const object = await this.objects.get(`${MODELS_PREFIX}${version}.card.json`);
    return object ? parseOrThrow(ModelCardSchema, JSON.parse(object.body)) : undefined;
  }

  async model(version: string): Promise<StoredModel | undefined> {
    const object = await this.objects.get(`${MODELS_PREFIX}${version}.json`);
    return object ? parseOrThrow(StoredModelSchema, JSON.parse(object.body)) : undefined;
  }

  async create(model: StoredModel, card: ModelCard): Promise<void> {
    try {
      await this.objects.put(`${MODELS_PREFIX}${model.version}.json`, JSON.stringify(model), { ifNoneMatch: true });
    } catch (error) {
      if (isPreconditionFailure(error)) throw new ModelVersionExistsError(model.version);
      throw error;
    }
    await this.objects.put(`${MODELS_PREFIX}${card.version}.card.json`, JSON.stringify(card, null, 2));
  }

  async pointer(): Promise<{ pointer: PromotedPointer | undefined; revision: string | null }> {
    const object = await this.objects.get(`${MODELS_PREFIX}promoted.json`);
    if (!object) return { pointer: undefined, revision: null };
    return { pointer: parseOrThrow(PromotedPointerSchema, JSON.parse(object.body)), revision: object.etag };
  }

  async setPointer(pointer: PromotedPointer, revision: string | null): Promise<void> {
    try {
      await this.objects.put(`${MODELS_PREFIX}promoted.json`, JSON.stringify(pointer, null, 2), revision === null ? { ifNoneMatch: true } : { ifMatch: revision });
    } catch (error) {
      if (isPreconditionFailure(error)) throw new PointerConflictError();
      throw error;
    }
  }
}
