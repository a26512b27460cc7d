import * as z from 'zod/mini';
import { parseOrThrow } from '../validation.ts';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureOptions } from './features.ts';
import { featureNameList, featureNamesFromList, type FeatureNames } from './feature-names.ts';
import { glossaryDigest, isStopWord, type Glossary } from './glossary.ts';
import { normaliseEnquiryText } from './normalise.ts';
import { solveL2LossSvmDual, type SvmOptions } from './linear-svm.ts';
import { seededRandom, shuffled, stratifiedFolds } from '../random.ts';
import { compareCodeUnits } from '../order.ts';

/*
 * A general text classifier: multinomial logistic regression (softmax) over sparse TF-IDF features
 * (word tokens, word bigrams, Han character n-grams, Latin character n-grams), trained by seeded SGD
 * with exact L2 regularisation, then calibrated on out-of-fold predictions: folds are grouped by the
 * examples' `group` (writer or batch) when there are enough groups, so the calibration sees text by other
 * writers than the model trained on, as real enquiries are. The calibration is temperature scaling with
 * an evidence term (text with few known features is pulled towards uncertainty), and the same
 * out-of-fold predictions choose the accept threshold. It knows nothing about the hotline: any
 * `{text, label}` set trains it. Deterministic for a given input order and seed; serialisable to JSON.
 */

export interface LabelledText {
  text: string;
  label: string;
  /** Who wrote it (writer, source, batch): calibration folds never split a group. */
  group?: string;
}

export interface TrainingOptions {
  /** Passes over the training set. */
  epochs: number;
  /** Initial SGD step; decays as lr / (1 + lr·l2·t). */
  learningRate: number;
  /** L2 penalty per example (objective: mean log loss + l2/2 · ||W||²). */
  l2: number;
  seed: number;
  /** Calibration on: 0 disables it (temperature 1, no evidence term, accept threshold 0.5). Otherwise about 1/folds. */
  calibrationFraction: number;
  /** Out-of-fold calibration folds (by group when the examples have at least this many groups, else stratified). */
  calibrationFolds: number;
  /**
   * Out-of-fold rows wanted for calibration: folds are held out in turn until at least this many examples
   * were scored (every fold below calibrationRows × folds/(folds−1) examples). 5 000 rows pin down a temperature,
   * a shrink and a threshold as well as 10 000 do, and each fold skipped saves a fit.
   */
  calibrationRows: number;
  /** The accept threshold is the lowest at which wrong-but-accepted answers stay at or under this share of all. */
  confidentWrongTarget: number;
  /**
   * Features seen in fewer training texts are dropped. `auto`: 2 from 1 000 examples up (there the
   * features seen once are mostly names and typos: same held-out accuracy, half the training time and
   * model size, measured on the hotline set and BANKING77), 1 below (small sets need every feature).
   */
  minDocumentFrequency: number | 'auto';
  features: FeatureOptions;
  /**
   * Stem-feature weights (`features.glossWeight`) tried on the calibration fold; the most accurate is
   * kept (ties: lower calibrated log loss). Data in two languages wants a strong bridge, one language a
   * weak one: measured 4 best on the hotline examples (+5 points over 1), 1 best on CLINC150 (+1.7 over 4).
   * Empty, or calibration off: `features.glossWeight` as given.
   */
  glossWeightCandidates: number[];
  /**
   * Weight of the one-vs-rest linear SVM margins added to the softmax scores (0: softmax only). Both are
   * linear in the same features, so the sum is one linear model: no cost at prediction, same model size.
   * The softmax alone stayed 0.5 points under the classic SVM on CLINC150 (its log loss spends capacity
   * on confident examples; the hinge only on the margin), the SVM alone 0.5 under the softmax on BANKING77.
   */
  svmWeight: number;
  svm: SvmOptions;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  epochs: 8,
  learningRate: 0.5,
  l2: 1e-5,
  seed: 1823,
  calibrationFraction: 0.2,
  calibrationFolds: 4,
  calibrationRows: 5000,
  confidentWrongTarget: 0.02,
  minDocumentFrequency: 'auto',
  features: DEFAULT_FEATURE_OPTIONS,
  glossWeightCandidates: [1, 4],
  // Measured (in-scope accuracy, CLINC150 / BANKING77 / hotline holdout by writer, department): softmax only
  // 0.922 / 0.917 / 0.966; + SVM C=1 × 4: 0.924 / 0.919 / 0.966; × 8 with character n-grams at weight 1:
  // 0.926 / 0.919 / 0.969; C=2: 0.927 / 0.920 (baseline SVM alone on its own features: 0.927 / 0.912).
  svmWeight: 8,
  // LIBLINEAR's own default tolerance for the dual solvers (scikit-learn passes 1e-4): same accuracy on
  // BANKING77 with a third of the passes.
  svm: { c: 2, tolerance: 0.1, maxIterations: 200 },
};

/** A label with its calibrated probability. */
export interface ScoredLabel {
  label: string;
  probability: number;
}

export interface Prediction {
  /** Best label, or the reject label when the best probability is under the threshold. */
  label: string;
  /** Calibrated probability of the best label (also when rejected: how sure the model was of anything). */
  confidence: number;
  rejected: boolean;
  /** Labels by descending probability (top `topK`). */
  ranking: ScoredLabel[];
}

export interface RejectOptions {
  /** Reject when the best calibrated probability is below this. */
  threshold: number;
  /** Label to return when rejecting (need not be one of the trained labels). */
  label: string;
}

const MODEL_FORMAT = '1823-assist/text-classifier';

/** Everything of a serialised model but its per-feature arrays (the binary model file keeps those as typed arrays). */
export const ModelHeaderSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(3),
  labels: z.array(z.string()).check(z.minLength(1)),
  bias: z.array(z.number()),
  temperature: z.number().check(z.positive()),
  /** Evidence term: logits are scaled by n / (n + evidenceShrink), n = the text's distinct known features other than character n-grams. */
  evidenceShrink: z.number().check(z.nonnegative()),
  /** Calibrated confidence at or above which the answer is accepted without a second opinion. */
  acceptThreshold: z.number().check(z.gte(0), z.lte(1)),
  featureOptions: z.object({
    hanNgramMax: z.int().check(z.gte(0)),
    latinNgramSizes: z.array(z.int().check(z.positive())),
    wordBigrams: z.boolean(),
    keywordGroups: z.optional(z.record(z.string(), z.array(z.string()))),
    keywordWeight: z.optional(z.number().check(z.positive())),
    placeNames: z.optional(z.array(z.string())),
    glossWeight: z.optional(z.number().check(z.positive())),
    charNgrams: z.optional(z.object({ min: z.int().check(z.positive()), max: z.int().check(z.positive()), weight: z.number().check(z.positive()) })),
    /** sha256 of the glossary the model was trained with (the glossary itself ships separately). */
    glossaryDigest: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  }),
});
export type ModelHeader = z.infer<typeof ModelHeaderSchema>;

export const SerialisedModelSchema = z.extend(ModelHeaderSchema, {
  features: z.array(z.string()),
  idf: z.array(z.number()),
  /** Feature-major int8, base64: weight of feature f for label k is weights[f * labels.length + k] × weightScales[f]. */
  weights: z.string(),
  /** One float32 (little-endian, base64) per feature. */
  weightScales: z.string(),
});
export type SerialisedModel = z.infer<typeof SerialisedModelSchema>;

/** A model's per-feature arrays as the binary model file holds them (see model-binary.ts). */
export interface ModelArrays {
  /** Feature names, in weight order. */
  features: FeatureNames;
  idf: Float64Array;
  /** int8 levels, feature-major: weight of feature f for label k is levels[f * labels + k] × scales[f]. */
  levels: Int8Array;
  scales: Float32Array;
}

/*
 * Weights are stored as int8 with one float32 scale per feature (symmetric quantisation): a quarter of
 * float32's size for the model shipped in the layer. Training ends by quantising the in-memory weights
 * the same way, so a reloaded model scores exactly like the one that was trained. A TextClassifier keeps
 * them quantised in memory too (4.7 MB for the hotline topic model instead of 38 MB as float64) and
 * multiplies level × scale as it scores: the same double product dequantising would have stored.
 */
interface QuantisedWeights {
  levels: Int8Array;
  scales: Float32Array;
}

function quantise(weights: Float64Array, labelCount: number): QuantisedWeights {
  const featureCount = weights.length / labelCount;
  const levels = new Int8Array(weights.length);
  const scales = new Float32Array(featureCount);
  for (let f = 0; f < featureCount; f += 1) {
    let largest = 0;
    for (let k = 0; k < labelCount; k += 1) largest = Math.max(largest, Math.abs(weights[f * labelCount + k] as number));
    const scale = Math.fround(largest / 127);
    scales[f] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < labelCount; k += 1) levels[f * labelCount + k] = Math.round((weights[f * labelCount + k] as number) / scale);
  }
  return { levels, scales };
}

function dequantise({ levels, scales }: QuantisedWeights, labelCount: number): Float64Array {
  const weights = new Float64Array(levels.length);
  for (let j = 0; j < levels.length; j += 1) weights[j] = (levels[j] as number) * (scales[Math.floor(j / labelCount)] as number);
  return weights;
}

function quantisedToBase64({ levels, scales }: QuantisedWeights): { weights: string; weightScales: string } {
  return {
    weights: Buffer.from(levels.buffer, levels.byteOffset, levels.byteLength).toString('base64'),
    weightScales: Buffer.from(scales.buffer, scales.byteOffset, scales.byteLength).toString('base64'),
  };
}

function quantisedFromBase64(levels64: string, scales64: string, labelCount: number): QuantisedWeights {
  const levelBytes = Buffer.from(levels64, 'base64');
  const scaleBytes = Buffer.from(scales64, 'base64');
  if (scaleBytes.length % 4 !== 0 || levelBytes.length !== (scaleBytes.length / 4) * labelCount) {
    throw new Error('serialised classifier has inconsistent array lengths');
  }
  return {
    levels: new Int8Array(levelBytes.buffer, levelBytes.byteOffset, levelBytes.length),
    scales: new Float32Array(scaleBytes.buffer.slice(scaleBytes.byteOffset, scaleBytes.byteOffset + scaleBytes.length)),
  };
}

interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
  /**
   * Known features other than character n-grams: the evidence the calibration counts. A word's character
   * n-grams restate the word, so "help please" has a handful of pieces of evidence, not forty.
   */
  evidence: number;
}

interface Vocabulary {
  index: FeatureNames;
  idf: Float64Array;
}

/** Keeps models compact as JSON and makes the in-memory model identical to a reloaded one. */
const roundWeight = (value: number): number => Number(value.toPrecision(7));

function countFeatures(features: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  return counts;
}

/** Which boost and block a feature belongs to: 0 plain, 1 keyword (`k:`), 2 stem (`g:`), 3 character n-gram (`x:`, own block). */
const featureKind = (name: string): number => (name.startsWith('k:') ? 1 : name.startsWith('g:') ? 2 : name.startsWith('x:') ? 3 : 0);

/**
 * Sublinear TF × IDF × boost, L2-normalised: long enquiries do not outvote short ones. Character n-grams
 * (kind 3) are normalised as a block of their own and scaled to `charNgrams.weight`.
 */
function normaliseBlocks(indices: number[], values: number[], kinds: number[], options: FeatureOptions): SparseVector {
  let main = 0;
  let chars = 0;
  for (let n = 0; n < values.length; n += 1) {
    const square = (values[n] as number) ** 2;
    if (kinds[n] === 3) chars += square;
    else main += square;
  }
  const mainNorm = Math.sqrt(main) || 1;
  const charNorm = (Math.sqrt(chars) || 1) / (options.charNgrams?.weight ?? 1);
  return {
    indices: Int32Array.from(indices),
    values: Float64Array.from(values, (value, n) => value / (kinds[n] === 3 ? charNorm : mainNorm)),
    evidence: kinds.reduce((count, kind) => count + (kind === 3 ? 0 : 1), 0),
  };
}

const boostOf = (kind: number, options: FeatureOptions): number => (kind === 1 ? (options.keywordWeight ?? 1) : kind === 2 ? (options.glossWeight ?? 1) : 1);

function vectorise(counts: Map<string, number>, vocabulary: Vocabulary, options: FeatureOptions): SparseVector {
  const pairs: [number, number, number][] = [];
  for (const [feature, count] of counts) {
    const i = vocabulary.index.indexOf(feature);
    if (i === undefined) continue;
    const kind = featureKind(feature);
    pairs.push([i, (1 + Math.log(count)) * (vocabulary.idf[i] as number) * boostOf(kind, options), kind]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return normaliseBlocks(
    pairs.map(([i]) => i),
    pairs.map(([, value]) => value),
    pairs.map(([, , kind]) => kind),
    options,
  );
}

/*
 * Training works on integer feature ids: every training text's features are counted once into one
 * table (ids in sorted feature order, so vocabularies and weights are laid out deterministically), and
 * each calibration fold and the final fit build their vocabulary and vectors from those ids without
 * touching strings again.
 */
interface FeatureTable {
  /** Feature strings by global id, sorted. */
  names: string[];
  /** `featureKind` of each: which boost and block applies. */
  kinds: Uint8Array;
}

interface CountedDocument {
  /** Global feature ids, ascending. */
  ids: Int32Array;
  counts: Float64Array;
}

function tabulate(countsPerDocument: readonly Map<string, number>[]): { table: FeatureTable; documents: CountedDocument[] } {
  const seen = new Set<string>();
  for (const counts of countsPerDocument) for (const feature of counts.keys()) seen.add(feature);
  const names = [...seen].sort(compareCodeUnits);
  const idOf = new Map(names.map((name, i) => [name, i]));
  const kinds = Uint8Array.from(names, featureKind);
  const documents = countsPerDocument.map((counts) => {
    const pairs = [...counts].map(([feature, count]) => [idOf.get(feature) as number, count] as const).sort((a, b) => a[0] - b[0]);
    return { ids: Int32Array.from(pairs, ([id]) => id), counts: Float64Array.from(pairs, ([, count]) => count) };
  });
  return { table: { names, kinds }, documents };
}

/** A vocabulary over a feature table: which global ids a model keeps, at which index, with which IDF. */
interface TableVocabulary {
  /** Global id → model feature index, or −1 when not kept. */
  localOf: Int32Array;
  /** Model feature index → global id. */
  globalOf: Int32Array;
  idf: Float64Array;
}

function buildTableVocabulary(table: FeatureTable, documents: readonly CountedDocument[], minDocumentFrequency: number): TableVocabulary {
  const documentFrequency = new Int32Array(table.names.length);
  for (const document of documents) for (const id of document.ids) documentFrequency[id] = (documentFrequency[id] as number) + 1;
  const localOf = new Int32Array(table.names.length).fill(-1);
  const kept: number[] = [];
  documentFrequency.forEach((df, id) => {
    if (df >= minDocumentFrequency && df > 0) {
      localOf[id] = kept.length;
      kept.push(id);
    }
  });
  // Smoothed IDF, rounded like the weights so a reloaded model scores identically.
  const idf = Float64Array.from(kept, (id) => roundWeight(Math.log((documents.length + 1) / ((documentFrequency[id] as number) + 1)) + 1));
  return { localOf, globalOf: Int32Array.from(kept), idf };
}

/** Same weighting as `vectorise`, from ids (ascending ids give ascending local indices: no sort needed). */
function vectoriseDocument(document: CountedDocument, vocabulary: TableVocabulary, table: FeatureTable, options: FeatureOptions): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  const kinds: number[] = [];
  for (let n = 0; n < document.ids.length; n += 1) {
    const id = document.ids[n] as number;
    const i = vocabulary.localOf[id] as number;
    if (i < 0) continue;
    const kind = table.kinds[id] as number;
    indices.push(i);
    values.push((1 + Math.log(document.counts[n] as number)) * (vocabulary.idf[i] as number) * boostOf(kind, options));
    kinds.push(kind);
  }
  return normaliseBlocks(indices, values, kinds, options);
}

function softmaxInPlace(scores: Float64Array): void {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  let sum = 0;
  for (let k = 0; k < scores.length; k += 1) {
    const e = Math.exp((scores[k] as number) - max);
    scores[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k += 1) scores[k] = (scores[k] as number) / sum;
}

/** `logitsInto` over quantised weights: each weight is levels[j] × scales[f], exactly as `dequantise` computes it. */
function quantisedLogitsInto(out: Float64Array, x: SparseVector, { levels, scales }: QuantisedWeights, bias: Float64Array): void {
  const labelCount = bias.length;
  out.fill(0);
  for (let n = 0; n < x.indices.length; n += 1) {
    const f = x.indices[n] as number;
    const base = f * labelCount;
    const scale = scales[f] as number;
    const value = x.values[n] as number;
    for (let k = 0; k < labelCount; k += 1) out[k] = (out[k] as number) + value * ((levels[base + k] as number) * scale);
  }
  for (let k = 0; k < labelCount; k += 1) out[k] = (out[k] as number) + (bias[k] as number);
}

function logitsInto(out: Float64Array, x: SparseVector, weights: Float64Array, bias: Float64Array, weightScale = 1): void {
  const labelCount = bias.length;
  out.fill(0);
  for (let n = 0; n < x.indices.length; n += 1) {
    const base = (x.indices[n] as number) * labelCount;
    const value = x.values[n] as number;
    for (let k = 0; k < labelCount; k += 1) out[k] = (out[k] as number) + value * (weights[base + k] as number);
  }
  for (let k = 0; k < labelCount; k += 1) out[k] = (out[k] as number) * weightScale + (bias[k] as number);
}

/**
 * Gradients smaller than this (p − y for a label) are not applied: they would move no prediction. At 1e-3
 * instead of 1e-4 an update touches fewer labels: CLINC150 in-scope 0.922 (1e-4: 0.922, 1e-2: 0.916),
 * BANKING77 0.917 (0.917, 0.915), about 12% less time per fit.
 */
const GRADIENT_FLOOR = 1e-3;

/**
 * SGD on the softmax log loss. L2 decay is applied exactly and cheaply by keeping the weights as
 * `scale × stored` (the classic trick for sparse SGD): decaying every weight is one multiplication.
 */
function fitWeights(
  vectors: SparseVector[],
  targets: Int32Array,
  featureCount: number,
  labelCount: number,
  options: TrainingOptions,
): { weights: Float64Array; bias: Float64Array } {
  const weights = new Float64Array(featureCount * labelCount);
  const bias = new Float64Array(labelCount);
  const gradient = new Float64Array(labelCount);
  const activeLabels = new Int32Array(labelCount);
  const random = seededRandom(options.seed);
  const order = Array.from(vectors.keys());
  let scale = 1;
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const i of shuffled(order, random)) {
      const x = vectors[i] as SparseVector;
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step);
      step += 1;
      logitsInto(gradient, x, weights, bias, scale);
      const target = targets[i] as number;
      softmaxInPlace(gradient);
      gradient[target] = (gradient[target] as number) - 1; // now the gradient p - y
      scale *= 1 - rate * options.l2;
      const stepOverScale = rate / scale;
      // Only labels with a gradient worth applying: after the first epoch most probabilities are ~0, and
      // skipping them makes an update cost nnz × (a few labels) instead of nnz × all labels.
      let active = 0;
      for (let k = 0; k < labelCount; k += 1) {
        const g = gradient[k] as number;
        if (g > GRADIENT_FLOOR || g < -GRADIENT_FLOOR) activeLabels[active++] = k;
      }
      for (let n = 0; n < x.indices.length; n += 1) {
        const base = (x.indices[n] as number) * labelCount;
        const scaled = (x.values[n] as number) * stepOverScale;
        for (let a = 0; a < active; a += 1) {
          const k = activeLabels[a] as number;
          weights[base + k] = (weights[base + k] as number) - scaled * (gradient[k] as number);
        }
      }
      for (let a = 0; a < active; a += 1) {
        const k = activeLabels[a] as number;
        bias[k] = (bias[k] as number) - rate * (gradient[k] as number);
      }
      if (scale < 1e-9) {
        for (let j = 0; j < weights.length; j += 1) weights[j] = (weights[j] as number) * scale;
        scale = 1;
      }
    }
  }
  for (let j = 0; j < weights.length; j += 1) weights[j] = (weights[j] as number) * scale;
  return { weights, bias };
}

/**
 * Adds `weight` × the margins of one binary L2-loss SVM per label (that label against the rest) to the
 * softmax weights, in place.
 */
function addSvmMargins(vectors: readonly SparseVector[], targets: Int32Array, weights: Float64Array, bias: Float64Array, weight: number, options: TrainingOptions): void {
  const labelCount = bias.length;
  const featureCount = weights.length / labelCount;
  const rowStart = new Int32Array(vectors.length + 1);
  vectors.forEach((x, i) => (rowStart[i + 1] = (rowStart[i] as number) + x.indices.length));
  const columns = new Int32Array(rowStart[vectors.length] as number);
  const values = new Float64Array(columns.length);
  vectors.forEach((x, i) => {
    columns.set(x.indices, rowStart[i] as number);
    values.set(x.values, rowStart[i] as number);
  });
  const rows = { rowStart, columns, values, columnCount: featureCount };
  const random = seededRandom(options.seed);
  const y = new Int8Array(vectors.length);
  for (let k = 0; k < labelCount; k += 1) {
    for (let i = 0; i < y.length; i += 1) y[i] = targets[i] === k ? 1 : -1;
    const { w } = solveL2LossSvmDual(rows, y, options.svm, random);
    for (let f = 0; f < featureCount; f += 1) {
      const margin = w[f] as number;
      if (margin !== 0) weights[f * labelCount + k] = (weights[f * labelCount + k] as number) + weight * margin;
    }
    bias[k] = (bias[k] as number) + weight * (w[featureCount] as number);
  }
}

/** A calibration: logits are multiplied by `scale(n) = n / (n + evidenceShrink) / temperature` for a text with n known features. */
export interface Calibration {
  temperature: number;
  evidenceShrink: number;
}

const NO_CALIBRATION: Calibration = { temperature: 1, evidenceShrink: 0 };

function logitScale(calibration: Calibration, knownFeatures: number): number {
  const evidence = calibration.evidenceShrink === 0 ? 1 : knownFeatures / (knownFeatures + calibration.evidenceShrink);
  return evidence / calibration.temperature;
}

/** Raw scores of held-out texts with how much they gave the model to go on. */
export interface ScoredRow {
  logits: Float64Array;
  knownFeatures: number;
  target: number;
}

function calibratedInto(out: Float64Array, row: ScoredRow, calibration: Calibration): Float64Array {
  const scale = logitScale(calibration, row.knownFeatures);
  for (let k = 0; k < row.logits.length; k += 1) out[k] = (row.logits[k] as number) * scale;
  softmaxInPlace(out);
  return out;
}

function meanNegativeLogLikelihood(rows: readonly ScoredRow[], calibration: Calibration): number {
  const scratch = new Float64Array(rows[0]?.logits.length ?? 0);
  let total = 0;
  for (const row of rows) total -= Math.log(Math.max(calibratedInto(scratch, row, calibration)[row.target] as number, 1e-12));
  return total / Math.max(rows.length, 1);
}

/** Scale bounds for the calibration: temperature 0.02..20. */
const MIN_LOGIT_SCALE = 1 / 20;
const MAX_LOGIT_SCALE = 1 / 0.02;

/**
 * The logit scale a (= 1/temperature) minimising the mean log loss of softmax(a · e_i · logits_i), where
 * e_i = n/(n + shrink) for a row with n known features. The loss is convex in a (log-sum-exp of terms linear
 * in a, minus a linear term), so a safeguarded Newton iteration on its first and second derivatives (the
 * mean and variance of the scaled logit under the row's softmax) finds it in a few passes; steps that would
 * leave the bracket on the minimum fall back to bisection.
 */
function fitLogitScale(rows: readonly ScoredRow[], evidenceShrink: number): number {
  const labelCount = rows[0]?.logits.length ?? 0;
  const weights = new Float64Array(labelCount);
  const evidence = Float64Array.from(rows, (row) => (evidenceShrink === 0 ? 1 : row.knownFeatures / (row.knownFeatures + evidenceShrink)));
  let low = MIN_LOGIT_SCALE;
  let high = MAX_LOGIT_SCALE;
  let a = 1;
  for (let iteration = 0; iteration < 60; iteration += 1) {
    let gradient = 0;
    let curvature = 0;
    rows.forEach((row, i) => {
      const e = evidence[i] as number;
      let max = -Infinity;
      for (let k = 0; k < labelCount; k += 1) max = Math.max(max, (row.logits[k] as number) * e);
      let sum = 0;
      let mean = 0;
      let square = 0;
      for (let k = 0; k < labelCount; k += 1) {
        const z = (row.logits[k] as number) * e;
        const w = Math.exp(a * (z - max));
        weights[k] = w;
        sum += w;
        mean += w * z;
        square += w * z * z;
      }
      mean /= sum;
      gradient += mean - (row.logits[row.target] as number) * e;
      curvature += Math.max(square / sum - mean * mean, 0);
    });
    if (gradient > 0) high = a;
    else low = a;
    const newton = curvature > 0 ? a - gradient / curvature : Number.NaN;
    const next = newton > low && newton < high ? newton : Math.sqrt(low * high);
    if (Math.abs(next - a) <= 1e-9 * a || high - low <= 1e-9 * low) return next;
    a = next;
  }
  return a;
}

/**
 * Temperature scaling (Guo et al. 2017) with an evidence term: for each candidate shrink c (0 = plain
 * temperature scaling), the temperature minimising held-out log loss (`fitLogitScale`); the pair with the
 * lowest loss wins. With c > 0 a two-word text is scaled down more than a long one, so it cannot reach 0.99
 * on the strength of one feature.
 */
export function fitCalibration(rows: readonly ScoredRow[], shrinkCandidates: readonly number[] = [0, 2, 4, 8, 16]): Calibration {
  if (rows.length === 0) return NO_CALIBRATION;
  let best: (Calibration & { loss: number }) | undefined;
  for (const evidenceShrink of shrinkCandidates) {
    const calibration = { temperature: roundWeight(1 / fitLogitScale(rows, evidenceShrink)), evidenceShrink };
    const loss = meanNegativeLogLikelihood(rows, calibration);
    if (!best || loss < best.loss) best = { ...calibration, loss };
  }
  const { loss: _loss, ...calibration } = best as Calibration & { loss: number };
  return calibration;
}

/** Plain temperature scaling (kept for callers that have logits only). */
export function fitTemperature(logits: Float64Array[], targets: number[]): number {
  return fitCalibration(
    logits.map((row, i) => ({ logits: row, knownFeatures: 1, target: targets[i] as number })),
    [0],
  ).temperature;
}

/**
 * The lowest threshold at which answers accepted (confidence ≥ threshold) and wrong stay within
 * `target` of all answers: the most coverage the error budget allows. Confidences are out-of-fold.
 */
export function chooseAcceptThreshold(scored: readonly { confidence: number; correct: boolean }[], target: number): number {
  if (scored.length === 0) return 0.5;
  const byConfidence = [...scored].sort((a, b) => b.confidence - a.confidence);
  let wrong = 0;
  let threshold = 1;
  for (let i = 0; i < byConfidence.length; i += 1) {
    const item = byConfidence[i] as { confidence: number; correct: boolean };
    if (!item.correct) wrong += 1;
    if (wrong / scored.length > target) break;
    // Accept down to this confidence only if the next one differs (ties are accepted or refused together).
    const next = byConfidence[i + 1];
    if (!next || next.confidence < item.confidence) threshold = item.confidence;
  }
  return Math.round(threshold * 1000) / 1000;
}

/** A trained classifier. Build it with `trainClassifier` or `TextClassifier.fromJSON`. */
export class TextClassifier {
  private readonly vocabulary: Vocabulary;

  private constructor(
    readonly labels: readonly string[],
    private readonly featureNames: FeatureNames,
    idf: Float64Array,
    private readonly weights: QuantisedWeights,
    private readonly bias: Float64Array,
    readonly calibration: Calibration,
    /** Calibrated confidence at or above which an answer is accepted (chosen on out-of-fold predictions). */
    readonly acceptThreshold: number,
    readonly featureOptions: FeatureOptions,
  ) {
    this.vocabulary = { index: featureNames, idf };
  }

  /** @internal used by training: assembles a model from fitted parts. */
  static assemble(parts: {
    labels: string[];
    vocabulary: Vocabulary;
    weights: Float64Array;
    bias: Float64Array;
    calibration: Calibration;
    acceptThreshold: number;
    featureOptions: FeatureOptions;
  }): TextClassifier {
    const weights = quantise(parts.weights, parts.labels.length);
    return new TextClassifier(parts.labels, parts.vocabulary.index, parts.vocabulary.idf, weights, parts.bias, parts.calibration, parts.acceptThreshold, parts.featureOptions);
  }

  /**
   * Rebuilds a serialised model. A model trained with a glossary needs that same glossary (checked by
   * digest): with another one its glossary features would silently mean something else.
   */
  static fromJSON(json: unknown, resources: { glossary?: Glossary } = {}): TextClassifier {
    const model = parseOrThrow(SerialisedModelSchema, json);
    const { levels, scales } = quantisedFromBase64(model.weights, model.weightScales, model.labels.length);
    return TextClassifier.fromArrays(model, { features: featureNamesFromList(model.features), idf: Float64Array.from(model.idf), levels, scales }, resources);
  }

  /**
   * Rebuilds a model from its header and typed arrays (the binary model file), without the JSON form's
   * base64 strings and number arrays: the shipped model's cold start.
   */
  static fromArrays(header: unknown, arrays: ModelArrays, resources: { glossary?: Glossary } = {}): TextClassifier {
    const model = parseOrThrow(ModelHeaderSchema, header);
    const labelCount = model.labels.length;
    const featureCount = arrays.features.size;
    if (arrays.idf.length !== featureCount || arrays.scales.length !== featureCount || arrays.levels.length !== featureCount * labelCount || model.bias.length !== labelCount) {
      throw new Error('serialised classifier has inconsistent array lengths');
    }
    const { glossaryDigest: expectedDigest, ...featureOptions } = model.featureOptions;
    if (expectedDigest !== undefined) {
      if (!resources.glossary) throw new Error('serialised classifier was trained with a glossary; pass the same glossary to load it');
      if (glossaryDigest(resources.glossary) !== expectedDigest) throw new Error('serialised classifier was trained with a different glossary; retrain it');
    }
    return new TextClassifier(
      model.labels,
      arrays.features,
      arrays.idf,
      { levels: arrays.levels, scales: arrays.scales },
      Float64Array.from(model.bias),
      { temperature: model.temperature, evidenceShrink: model.evidenceShrink },
      model.acceptThreshold,
      expectedDigest === undefined ? featureOptions : { ...featureOptions, glossary: resources.glossary as Glossary },
    );
  }

  toJSON(): SerialisedModel {
    const { glossary, ...featureOptions } = this.featureOptions;
    return {
      format: MODEL_FORMAT,
      version: 3,
      labels: [...this.labels],
      features: featureNameList(this.featureNames),
      idf: Array.from(this.vocabulary.idf),
      ...quantisedToBase64(this.weights),
      bias: Array.from(this.bias),
      temperature: this.calibration.temperature,
      evidenceShrink: this.calibration.evidenceShrink,
      acceptThreshold: this.acceptThreshold,
      featureOptions: glossary ? { ...featureOptions, glossaryDigest: glossaryDigest(glossary) } : featureOptions,
    };
  }

  private vector(text: string): SparseVector {
    return vectorise(countFeatures(extractFeatures(normaliseEnquiryText(text), this.featureOptions)), this.vocabulary, this.featureOptions);
  }

  /** Uncalibrated scores. */
  logits(text: string): Float64Array {
    const out = new Float64Array(this.labels.length);
    quantisedLogitsInto(out, this.vector(text), this.weights, this.bias);
    return out;
  }

  /** The features of `text` that pushed most towards `label`, strongest first (for rationales). */
  evidence(text: string, label: string, limit = 4): string[] {
    const k = this.labels.indexOf(label);
    if (k < 0) return [];
    const x = this.vector(text);
    const { levels, scales } = this.weights;
    const contributions = Array.from(x.indices, (f, n) => ({ name: this.featureNames.nameAt(f), weight: (x.values[n] as number) * ((levels[f * this.labels.length + k] as number) * (scales[f] as number)) }));
    return contributions
      // Whole words, word pairs and Chinese n-grams read well in a rationale; sub-word pieces do not.
      // (Placeholders such as <num> and <place>, and stop words, say nothing to a reader.)
      .filter((c) => c.weight > 0 && /^[wbc]:/.test(c.name) && !/[<>]/.test(c.name) && !(c.name.startsWith('w:') && isStopWord(c.name.slice(2))))
      .sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : 1))
      .map((c) => c.name.slice(2).replace('_', ' '))
      .filter((name, i, all) => all.indexOf(name) === i)
      .slice(0, limit);
  }

  /** Calibrated probability of every label, in `labels` order. */
  probabilities(text: string): Float64Array {
    const x = this.vector(text);
    const scores = new Float64Array(this.labels.length);
    quantisedLogitsInto(scores, x, this.weights, this.bias);
    return calibratedInto(scores, { logits: scores, knownFeatures: x.evidence, target: 0 }, this.calibration);
  }

  predict(text: string, options: { reject?: RejectOptions; topK?: number } = {}): Prediction {
    return this.predictFromProbabilities(this.probabilities(text), options);
  }

  /** The ranking and decision for probabilities already computed (in `labels` order). */
  predictFromProbabilities(probabilities: Float64Array, options: { reject?: RejectOptions; topK?: number } = {}): Prediction {
    const ranking = this.labels
      .map((label, k) => ({ label, probability: probabilities[k] as number }))
      // Ties break by label order, so the result never depends on sort stability.
      .sort((a, b) => b.probability - a.probability || this.labels.indexOf(a.label) - this.labels.indexOf(b.label))
      .slice(0, options.topK ?? 3);
    const best = ranking[0] as ScoredLabel;
    const rejected = options.reject !== undefined && best.probability < options.reject.threshold;
    return { label: rejected ? (options.reject as RejectOptions).label : best.label, confidence: best.probability, rejected, ranking };
  }
}

interface PreparedSet {
  labels: string[];
  table: FeatureTable;
  documents: CountedDocument[];
  targets: Int32Array;
}

function prepare(examples: readonly LabelledText[], labels: string[], featureOptions: FeatureOptions): PreparedSet {
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const { table, documents } = tabulate(examples.map((example) => countFeatures(extractFeatures(normaliseEnquiryText(example.text), featureOptions))));
  return { labels, table, documents, targets: Int32Array.from(examples, (example) => labelIndex.get(example.label) as number) };
}

/** Fitted parts on a feature table; the final model becomes a TextClassifier, fold models only score. */
interface FittedParts {
  vocabulary: TableVocabulary;
  weights: Float64Array;
  bias: Float64Array;
}

function fitParts(prepared: PreparedSet, indices: readonly number[], options: TrainingOptions): FittedParts {
  const documents = indices.map((i) => prepared.documents[i] as CountedDocument);
  const vocabulary = buildTableVocabulary(prepared.table, documents, options.minDocumentFrequency === 'auto' ? 1 : options.minDocumentFrequency);
  const vectors = documents.map((document) => vectoriseDocument(document, vocabulary, prepared.table, options.features));
  const targets = Int32Array.from(indices, (i) => prepared.targets[i] as number);
  const { weights, bias } = fitWeights(vectors, targets, vocabulary.idf.length, prepared.labels.length, options);
  if (options.svmWeight > 0 && prepared.labels.length > 1) addSvmMargins(vectors, targets, weights, bias, options.svmWeight, options);
  for (let k = 0; k < bias.length; k += 1) bias[k] = roundWeight(bias[k] as number);
  return { vocabulary, weights: dequantise(quantise(weights, bias.length), bias.length), bias };
}

function scoreDocument(parts: FittedParts, document: CountedDocument, table: FeatureTable, options: FeatureOptions): { logits: Float64Array; knownFeatures: number } {
  const x = vectoriseDocument(document, parts.vocabulary, table, options);
  const logits = new Float64Array(parts.bias.length);
  logitsInto(logits, x, parts.weights, parts.bias);
  return { logits, knownFeatures: x.evidence };
}

function fitOnPrepared(prepared: PreparedSet, options: TrainingOptions, calibration: Calibration, acceptThreshold: number): TextClassifier {
  const parts = fitParts(prepared, Array.from(prepared.documents.keys()), options);
  const names = Array.from(parts.vocabulary.globalOf, (id) => prepared.table.names[id] as string);
  return TextClassifier.assemble({
    labels: prepared.labels,
    vocabulary: { index: featureNamesFromList(names), idf: parts.vocabulary.idf },
    weights: parts.weights,
    bias: parts.bias,
    calibration,
    acceptThreshold,
    featureOptions: options.features,
  });
}

function checkExamples(examples: readonly LabelledText[]): void {
  if (examples.length === 0) throw new Error('cannot train a classifier on no examples');
  examples.forEach((example, i) => {
    if (typeof example.text !== 'string' || typeof example.label !== 'string' || example.label === '') {
      throw new Error(`example ${i} needs a text and a non-empty label`);
    }
  });
}

/**
 * Calibration folds, grouped within each label: a label's examples are dealt to folds a whole group
 * (writer, batch, style) at a time, largest first into the fold that holds least of that label. So a fold's
 * text for a label was written by others than the rest of that label's training text, and every label with
 * two or more groups stays in every fold's training set. Without groups: stratified by label.
 * Returns each example's fold.
 */
export function calibrationFoldsOf(examples: readonly LabelledText[], k: number, seed: number): Int32Array {
  const fold = new Int32Array(examples.length);
  if (!examples.every((example) => example.group !== undefined)) {
    const indexed = examples.map((example, i) => ({ label: example.label, i }));
    stratifiedFolds(indexed, k, seed).forEach((members, f) => {
      for (const { i } of members) fold[i] = f;
    });
    return fold;
  }
  const byLabel = new Map<string, Map<string, number[]>>();
  examples.forEach((example, i) => {
    const groups = byLabel.get(example.label) ?? new Map<string, number[]>();
    byLabel.set(example.label, groups);
    const members = groups.get(example.group as string) ?? [];
    groups.set(example.group as string, members);
    members.push(i);
  });
  let offset = 0;
  for (const groups of byLabel.values()) {
    const sizes = new Array<number>(k).fill(0);
    const ordered = [...groups.entries()].sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1));
    for (const [, members] of ordered) {
      // Ties go to the fold after the last label's first, so small labels do not all crowd fold 0.
      let smallest = offset % k;
      for (let f = 0; f < k; f += 1) if ((sizes[f] as number) < (sizes[smallest] as number)) smallest = f;
      for (const i of members) fold[i] = smallest;
      sizes[smallest] = (sizes[smallest] as number) + members.length;
    }
    offset += 1;
  }
  return fold;
}

/** Out-of-fold scores: for each fold, a model trained on the others scores its examples. */
function outOfFoldRows(prepared: PreparedSet, folds: Int32Array, foldIds: readonly number[], options: TrainingOptions): ScoredRow[] {
  const rows: ScoredRow[] = [];
  for (const f of foldIds) {
    const trainIdx: number[] = [];
    const heldIdx: number[] = [];
    folds.forEach((fold, i) => (fold === f ? heldIdx : trainIdx).push(i));
    if (trainIdx.length === 0 || heldIdx.length === 0) continue;
    const parts = fitParts(prepared, trainIdx, options);
    for (const i of heldIdx) rows.push({ ...scoreDocument(parts, prepared.documents[i] as CountedDocument, prepared.table, options.features), target: prepared.targets[i] as number });
  }
  return rows;
}

const argmaxOf = (values: Float64Array): number => {
  let best = 0;
  for (let k = 1; k < values.length; k += 1) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
};

/** What out-of-fold calibration found; kept on the trained model for reports. */
export interface CalibrationSummary extends Calibration {
  acceptThreshold: number;
  /** Out-of-fold examples the calibration was fitted on, and how the folds were made. */
  examples: number;
  folds: 'grouped' | 'stratified';
}

/**
 * Trains on any labelled set. With calibration on, out-of-fold scores (grouped folds where possible)
 * choose the stem weight, fit the calibration and the accept threshold; the final model is trained on
 * everything and carries them.
 */
export function trainClassifier(examples: readonly LabelledText[], options: Partial<TrainingOptions> = {}): TextClassifier {
  return trainClassifierWithSummary(examples, options).model;
}

export function trainClassifierWithSummary(examples: readonly LabelledText[], options: Partial<TrainingOptions> = {}): { model: TextClassifier; calibration?: CalibrationSummary } {
  checkExamples(examples);
  const merged: TrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  const settings = { ...merged, minDocumentFrequency: merged.minDocumentFrequency === 'auto' ? (examples.length >= 1000 ? 2 : 1) : merged.minDocumentFrequency };
  // Labels in first-seen order: deterministic, and the trained model lists them the way the data does.
  const labels = [...new Set(examples.map((example) => example.label))];
  const prepared = prepare(examples, labels, settings.features);
  if (!(settings.calibrationFraction > 0 && labels.length > 1 && examples.length >= 2 * settings.calibrationFolds)) {
    return { model: fitOnPrepared(prepared, settings, NO_CALIBRATION, 0.5) };
  }
  const k = Math.max(2, settings.calibrationFolds);
  const folds = calibrationFoldsOf(examples, k, settings.seed);
  const foldKind = examples.every((e) => e.group !== undefined) ? 'grouped' : 'stratified';
  // Stem weight: chosen on the first fold only (one fit per candidate), then the other folds with it.
  // The stem weight bridges Chinese and English; data in one script has nothing to bridge, so weight 1.
  const bilingual = examples.some((example) => /\p{Script=Han}/u.test(example.text));
  const candidates = !bilingual ? [1] : settings.glossWeightCandidates.length > 0 ? settings.glossWeightCandidates : [settings.features.glossWeight ?? 1];
  let chosen: { features: FeatureOptions; rows: ScoredRow[]; correct: number; loss: number } | undefined;
  for (const glossWeight of candidates) {
    const features = { ...settings.features, glossWeight };
    const rows = outOfFoldRows(prepared, folds, [0], { ...settings, features });
    const correct = rows.filter((row) => argmaxOf(row.logits) === row.target).length;
    const loss = meanNegativeLogLikelihood(rows, fitCalibration(rows, [0]));
    if (!chosen || correct > chosen.correct || (correct === chosen.correct && loss < chosen.loss)) chosen = { features, rows, correct, loss };
  }
  const { features, rows: firstFold } = chosen as { features: FeatureOptions; rows: ScoredRow[] };
  const trainingSettings = { ...settings, features };
  // Folds are held out one after another until enough rows are scored: all of them on small sets, fewer on
  // large ones (each held-out fold is another fit on (k−1)/k of the data).
  const foldsNeeded = Math.min(k, Math.max(1, Math.ceil(settings.calibrationRows / (examples.length / k))));
  const rows = [...firstFold, ...outOfFoldRows(prepared, folds, Array.from({ length: foldsNeeded - 1 }, (_, i) => i + 1), trainingSettings)];
  const calibration = fitCalibration(rows);
  const scratch = new Float64Array(labels.length);
  const scored = rows.map((row) => {
    const p = calibratedInto(scratch, row, calibration);
    const best = argmaxOf(p);
    return { confidence: p[best] as number, correct: best === row.target };
  });
  const acceptThreshold = chooseAcceptThreshold(scored, settings.confidentWrongTarget);
  return {
    model: fitOnPrepared(prepared, trainingSettings, calibration, acceptThreshold),
    calibration: { ...calibration, acceptThreshold, examples: rows.length, folds: foldKind },
  };
}
