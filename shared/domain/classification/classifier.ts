import { normaliseEnquiryText } from './normalise.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import type { Glossary } from './glossary.ts';
import { TextClassifier, trainClassifier as trainTextClassifier, type SerialisedModel, type TrainingOptions } from './text-classifier.ts';

/*
 * The classifier API the rest of the app uses (local topic model, bench, evaluation). The model itself
 * is text-classifier.ts: TF-IDF n-grams + softmax regression, temperature-calibrated, deterministic.
 */

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
  /** The model as JSON (weights included); `loadClassifier` restores it exactly. */
  toJSON(): SerialisedModel;
}

export interface ClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /** Share of each label held out to fit the temperature (default 0.2). */
  calibrationShare?: number;
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
  const { epochs, learningRate, l2, seed, calibrationShare, keywordGroups, glossary, minDocumentFrequency, placeNames } = options;
  return {
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

function wrap(model: TextClassifier): TrainedClassifier {
  return {
    labels: [...model.labels],
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
  return wrap(trainTextClassifier(data, engineOptions(options)));
}

/** Restores a model saved with `toJSON`; a model trained with a glossary needs the same glossary. */
export function loadClassifier(json: unknown, resources: { glossary?: Glossary } = {}): TrainedClassifier {
  return wrap(TextClassifier.fromJSON(json, resources));
}
