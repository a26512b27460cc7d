import { featuresOf, normaliseForClassification } from './text-features.ts';
import { fitTemperature, scores, seededRandom, softmaxInPlace, trainSoftmax, type SoftmaxModel, type SparseVector, type TrainingOptions } from './softmax-regression.ts';

export interface LabelledText {
  text: string;
  label: string;
}

export interface Prediction {
  label: string;
  /** Calibrated probability of `label`. */
  confidence: number;
  /** The next most likely labels, for rationale and review. */
  alternatives: { label: string; probability: number }[];
  /** Features that pushed most towards `label` (from redacted text, so safe to show). */
  evidence: string[];
}

export interface TrainedClassifier {
  labels: string[];
  predict(text: string): Prediction;
}

export interface ClassifierOptions extends TrainingOptions {
  /** Share of each label held out to fit the temperature (default 0.15). */
  calibrationShare?: number;
}

class Vocabulary {
  private readonly index = new Map<string, number>();
  private readonly names: string[] = [];

  /** Registers the features (training) and returns the sparse vector. */
  vectorise(features: string[], grow: boolean): SparseVector {
    const counts = new Map<number, number>();
    for (const feature of features) {
      let i = this.index.get(feature);
      if (i === undefined) {
        if (!grow) continue;
        i = this.names.length;
        this.index.set(feature, i);
        this.names.push(feature);
      }
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    // Sublinear term frequency, then unit length: long enquiries do not drown short ones.
    const indices = Int32Array.from(counts.keys());
    const values = Float32Array.from(counts.values(), (c) => 1 + Math.log(c));
    const norm = Math.hypot(...values) || 1;
    for (let i = 0; i < values.length; i += 1) values[i]! /= norm;
    return { indices, values };
  }

  get size(): number {
    return this.names.length;
  }

  name(i: number): string {
    return this.names[i]!;
  }
}

/** Deterministic stratified split: every `1/share`-th example of each label goes to the second part. */
function stratifiedSplit<T extends { label: number }>(examples: T[], share: number, seed: number): [T[], T[]] {
  const random = seededRandom(seed);
  const kept: T[] = [];
  const held: T[] = [];
  for (const example of examples) (random() < share ? held : kept).push(example);
  return [kept, held];
}

/**
 * Trains the local topic classifier on any labelled set. Deterministic for the same data and options.
 */
export function trainClassifier(data: LabelledText[], options: ClassifierOptions = {}): TrainedClassifier {
  if (data.length === 0) throw new Error('cannot train a classifier on no examples');
  const labels = [...new Set(data.map((d) => d.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const vocabulary = new Vocabulary();
  const examples = data.map((d) => ({
    x: vocabulary.vectorise(featuresOf(normaliseForClassification(d.text)), true),
    label: labelIndex.get(d.label)!,
  }));

  const [fitPart, calibrationPart] = stratifiedSplit(examples, options.calibrationShare ?? 0.15, (options.seed ?? 1823) + 1);
  const temperature =
    calibrationPart.length >= labels.length ? fitTemperature(trainSoftmax(fitPart, labels, vocabulary.size, options), calibrationPart) : 1;
  const model: SoftmaxModel = { ...trainSoftmax(examples, labels, vocabulary.size, options), temperature };

  const probabilities = new Float64Array(labels.length);
  return {
    labels,
    predict(text: string): Prediction {
      const x = vocabulary.vectorise(featuresOf(normaliseForClassification(text)), false);
      scores(model, x, probabilities);
      softmaxInPlace(probabilities, model.temperature);
      const ranked = [...probabilities].map((p, i) => ({ label: labels[i]!, probability: p })).sort((a, b) => b.probability - a.probability);
      const best = ranked[0]!;
      const bestIndex = labelIndex.get(best.label)!;
      const evidence = [...x.indices]
        .map((feature, n) => ({ feature, weight: model.weights[feature * labels.length + bestIndex]! * x.values[n]! }))
        .filter((f) => f.weight > 0)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, 4)
        .map((f) => vocabulary.name(f.feature).replace(/^\w+:/, ''))
        .filter((name, i, all) => all.indexOf(name) === i);
      return { label: best.label, confidence: best.probability, alternatives: ranked.slice(1, 3), evidence };
    },
  };
}
