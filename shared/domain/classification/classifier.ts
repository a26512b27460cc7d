import { normaliseEnquiryText } from './normalise.ts';
import { DEFAULT_FEATURE_OPTIONS } from './features.ts';
import { trainClassifier as trainTextClassifier, type TrainingOptions } from './text-classifier.ts';

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
}

function engineOptions(options: ClassifierOptions): Partial<TrainingOptions> {
  const { epochs, learningRate, l2, seed, calibrationShare, keywordGroups } = options;
  return {
    ...(epochs === undefined ? {} : { epochs }),
    ...(learningRate === undefined ? {} : { learningRate }),
    ...(l2 === undefined ? {} : { l2 }),
    ...(seed === undefined ? {} : { seed }),
    ...(calibrationShare === undefined ? {} : { calibrationFraction: calibrationShare }),
    ...(keywordGroups
      ? {
          features: {
            ...DEFAULT_FEATURE_OPTIONS,
            // Normalised like the text they are matched against, so script and case do not matter.
            keywordGroups: Object.fromEntries(Object.entries(keywordGroups).map(([group, terms]) => [group, terms.map(normaliseEnquiryText).filter(Boolean)])),
          },
        }
      : {}),
  };
}

/** Trains on any labelled set. Deterministic for the same data and options. */
export function trainClassifier(data: LabelledText[], options: ClassifierOptions = {}): TrainedClassifier {
  const model = trainTextClassifier(data, engineOptions(options));
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
  };
}
