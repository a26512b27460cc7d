import { normaliseEnquiryText } from './normalise.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import type { Glossary } from './glossary.ts';
import { TextClassifier, trainClassifierWithSummary, type CalibrationSummary, type ModelArrays, type SerialisedModel, type TrainingOptions } from './text-classifier.ts';

/*
 * The classifier API the rest of the app uses (local topic model, bench, evaluation). The model itself
 * is text-classifier.ts: TF-IDF n-grams + softmax regression, temperature-calibrated, deterministic.
 */

export interface LabelledText {
  text: string;
  label: string;
  /** Writer or batch: calibration folds keep a group together (see text-classifier.ts). */
  group?: string;
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
  /** Calibrated probability of every label, in `labels` order. */
  probabilities(text: string): Float64Array;
  /** Top features of `text` towards `label` (for rationales). */
  evidence(text: string, label: string): string[];
  /** Calibrated confidence at or above which an answer is accepted (chosen on out-of-fold predictions). */
  acceptThreshold: number;
  /** How calibration went at training time (absent on a loaded model). */
  calibration?: CalibrationSummary;
  /** The model as JSON (weights included); `loadClassifier` restores it exactly. */
  toJSON(): SerialisedModel;
}

export interface ClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Calibration on (> 0) or off (0); default on. */
  calibrationShare?: number;
  /** Out-of-fold calibration folds (default 4; grouped by `group` when the examples have enough groups). */
  calibrationFolds?: number;
  /** Error budget the accept threshold is chosen for: accepted-and-wrong share of all (default 0.02). */
  confidentWrongTarget?: number;
  /** Stem weights tried on the first calibration fold (default [1, 4]). */
  glossWeightCandidates?: number[];
  /**
   * Optional lexicon (group → terms in any language/script), e.g. the taxonomy's topic keywords: each
   * group becomes one cross-language feature whose weight is learned from the examples.
   */
  keywordGroups?: Record<string, string[]>;
  /** Chinese → English glossary bridging the two languages (see glossary.ts); general, not hotline-specific. */
  glossary?: Glossary;
  /** Place names in any language/script, masked before feature extraction (see places.ts). */
  placeNames?: string[];
  /** Features seen in fewer training texts are dropped (default 1: keep all). */
  minDocumentFrequency?: number;
}

function engineOptions(options: ClassifierOptions): Partial<TrainingOptions> {
  const { epochs, learningRate, l2, seed, calibrationShare, calibrationFolds, confidentWrongTarget, glossWeightCandidates, keywordGroups, glossary, minDocumentFrequency, placeNames } = options;
  return {
    ...(calibrationFolds === undefined ? {} : { calibrationFolds }),
    ...(confidentWrongTarget === undefined ? {} : { confidentWrongTarget }),
    ...(glossWeightCandidates === undefined ? {} : { glossWeightCandidates }),
    ...(epochs === undefined ? {} : { epochs }),
    ...(learningRate === undefined ? {} : { learningRate }),
    ...(l2 === undefined ? {} : { l2 }),
    ...(seed === undefined ? {} : { seed }),
    ...(calibrationShare === undefined ? {} : { calibrationFraction: calibrationShare }),
    ...(minDocumentFrequency === undefined ? {} : { minDocumentFrequency }),
    features: {
      ...DEFAULT_FEATURE_OPTIONS,
      ...(keywordGroups
        ? {
            // Normalised like the text they are matched against, so script and case do not matter.
            keywordGroups: Object.fromEntries(Object.entries(keywordGroups).map(([group, terms]) => [group, terms.map(normaliseEnquiryText).filter(Boolean)])),
          }
        : {}),
      ...(glossary ? { glossary } : {}),
      // Normalised like the text, sorted and deduplicated so the model (and its digest) is stable.
      ...(placeNames ? { placeNames: [...new Set(placeNames.map(normaliseEnquiryText).filter(Boolean))].sort() } : {}),
    },
  };
}

function wrap(model: TextClassifier, calibration?: CalibrationSummary): TrainedClassifier {
  return {
    labels: [...model.labels],
    probabilities: (text) => model.probabilities(text),
    evidence: (text, label) => model.evidence(text, label),
    acceptThreshold: model.acceptThreshold,
    ...(calibration ? { calibration } : {}),
    predict(text: string): Prediction {
      const { label, confidence, ranking } = model.predict(text, { topK: 3 });
      return {
        label,
        confidence,
        alternatives: ranking.slice(1).map(({ label: other, probability }) => ({ label: other, probability })),
        evidence: model.evidence(text, label),
      };
    },
    toJSON: () => model.toJSON(),
  };
}

/** Trains on any labelled set. Deterministic for the same data and options. */
export function trainClassifier(data: LabelledText[], options: ClassifierOptions = {}): TrainedClassifier {
  const { model, calibration } = trainClassifierWithSummary(data, engineOptions(options));
  return wrap(model, calibration);
}

/** Restores a model saved with `toJSON`; a model trained with a glossary needs the same glossary. */
export function loadClassifier(json: unknown, resources: { glossary?: Glossary } = {}): TrainedClassifier {
  return wrap(TextClassifier.fromJSON(json, resources));
}

/** Restores a model from its header and typed arrays (the binary model file); same checks as `loadClassifier`. */
export function loadClassifierFromArrays(header: unknown, arrays: ModelArrays, resources: { glossary?: Glossary } = {}): TrainedClassifier {
  return wrap(TextClassifier.fromArrays(header, arrays, resources));
}
