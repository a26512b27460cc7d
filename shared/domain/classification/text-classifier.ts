import { z } from 'zod';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureOptions } from './features.ts';
import { glossaryDigest, isStopWord, type Glossary } from './glossary.ts';
import { normaliseEnquiryText } from './normalise.ts';
import { seededRandom, shuffled, stratifiedSplit } from '../random.ts';

/*
 * A general text classifier: multinomial logistic regression (softmax) over sparse TF-IDF features
 * (word tokens, word bigrams, Han character n-grams, Latin character n-grams), trained by seeded SGD
 * with exact L2 regularisation, then calibrated by temperature scaling on a held-out fold.
 * It knows nothing about the hotline: any `{text, label}` set trains it. Deterministic for a given
 * input order and seed; serialisable to JSON.
 */

export interface LabelledText {
  text: string;
  label: string;
}

export interface TrainingOptions {
  /** Passes over the training set. */
  epochs: number;
  /** Initial SGD step; decays as lr / (1 + lr·l2·t). */
  learningRate: number;
  /** L2 penalty per example (objective: mean log loss + l2/2 · ||W||²). */
  l2: number;
  seed: number;
  /** Share of each label held out to fit the temperature; 0 disables calibration (temperature 1). */
  calibrationFraction: number;
  /** Features seen in fewer training texts are dropped (keeps big training sets compact). */
  minDocumentFrequency: number;
  features: FeatureOptions;
  /**
   * Stem-feature weights (`features.glossWeight`) tried on the calibration fold; the most accurate is
   * kept (ties: lower calibrated log loss). Data in two languages wants a strong bridge, one language a
   * weak one: measured 4 best on the hotline examples (+5 points over 1), 1 best on CLINC150 (+1.7 over 4).
   * Empty, or calibration off: `features.glossWeight` as given.
   */
  glossWeightCandidates: number[];
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  epochs: 15,
  learningRate: 0.5,
  l2: 1e-5,
  seed: 1823,
  calibrationFraction: 0.2,
  minDocumentFrequency: 1,
  features: DEFAULT_FEATURE_OPTIONS,
  glossWeightCandidates: [1, 4],
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

export const SerialisedModelSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(2),
  labels: z.array(z.string()).min(1),
  features: z.array(z.string()),
  idf: z.array(z.number()),
  /** Feature-major int8, base64: weight of feature f for label k is weights[f * labels.length + k] × weightScales[f]. */
  weights: z.string(),
  /** One float32 (little-endian, base64) per feature. */
  weightScales: z.string(),
  bias: z.array(z.number()),
  temperature: z.number().positive(),
  featureOptions: z.object({
    hanNgramMax: z.number().int().min(0),
    latinNgramSizes: z.array(z.number().int().positive()),
    wordBigrams: z.boolean(),
    keywordGroups: z.record(z.string(), z.array(z.string())).optional(),
    keywordWeight: z.number().positive().optional(),
    placeNames: z.array(z.string()).optional(),
    glossWeight: z.number().positive().optional(),
    /** sha256 of the glossary the model was trained with (the glossary itself ships separately). */
    glossaryDigest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  }),
});
export type SerialisedModel = z.infer<typeof SerialisedModelSchema>;

/*
 * Weights are stored as int8 with one float32 scale per feature (symmetric quantisation): a quarter of
 * float32's size for the model shipped in the layer. Training ends by quantising the in-memory weights
 * the same way, so a reloaded model scores exactly like the one that was trained.
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
}

interface Vocabulary {
  index: Map<string, number>;
  idf: Float64Array;
}

/** Keeps models compact as JSON and makes the in-memory model identical to a reloaded one. */
const roundWeight = (value: number): number => Number(value.toPrecision(7));

function countFeatures(features: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const feature of features) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  return counts;
}

function buildVocabulary(documents: Map<string, number>[], minDocumentFrequency: number): Vocabulary {
  const documentFrequency = new Map<string, number>();
  for (const counts of documents) for (const feature of counts.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  // Sorted so the vocabulary (and the weights' layout) does not depend on Map insertion details.
  const kept = [...documentFrequency.entries()].filter(([, df]) => df >= minDocumentFrequency).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  const idf = new Float64Array(kept.length);
  kept.forEach(([feature, df], i) => {
    index.set(feature, i);
    // Smoothed IDF, rounded like the weights so a reloaded model scores identically.
    idf[i] = roundWeight(Math.log((documents.length + 1) / (df + 1)) + 1);
  });
  return { index, idf };
}

/** Sublinear TF × IDF, L2-normalised: long enquiries do not outvote short ones. */
function vectorise(counts: Map<string, number>, vocabulary: Vocabulary, options: FeatureOptions): SparseVector {
  const pairs: [number, number][] = [];
  for (const [feature, count] of counts) {
    const i = vocabulary.index.get(feature);
    if (i === undefined) continue;
    const boost = feature.startsWith('k:') ? (options.keywordWeight ?? 1) : feature.startsWith('g:') ? (options.glossWeight ?? 1) : 1;
    pairs.push([i, (1 + Math.log(count)) * (vocabulary.idf[i] as number) * boost]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(pairs.reduce((sum, [, value]) => sum + value * value, 0)) || 1;
  return { indices: Int32Array.from(pairs, ([i]) => i), values: Float64Array.from(pairs, ([, value]) => value / norm) };
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
  const probabilities = new Float64Array(labelCount);
  const random = seededRandom(options.seed);
  const order = Array.from(vectors.keys());
  let scale = 1;
  let step = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const i of shuffled(order, random)) {
      const x = vectors[i] as SparseVector;
      const rate = options.learningRate / (1 + options.learningRate * options.l2 * step);
      step += 1;
      logitsInto(probabilities, x, weights, bias, scale);
      softmaxInPlace(probabilities);
      probabilities[targets[i] as number] = (probabilities[targets[i] as number] as number) - 1; // now the gradient p - y
      scale *= 1 - rate * options.l2;
      const stepOverScale = rate / scale;
      for (let n = 0; n < x.indices.length; n += 1) {
        const base = (x.indices[n] as number) * labelCount;
        const scaled = (x.values[n] as number) * stepOverScale;
        for (let k = 0; k < labelCount; k += 1) weights[base + k] = (weights[base + k] as number) - scaled * (probabilities[k] as number);
      }
      for (let k = 0; k < labelCount; k += 1) bias[k] = (bias[k] as number) - rate * (probabilities[k] as number);
      if (scale < 1e-9) {
        for (let j = 0; j < weights.length; j += 1) weights[j] = (weights[j] as number) * scale;
        scale = 1;
      }
    }
  }
  for (let j = 0; j < weights.length; j += 1) weights[j] = (weights[j] as number) * scale;
  for (let k = 0; k < labelCount; k += 1) bias[k] = roundWeight(bias[k] as number);
  return { weights: dequantise(quantise(weights, labelCount), labelCount), bias };
}

function meanNegativeLogLikelihood(logits: Float64Array[], targets: number[], temperature: number): number {
  const scaled = new Float64Array(logits[0]?.length ?? 0);
  let total = 0;
  logits.forEach((row, i) => {
    for (let k = 0; k < row.length; k += 1) scaled[k] = (row[k] as number) / temperature;
    softmaxInPlace(scaled);
    total -= Math.log(Math.max(scaled[targets[i] as number] as number, 1e-12));
  });
  return total / Math.max(logits.length, 1);
}

/**
 * Temperature scaling (Guo et al. 2017): one scalar T dividing the logits, chosen to minimise held-out
 * log loss. Golden-section search over log T: the loss is unimodal in T and needs no gradient code.
 */
export function fitTemperature(logits: Float64Array[], targets: number[]): number {
  if (logits.length === 0) return 1;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(0.02);
  let high = Math.log(20);
  let a = high - ratio * (high - low);
  let b = low + ratio * (high - low);
  let lossA = meanNegativeLogLikelihood(logits, targets, Math.exp(a));
  let lossB = meanNegativeLogLikelihood(logits, targets, Math.exp(b));
  for (let iteration = 0; iteration < 40; iteration += 1) {
    if (lossA <= lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = meanNegativeLogLikelihood(logits, targets, Math.exp(a));
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = meanNegativeLogLikelihood(logits, targets, Math.exp(b));
    }
  }
  return roundWeight(Math.exp((low + high) / 2));
}

/** A trained classifier. Build it with `trainClassifier` or `TextClassifier.fromJSON`. */
export class TextClassifier {
  private readonly vocabulary: Vocabulary;

  private constructor(
    readonly labels: readonly string[],
    private readonly featureNames: readonly string[],
    idf: Float64Array,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    readonly temperature: number,
    readonly featureOptions: FeatureOptions,
  ) {
    this.vocabulary = { index: new Map(featureNames.map((name, i) => [name, i])), idf };
  }

  /** @internal used by training: assembles a model from fitted parts. */
  static assemble(parts: {
    labels: string[];
    vocabulary: Vocabulary;
    weights: Float64Array;
    bias: Float64Array;
    temperature: number;
    featureOptions: FeatureOptions;
  }): TextClassifier {
    const names: string[] = new Array<string>(parts.vocabulary.index.size);
    for (const [name, i] of parts.vocabulary.index) names[i] = name;
    return new TextClassifier(parts.labels, names, parts.vocabulary.idf, parts.weights, parts.bias, parts.temperature, parts.featureOptions);
  }

  /**
   * Rebuilds a serialised model. A model trained with a glossary needs that same glossary (checked by
   * digest): with another one its glossary features would silently mean something else.
   */
  static fromJSON(json: unknown, resources: { glossary?: Glossary } = {}): TextClassifier {
    const model = SerialisedModelSchema.parse(json);
    const labelCount = model.labels.length;
    const weights = dequantise(quantisedFromBase64(model.weights, model.weightScales, labelCount), labelCount);
    if (model.idf.length !== model.features.length || weights.length !== model.features.length * labelCount || model.bias.length !== labelCount) {
      throw new Error('serialised classifier has inconsistent array lengths');
    }
    const { glossaryDigest: expectedDigest, ...featureOptions } = model.featureOptions;
    if (expectedDigest !== undefined) {
      if (!resources.glossary) throw new Error('serialised classifier was trained with a glossary; pass the same glossary to load it');
      if (glossaryDigest(resources.glossary) !== expectedDigest) throw new Error('serialised classifier was trained with a different glossary; retrain it');
    }
    return new TextClassifier(
      model.labels,
      model.features,
      Float64Array.from(model.idf),
      weights,
      Float64Array.from(model.bias),
      model.temperature,
      expectedDigest === undefined ? featureOptions : { ...featureOptions, glossary: resources.glossary as Glossary },
    );
  }

  toJSON(): SerialisedModel {
    const { glossary, ...featureOptions } = this.featureOptions;
    return {
      format: MODEL_FORMAT,
      version: 2,
      labels: [...this.labels],
      features: [...this.featureNames],
      idf: Array.from(this.vocabulary.idf),
      ...quantisedToBase64(quantise(this.weights, this.labels.length)),
      bias: Array.from(this.bias),
      temperature: this.temperature,
      featureOptions: glossary ? { ...featureOptions, glossaryDigest: glossaryDigest(glossary) } : featureOptions,
    };
  }

  /** Uncalibrated scores; used to fit the temperature. */
  logits(text: string): Float64Array {
    const x = vectorise(countFeatures(extractFeatures(normaliseEnquiryText(text), this.featureOptions)), this.vocabulary, this.featureOptions);
    const out = new Float64Array(this.labels.length);
    logitsInto(out, x, this.weights, this.bias);
    return out;
  }

  /** The features of `text` that pushed most towards `label`, strongest first (for rationales). */
  evidence(text: string, label: string, limit = 4): string[] {
    const k = this.labels.indexOf(label);
    if (k < 0) return [];
    const x = vectorise(countFeatures(extractFeatures(normaliseEnquiryText(text), this.featureOptions)), this.vocabulary, this.featureOptions);
    const contributions = Array.from(x.indices, (f, n) => ({ name: this.featureNames[f] as string, weight: (x.values[n] as number) * (this.weights[f * this.labels.length + k] as number) }));
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
    const scores = this.logits(text);
    for (let k = 0; k < scores.length; k += 1) scores[k] = (scores[k] as number) / this.temperature;
    softmaxInPlace(scores);
    return scores;
  }

  predict(text: string, options: { reject?: RejectOptions; topK?: number } = {}): Prediction {
    const probabilities = this.probabilities(text);
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
  counts: Map<string, number>[];
  targets: Int32Array;
}

function prepare(examples: readonly LabelledText[], labels: string[], featureOptions: FeatureOptions): PreparedSet {
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  return {
    labels,
    counts: examples.map((example) => countFeatures(extractFeatures(normaliseEnquiryText(example.text), featureOptions))),
    targets: Int32Array.from(examples, (example) => labelIndex.get(example.label) as number),
  };
}

function fitOnPrepared(prepared: PreparedSet, options: TrainingOptions, temperature: number): TextClassifier {
  const vocabulary = buildVocabulary(prepared.counts, options.minDocumentFrequency);
  const vectors = prepared.counts.map((counts) => vectorise(counts, vocabulary, options.features));
  const { weights, bias } = fitWeights(vectors, prepared.targets, vocabulary.index.size, prepared.labels.length, options);
  return TextClassifier.assemble({ labels: prepared.labels, vocabulary, weights, bias, temperature, featureOptions: options.features });
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
 * Trains on any labelled set. With calibration on, a stratified fold is held out, a model trained on
 * the rest sets the temperature, and the final model is trained on everything with that temperature.
 */
export function trainClassifier(examples: readonly LabelledText[], options: Partial<TrainingOptions> = {}): TextClassifier {
  checkExamples(examples);
  const settings: TrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  // Labels in first-seen order: deterministic, and the trained model lists them the way the data does.
  const labels = [...new Set(examples.map((example) => example.label))];
  let features = settings.features;
  let temperature = 1;
  if (settings.calibrationFraction > 0 && labels.length > 1) {
    const { train, holdout } = stratifiedSplit(examples, settings.calibrationFraction, settings.seed);
    if (holdout.length > 0 && train.length > 0) {
      ({ features, temperature } = calibrate(settings, prepare(train, labels, settings.features), holdout));
    }
  }
  return fitOnPrepared(prepare(examples, labels, features), { ...settings, features }, temperature);
}

/** Fits a provisional model per candidate stem weight on the training fold; keeps the best on the calibration fold. */
function calibrate(settings: TrainingOptions, train: PreparedSet, holdout: readonly LabelledText[]): { features: FeatureOptions; temperature: number } {
  const labelIndex = new Map(train.labels.map((label, i) => [label, i]));
  const targets = holdout.map((example) => labelIndex.get(example.label) as number);
  const candidates = settings.glossWeightCandidates.length > 0 ? settings.glossWeightCandidates : [settings.features.glossWeight ?? 1];
  let best: { features: FeatureOptions; temperature: number; correct: number; loss: number } | undefined;
  for (const glossWeight of candidates) {
    const features = { ...settings.features, glossWeight };
    const provisional = fitOnPrepared(train, { ...settings, features }, 1);
    const logits = holdout.map((example) => provisional.logits(example.text));
    const temperature = fitTemperature(logits, targets);
    const correct = logits.filter((row, i) => argmax(row) === targets[i]).length;
    const loss = meanNegativeLogLikelihood(logits, targets, temperature);
    if (!best || correct > best.correct || (correct === best.correct && loss < best.loss)) best = { features, temperature, correct, loss };
  }
  return best as { features: FeatureOptions; temperature: number };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k += 1) if ((values[k] as number) > (values[best] as number)) best = k;
  return best;
}
