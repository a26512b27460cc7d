import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { examplesFromJsonl, examplesToJsonl, type LabelledExample } from '../../shared/domain/retraining/labelled-example.ts';
import { parseOrThrow } from '../../shared/domain/validation.ts';
import { ModelCardSchema, PromotedPointerSchema, StoredModelSchema, type ModelCard, type PromotedPointer, type StoredModel } from '../../shared/domain/retraining/model-registry.ts';
import type { LabelledExampleStore } from '../../shared/ports/labelled-examples.ts';
import { ModelVersionExistsError, PointerConflictError, type TopicModelStore } from '../../shared/ports/topic-models.ts';

/*
 * The retraining data plane as folders (what `npm run assist -- retrain` uses locally, under .local-data):
 *   examples/topic/<batch>.jsonl                      labelled examples, one file per collection run
 *   models/topic/v0001.json, v0001.card.json, promoted.json   versions and the pointer
 * The same layout as the S3 prefixes on AWS.
 */

const readIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const listIfPresent = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
};

/** Writes a new file; EEXIST when it is there already (never overwrites). */
async function writeNew(path: string, body: string): Promise<void> {
  await writeFile(path, body, { encoding: 'utf8', flag: 'wx' });
}

export class FileLabelledExampleStore implements LabelledExampleStore {
  private readonly dir: string;

  /** `root` is the data folder (.local-data); examples live in root/examples/topic. */
  constructor(root: string) {
    this.dir = join(root, 'examples', 'topic');
  }

  async all(): Promise<LabelledExample[]> {
    const files = (await listIfPresent(this.dir)).filter((f) => f.endsWith('.jsonl')).sort();
    const batches = await Promise.all(files.map(async (file) => examplesFromJsonl(await readFile(join(this.dir, file), 'utf8'), file)));
    return batches.flat();
  }

  async addBatch(batchId: string, examples: LabelledExample[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeNew(join(this.dir, `${batchId}.jsonl`), examplesToJsonl(examples));
  }
}

export class FileTopicModelStore implements TopicModelStore {
  readonly dir: string;

  /** `root` is the data folder (.local-data); models live in root/models/topic. */
  constructor(root: string) {
    this.dir = join(root, 'models', 'topic');
  }

  async versions(): Promise<string[]> {
    return (await listIfPresent(this.dir)).filter((f) => /^v\d+\.json$/.test(f)).map((f) => f.slice(0, -'.json'.length));
  }

  async card(version: string): Promise<ModelCard | undefined> {
    const raw = await readIfPresent(join(this.dir, `${version}.card.json`));
    return raw === undefined ? undefined : parseOrThrow(ModelCardSchema, JSON.parse(raw));
  }

  async model(version: string): Promise<StoredModel | undefined> {
    const raw = await readIfPresent(join(this.dir, `${version}.json`));
    return raw === undefined ? undefined : parseOrThrow(StoredModelSchema, JSON.parse(raw));
  }

  async create(model: StoredModel, card: ModelCard): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    try {
      await writeNew(join(this.dir, `${model.version}.json`), `${JSON.stringify(model)}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ModelVersionExistsError(model.version);
      throw error;
    }
    await writeFile(join(this.dir, `${card.version}.card.json`), `${JSON.stringify(card, null, 2)}\n`);
  }

  async pointer(): Promise<{ pointer: PromotedPointer | undefined; revision: string | null }> {
    const raw = await readIfPresent(join(this.dir, 'promoted.json'));
    if (raw === undefined) return { pointer: undefined, revision: null };
    return { pointer: parseOrThrow(PromotedPointerSchema, JSON.parse(raw)), revision: createHash('sha256').update(raw).digest('hex') };
  }

  async setPointer(pointer: PromotedPointer, revision: string | null): Promise<void> {
    if ((await this.pointer()).revision !== revision) throw new PointerConflictError();
    await mkdir(this.dir, { recursive: true });
    // Write then rename: a reader never sees half a pointer.
    const temporary = join(this.dir, `.promoted.${process.pid}.tmp`);
    await writeFile(temporary, `${JSON.stringify(pointer, null, 2)}\n`, 'utf8');
    await rename(temporary, join(this.dir, 'promoted.json'));
  }
}
