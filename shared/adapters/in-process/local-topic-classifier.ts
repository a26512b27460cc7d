import { createHash } from 'node:crypto';
// Synchronous reads at cold start from the read-only layer: knowledge-files.ts says why (measured faster).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { glossaryDigest, glossaryFromTsv, type Glossary } from '../../domain/classification/glossary.ts';
import { LocalTopicModel, type LocalTopicModelJson, type TopicTrainingExample } from '../../domain/classification/local-topic-model.ts';
import { decodeShippedModelArrays, encodeShippedModel, type ShippedModelArrays } from '../../domain/classification/model-binary.ts';
import type { ClassifierOptions } from '../../domain/classification/classifier.ts';
import { parseRoutingJsonl, type RoutingExample } from '../../domain/classification/evaluate.ts';
import { normaliseEnquiryText } from '../../domain/classification/normalise.ts';
import { placeNamesFromTsv } from '../../domain/classification/places.ts';
import { PLACES_FILE } from './gazetteer-file.ts';
import { DEFAULT_TRAINING_OPTIONS } from '../../domain/classification/text-classifier.ts';
import { parseTaxonomy, type Taxonomy } from '../../domain/classification/taxonomy.ts';
import { ValidationError } from '../../domain/errors.ts';
import { LANGUAGES, type Language } from '../../vocabulary/languages.ts';
import { CASE_TYPES, TOPIC_IDS } from '../../vocabulary/topics.ts';
import { check } from '../../domain/validation.ts';
import type { TopicClassifier, TopicResult } from '../../ports/topic-classifier.ts';
import type { TopicModelStore } from '../../ports/topic-models.ts';
import type { StoredModel } from '../../domain/retraining/model-registry.ts';
import { servingModel } from '../../domain/retraining/model-versions.ts';
import type { TopicModelTrainer } from '../../domain/retraining/retrain-topic-model.ts';
import { TOPIC_DEPARTMENT, type TopicId } from '../../vocabulary/topics.ts';

/** How an example is written; calibration and evaluation group by who wrote it (`source`). */
export const EXAMPLE_STYLES = ['sms', 'voicemail', 'letter', 'angry', 'question', 'codemixed', 'plain'] as const;

const ExampleSchema = z.object({
  text: z.string().check(z.minLength(1)),
  label: z.enum(TOPIC_IDS),
  language: z.enum(LANGUAGES),
  caseType: z.optional(z.enum(CASE_TYPES)),
  style: z.optional(z.enum(EXAMPLE_STYLES)),
  /** The writer or batch; when absent, the file's batch (see `batchOfFile`). */
  source: z.optional(z.string().check(z.regex(/^[a-z0-9-]+$/, 'must be a short batch id'))),
});
export type TopicExample = z.infer<typeof ExampleSchema> & { source: string };

/**
 * The batch an example file belongs to when its lines do not say: `water_bill.jsonl` was the first batch,
 * `water_bill-more.jsonl` the second, `out_of_scope-everyday.jsonl` its own; `<topic>-<batch>.jsonl` names it.
 */
export function batchOfFile(file: string): string {
  const suffix = /-([a-z0-9]+)\.jsonl$/.exec(file)?.[1];
  if (!suffix) return 'kb1';
  return suffix === 'more' ? 'kb2' : suffix === 'everyday' ? 'kb3' : suffix;
}

export interface ClassifierKnowledge {
  taxonomy: Taxonomy;
  examples: TopicExample[];
  glossary: Glossary;
  /** Hong Kong place names (Chinese and English), masked before classification. */
  placeNames: string[];
}

/**
 * The Chinese → English glossary shipped in the layer (glossary/zh-en.tsv, built by `npm run assist -- build-glossary`).
 * `recordedDigest`: the glossary digest of the model it will serve (glossaryFromTsv: its entries are not checked again).
 */
export async function loadGlossary(dir: string, recordedDigest?: string): Promise<Glossary> {
  return glossaryFromTsv(readFileSync(join(dir, GLOSSARY_FILE)), GLOSSARY_FILE, recordedDigest);
}

export const GLOSSARY_FILE = 'glossary/zh-en.tsv';
export { loadGazetteer, PLACES_FILE } from './gazetteer-file.ts';
export const TOPIC_MODEL_FILE = 'model/topic-model.bin';

/**
 * The frozen gold set retraining judges candidates on: test/eval/data/holdout-by-writer.jsonl (enquiries by a
 * writer who never saw the training examples), copied into the layer so the retrain function can read it. Never
 * trained on (it is not under examples/); a unit test keeps the two files identical.
 */
export const GOLD_FILE = 'gold/holdout-by-writer.jsonl';

/** The frozen gold set from the layer. */
export async function loadGoldSet(dir: string = defaultKnowledgeDir()): Promise<RoutingExample[]> {
  return parseRoutingJsonl(readFileSync(join(dir, GOLD_FILE), 'utf8'), GOLD_FILE);
}

/** Reads `taxonomy.json`, `examples/*.jsonl`, the glossary and the place names from the knowledge layer, validating every line. */
export async function loadTaxonomyAndExamples(dir: string): Promise<ClassifierKnowledge> {
  const taxonomy = parseTaxonomy(JSON.parse(readFileSync(join(dir, 'taxonomy.json'), 'utf8')));
  const files = readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.jsonl')).sort();
  const examples: TopicExample[] = [];
  for (const file of files) {
    const lines = readFileSync(join(dir, 'examples', file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const parsed = check(ExampleSchema, JSON.parse(line));
      if (!parsed.success) throw new ValidationError(parsed.problems.map((p) => ({ ...p, field: `examples/${file}:${i + 1}.${p.field}` })));
      examples.push({ ...parsed.data, source: parsed.data.source ?? batchOfFile(file) });
    });
  }
  const placeNames = placeNamesFromTsv(readFileSync(join(dir, PLACES_FILE), 'utf8'), PLACES_FILE);
  return { taxonomy, examples, glossary: await loadGlossary(dir), placeNames };
}

/**
 * Trains the topic model exactly as production does (taxonomy keywords, glossary, place masking), on the
 * layer's examples or on a subset of them (evaluation splits).
 */
export function trainTopicModel(knowledge: ClassifierKnowledge, examples: TopicTrainingExample[] = knowledge.examples, options: ClassifierOptions = {}): LocalTopicModel {
  return LocalTopicModel.train(knowledge.taxonomy, examples, { glossary: knowledge.glossary, placeNames: knowledge.placeNames, ...options });
}

/**
 * Identifies what a topic model was trained from: examples, taxonomy keywords, glossary and training
 * settings. The shipped model records it; a layer whose files no longer match gets a freshly trained model.
 */
export function trainingDigest({ taxonomy, examples, glossary, placeNames }: ClassifierKnowledge): string {
  const { features, ...settings } = DEFAULT_TRAINING_OPTIONS;
  return createHash('sha256')
    .update(
      JSON.stringify({
        examples: examples.map(({ text, label }) => [text, label]),
        keywords: taxonomy.topics.map((topic) => [topic.id, topic.keywords ?? null]),
        glossary: glossaryDigest(glossary),
        placeNames,
        settings,
        features,
      }),
    )
    .digest('hex');
}

/**
 * The bytes of every layer file training reads (taxonomy, examples, glossary, place names) and the training
 * settings. A shipped model records it: when the layer's files are byte for byte those it was trained from,
 * its `trainedOn` is the layer's training digest, and classify's cold start need not read and validate
 * 5 800 examples to find that out (the model's glossary digest is still checked when it loads).
 */
export async function layerFilesDigest(dir: string): Promise<string> {
  const examples = readdirSync(join(dir, 'examples')).filter((f) => f.endsWith('.jsonl')).sort();
  const hash = createHash('sha256').update(JSON.stringify(DEFAULT_TRAINING_OPTIONS));
  const files = ['taxonomy.json', GLOSSARY_FILE, PLACES_FILE, ...examples.map((f) => `examples/${f}`)];
  // Read in turn, synchronously: 9–13 ms for the 153 files against 23–29 ms as parallel async reads (measured).
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

/** The file `npm run assist -- train-model` writes into the layer (binary: shared/domain/classification/model-binary.ts). */
export async function shippedModelFile(knowledge: ClassifierKnowledge, model: LocalTopicModel, dir: string): Promise<Buffer> {
  return encodeShippedModel({ trainedOn: trainingDigest(knowledge), layerFiles: await layerFilesDigest(dir), model: model.toJSON() });
}

/**
 * How the local model was obtained: a version promoted by retraining, the model shipped in the layer, or
 * trained now because the shipped one was missing or stale.
 */
export type ModelOrigin = 'promoted' | 'shipped' | 'trained-missing' | 'trained-stale';

/** One load per process and folder, shared by every caller; a failed load is forgotten so that the next call retries. */
function oncePerDir<T>(cache: Map<string, Promise<T>>, dir: string, load: () => Promise<T>): Promise<T> {
  let loading = cache.get(dir);
  if (!loading) {
    loading = load();
    cache.set(dir, loading);
    loading.catch(() => cache.delete(dir));
  }
  return loading;
}

const knowledgeByDir = new Map<string, Promise<ClassifierKnowledge>>();

/** The layer's knowledge, read once per process and folder. */
function knowledgeOf(dir: string): Promise<ClassifierKnowledge> {
  return oncePerDir(knowledgeByDir, dir, () => loadTaxonomyAndExamples(dir));
}

/** What serving a trained model needs from the layer: the taxonomy and the glossary (not the examples). */
type ServingKnowledge = Pick<ClassifierKnowledge, 'taxonomy' | 'glossary'>;

const servingByDir = new Map<string, Promise<ServingKnowledge>>();

/** Taxonomy and glossary, read once per process and folder; `glossaryDigest` as loadGlossary takes it. */
function servingKnowledgeOf(dir: string, glossaryDigest?: string): Promise<ServingKnowledge> {
  return (
    servingByDir.get(dir) ??
    knowledgeByDir.get(dir) ??
    oncePerDir(servingByDir, dir, async () => ({ taxonomy: parseTaxonomy(JSON.parse(readFileSync(join(dir, 'taxonomy.json'), 'utf8'))), glossary: await loadGlossary(dir, glossaryDigest) }))
  );
}

/**
 * The glossary digest the shipped model recorded, read from its header before the header is validated: it is only
 * ever compared with the digest of the layer's glossary (TextClassifier.fromArrays then checks the two agree).
 */
function recordedGlossaryDigest(shipped: ShippedModelArrays | undefined): string | undefined {
  const header = shipped?.parts.topics.header as { featureOptions?: { glossaryDigest?: unknown } } | undefined;
  const digest = header?.featureOptions?.glossaryDigest;
  return typeof digest === 'string' ? digest : undefined;
}

interface ShippedAndLayerDigest {
  shipped: ShippedModelArrays | undefined;
  layerDigest: () => Promise<string>;
}

const shippedByDir = new Map<string, Promise<ShippedAndLayerDigest>>();

/**
 * shippedAndLayerDigest once per process and folder: classify with a models bucket reads it to judge the promoted
 * version and again when it falls back to the shipped model (9 MB decoded and 150 files hashed twice before).
 */
function shippedOf(dir: string): Promise<ShippedAndLayerDigest> {
  return oncePerDir(shippedByDir, dir, () => shippedAndLayerDigest(dir));
}

/** The shipped model, and the layer's training digest (taken from the model when the layer's files are the ones it was trained on). */
async function shippedAndLayerDigest(dir: string): Promise<ShippedAndLayerDigest> {
  let raw: Buffer;
  try {
    raw = readFileSync(join(dir, TOPIC_MODEL_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { shipped: undefined, layerDigest: async () => trainingDigest(await knowledgeOf(dir)) };
  }
  const shipped = decodeShippedModelArrays(raw);
  const sameFiles = shipped.layerFiles !== undefined && shipped.layerFiles === (await layerFilesDigest(dir));
  return { shipped, layerDigest: async () => (sameFiles ? shipped.trainedOn : trainingDigest(await knowledgeOf(dir))) };
}

/** A model stored by retraining, with the layer's taxonomy and glossary (it must predict only the taxonomy's topics). */
export function topicModelFromStored(knowledge: ServingKnowledge, stored: Pick<StoredModel, 'model'>): LocalTopicModel {
  return LocalTopicModel.fromJSON(knowledge.taxonomy, stored.model as LocalTopicModelJson, { glossary: knowledge.glossary });
}

/** The knowledge layer as retraining uses it: its examples to train on, its shipped model as the floor. */
export async function layerTrainer(dir: string = defaultKnowledgeDir()): Promise<TopicModelTrainer> {
  const knowledge = await knowledgeOf(dir);
  return {
    layerDigest: trainingDigest(knowledge),
    knowledgeExamples: knowledge.examples.length,
    topics: new Set(knowledge.taxonomy.topics.map((t) => t.id)),
    departmentOf: (topic) => TOPIC_DEPARTMENT[topic as TopicId] ?? 'unknown',
    shipped: async () => (await LocalTopicClassifier.load(dir)).topicModel,
    train: (agentExamples) => trainTopicModel(knowledge, [...knowledge.examples, ...agentExamples]),
    load: (stored) => topicModelFromStored(knowledge, stored),
  };
}

async function loadOrTrain(dir: string): Promise<{ model: LocalTopicModel; origin: ModelOrigin }> {
  const { shipped, layerDigest } = await shippedOf(dir);
  if (!shipped) return { model: trainTopicModel(await knowledgeOf(dir)), origin: 'trained-missing' };
  if (shipped.trainedOn !== (await layerDigest())) return { model: trainTopicModel(await knowledgeOf(dir)), origin: 'trained-stale' };
  const knowledge = await servingKnowledgeOf(dir, recordedGlossaryDigest(shipped));
  const model = LocalTopicModel.fromArrays(knowledge.taxonomy, shipped.parts, { glossary: knowledge.glossary });
  // Builds the script converters now (~20–30 ms): at cold start, not on the first caller's enquiry.
  normaliseEnquiryText('預熱');
  return { model, origin: 'shipped' };
}

/** `KNOWLEDGE_DIR` (the Lambda layer mounts it at /opt/knowledge), else the repository's layers/knowledge. */
export function defaultKnowledgeDir(): string {
  return process.env.KNOWLEDGE_DIR ?? fileURLToPath(new URL('../../../layers/knowledge', import.meta.url));
}

const shippedModels = new Map<string, Promise<{ model: LocalTopicModel; origin: ModelOrigin }>>();

/**
 * The local classifier as a TopicClassifier: the model shipped in the knowledge layer, loaded once per
 * process (cold start) and reused by warm invocations; trained on the spot when the shipped model is
 * missing or does not match the layer's examples. Local default, production first pass, Bedrock's fallback.
 */
export class LocalTopicClassifier implements TopicClassifier {
  private constructor(
    private readonly model: LocalTopicModel,
    /** Reported by the classify handler at cold start: a stale model costs seconds of training there. */
    readonly origin: ModelOrigin,
    /** Overrides the model's own accept threshold (configuration); by default the one chosen at training. */
    private readonly acceptAtOrAbove?: number,
    /** The promoted version serving (`shipped` for the layer's model). */
    readonly version: string = 'shipped',
    /** Why a promoted version was not used (ids and error text only), when one was named but could not serve. */
    readonly fallback?: string,
  ) {}

  /**
   * The classifier classify runs: with `models`, the version promoted by retraining when there is one it can
   * load (built on this layer, predicting the taxonomy's topics); otherwise, or when the store cannot be
   * read, the model shipped in the layer (`fallback` says why). Without `models`, the shipped model.
   */
  static async load(
    dir: string = defaultKnowledgeDir(),
    options: { acceptAtOrAbove?: number; models?: TopicModelStore } = {},
  ): Promise<LocalTopicClassifier> {
    if (!options.models) return LocalTopicClassifier.loadShipped(dir, options.acceptAtOrAbove);
    // The shipped model first: the glossary digest it recorded spares the glossary's line checks (loadGlossary).
    const shippedFirst = await shippedOf(dir).catch(() => undefined);
    const knowledge = await servingKnowledgeOf(dir, recordedGlossaryDigest(shippedFirst?.shipped));
    let fallback: string | undefined;
    try {
      const { layerDigest } = await shippedOf(dir);
      const serving = await servingModel(options.models, await layerDigest(), (stored) => topicModelFromStored(knowledge, stored));
      if ('model' in serving) {
        normaliseEnquiryText('預熱'); // script converters at cold start, as for the shipped model
        return new LocalTopicClassifier(serving.model, 'promoted', options.acceptAtOrAbove, serving.version);
      }
      fallback = serving.fallback;
    } catch (error) {
      fallback = `model store unreadable: ${(error as Error).name}: ${(error as Error).message}`;
    }
    const shipped = await LocalTopicClassifier.loadShipped(dir, options.acceptAtOrAbove);
    return fallback === undefined ? shipped : new LocalTopicClassifier(shipped.model, shipped.origin, options.acceptAtOrAbove, 'shipped', fallback);
  }

  private static async loadShipped(dir: string, acceptAtOrAbove: number | undefined): Promise<LocalTopicClassifier> {
    const loaded = await oncePerDir(shippedModels, dir, () => loadOrTrain(dir));
    return new LocalTopicClassifier(loaded.model, loaded.origin, acceptAtOrAbove);
  }

  /** The underlying model (retraining compares it with candidates). */
  get topicModel(): LocalTopicModel {
    return this.model;
  }

  get taxonomy(): Taxonomy {
    return this.model.taxonomy;
  }

  /** The confidence at or above which this classifier accepts its own answer. */
  get acceptThreshold(): number {
    return this.acceptAtOrAbove ?? this.model.acceptThreshold;
  }

  /** The same answer as `classify`, synchronously (evaluation over many enquiries). */
  classifySync(text: string, language?: Language): TopicResult {
    return this.model.classify(text, language, this.acceptAtOrAbove === undefined ? {} : { acceptAtOrAbove: this.acceptAtOrAbove });
  }

  async classify(input: { text: string; language?: Language }): Promise<TopicResult> {
    return this.model.classify(input.text, input.language, this.acceptAtOrAbove === undefined ? {} : { acceptAtOrAbove: this.acceptAtOrAbove });
  }
}
