import * as z from 'zod/mini';
import { parseJsonlOrThrow } from '../validation.ts';
import { LANGUAGES, type Language } from '../../vocabulary/languages.ts';
import { trainClassifier, type ClassifierOptions, type LabelledText, type TrainedClassifier } from './classifier.ts';
import type { TopicResult } from './topic-result.ts';

/*
 * Evaluation of the local classifier on any labelled set (behind `npm run assist -- eval`): train on one
 * set, predict the other, report quality and speed. With an out-of-scope label, low-confidence predictions
 * are rejected to that label and the in-scope / out-of-scope figures of intent benchmarks are reported.
 */

const LabelledLineSchema = z.object({ text: z.string().check(z.minLength(1)), label: z.string().check(z.minLength(1)) });

/** Parses `{"text": ..., "label": ...}` lines (extra fields ignored, blank lines skipped); errors name the line. */
export function parseLabelledJsonl(jsonl: string, source = 'input'): LabelledText[] {
  return parseJsonlOrThrow(LabelledLineSchema, jsonl, source).map(({ text, label }) => ({ text, label }));
}

const RoutingLineSchema = z.object({
  text: z.string().check(z.minLength(1)),
  label: z.string().check(z.minLength(1)),
  department: z.optional(z.string().check(z.minLength(1))),
  language: z.optional(z.enum(LANGUAGES)),
  caseType: z.optional(z.string().check(z.minLength(1))),
});

/** Parses labelled enquiry lines (`department`, `language`, `caseType` optional); errors name the line. */
export function parseRoutingJsonl(jsonl: string, source = 'input'): RoutingExample[] {
  return parseJsonlOrThrow(RoutingLineSchema, jsonl, source).map(({ department, language, caseType, ...rest }) => ({
    ...rest,
    ...(department ? { department } : {}),
    ...(language ? { language } : {}),
    ...(caseType ? { caseType } : {}),
  }));
}

export interface EvaluationOptions {
  /** Label of out-of-scope examples; predictions under `rejectBelow` become this label. */
  oosLabel?: string;
  /** Calibrated confidence under which a prediction is rejected as out of scope (with `oosLabel`; default 0.25). */
  rejectBelow?: number;
  training?: ClassifierOptions;
  /** Clock for timings (injectable for tests). */
  now?: () => number;
}

export interface EvaluationReport {
  trainExamples: number;
  testExamples: number;
  labels: number;
  accuracy: number;
  macroF1: number;
  /** Accuracy over test examples whose gold label is not the oos label. */
  inScopeAccuracy?: number;
  oosRecall?: number;
  oosPrecision?: number;
  trainingMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Does the confidence tell the truth: calibration error, accuracy by band, what the accept threshold gives. */
  calibration: CalibrationFigures;
}

/** One prediction for calibration figures: its confidence and whether it was right. */
export interface ScoredPrediction {
  confidence: number;
  correct: boolean;
}

export interface ConfidenceBand {
  from: number;
  to: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface CalibrationFigures {
  /** Expected calibration error over 15 equal-width bins (Guo et al. 2017). */
  ece: number;
  bands: ConfidenceBand[];
  acceptThreshold: number;
  /** Share of all predictions at or above the threshold (answered without a second opinion). */
  coverage: number;
  /** Accuracy of those. */
  acceptedAccuracy: number;
  /** Wrong and at or above the threshold, as a share of ALL predictions. */
  confidentWrong: number;
}

export const ECE_BINS = 15;

/** Calibration figures of scored predictions against an accept threshold. */
export function calibrationFigures(predictions: readonly ScoredPrediction[], acceptThreshold: number): CalibrationFigures {
  const bins = Array.from({ length: ECE_BINS }, () => ({ count: 0, confidence: 0, correct: 0 }));
  for (const p of predictions) {
    const bin = bins[Math.min(ECE_BINS - 1, Math.floor(p.confidence * ECE_BINS))] as { count: number; confidence: number; correct: number };
    bin.count += 1;
    bin.confidence += p.confidence;
    bin.correct += p.correct ? 1 : 0;
  }
  const n = predictions.length;
  const ece = bins.reduce((sum, bin) => sum + (bin.count === 0 ? 0 : Math.abs(bin.confidence - bin.correct) / Math.max(n, 1)), 0);
  const accepted = predictions.filter((p) => p.confidence >= acceptThreshold);
  // Reported in five readable bands (the ECE uses the 15 bins).
  const edges = [0, 0.5, 0.7, 0.8, 0.9, 1.000001];
  const bands = edges.slice(0, -1).map((from, i) => {
    const to = edges[i + 1] as number;
    const inBand = predictions.filter((p) => p.confidence >= from && p.confidence < to);
    return {
      from,
      to: Math.min(to, 1),
      count: inBand.length,
      meanConfidence: ratio(inBand.reduce((sum, p) => sum + p.confidence, 0), inBand.length),
      accuracy: ratio(inBand.filter((p) => p.correct).length, inBand.length),
    };
  });
  return {
    ece,
    bands,
    acceptThreshold,
    coverage: ratio(accepted.length, n),
    acceptedAccuracy: ratio(accepted.filter((p) => p.correct).length, accepted.length),
    confidentWrong: ratio(accepted.filter((p) => !p.correct).length, n),
  };
}

/** Calibration figures as lines for a terminal. */
export function formatCalibration(figures: CalibrationFigures, what = 'answers'): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `calibration: ECE ${figures.ece.toFixed(3)} (${ECE_BINS} bins)`,
    ...figures.bands.map((b) => `  confidence ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${String(b.count).padStart(5)} ${what}, mean confidence ${b.meanConfidence.toFixed(2)}, accuracy ${pct(b.accuracy)}`),
    `accept at ≥ ${figures.acceptThreshold.toFixed(3)}: coverage ${pct(figures.coverage)}, accuracy of accepted ${pct(figures.acceptedAccuracy)}, confident-wrong ${pct(figures.confidentWrong)} of all`,
  ];
}

export const DEFAULT_EVAL_REJECT_BELOW = 0.25;

/** Nearest-rank percentile of an unsorted sample. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** Macro-averaged F1 over every label seen in gold or predictions (as scikit-learn does). */
export function macroF1(gold: string[], predicted: string[]): number {
  const labels = [...new Set([...gold, ...predicted])];
  if (labels.length === 0) return 0;
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (p === label && g === label) tp += 1;
      else if (p === label) fp += 1;
      else if (g === label) fn += 1;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((sum, f1) => sum + f1, 0) / labels.length;
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

export function evaluateClassifier(train: LabelledText[], test: LabelledText[], options: EvaluationOptions = {}): EvaluationReport {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const model = trainClassifier(train, options.training);
  const trainingMs = now() - started;
  return { trainExamples: train.length, trainingMs, ...scoreClassifier(model, test, options) };
}

/**
 * The test half of `evaluateClassifier` for a model trained elsewhere (the bench times training itself):
 * with an out-of-scope label, a prediction under `rejectBelow` counts as that label.
 */
export function scoreClassifier(
  model: Pick<TrainedClassifier, 'labels' | 'predict' | 'acceptThreshold'>,
  test: LabelledText[],
  options: Omit<EvaluationOptions, 'training'> = {},
): Omit<EvaluationReport, 'trainExamples' | 'trainingMs'> {
  const now = options.now ?? (() => performance.now());
  const rejectBelow = options.rejectBelow ?? DEFAULT_EVAL_REJECT_BELOW;
  const latencies: number[] = [];
  const scored: ScoredPrediction[] = [];
  const predicted = test.map((example) => {
    const before = now();
    const prediction = model.predict(example.text);
    latencies.push(now() - before);
    scored.push({ confidence: prediction.confidence, correct: prediction.label === example.label });
    return options.oosLabel !== undefined && prediction.confidence < rejectBelow ? options.oosLabel : prediction.label;
  });
  const gold = test.map((example) => example.label);
  const correct = gold.filter((label, i) => predicted[i] === label).length;

  const report = {
    testExamples: test.length,
    labels: model.labels.length,
    accuracy: ratio(correct, test.length),
    macroF1: macroF1(gold, predicted),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    calibration: calibrationFigures(scored, model.acceptThreshold),
  };
  if (options.oosLabel === undefined) return report;

  const oos = options.oosLabel;
  const inScope = gold.map((label, i) => ({ label, predicted: predicted[i] })).filter((pair) => pair.label !== oos);
  const oosGold = gold.filter((label) => label === oos).length;
  const oosPredicted = predicted.filter((label) => label === oos).length;
  const oosHits = gold.filter((label, i) => label === oos && predicted[i] === oos).length;
  return {
    ...report,
    inScopeAccuracy: ratio(inScope.filter((pair) => pair.predicted === pair.label).length, inScope.length),
    oosRecall: ratio(oosHits, oosGold),
    oosPrecision: ratio(oosHits, oosPredicted),
  };
}

/** A labelled enquiry for routing evaluation: topic, and the department a knowledgeable agent would choose. */
export interface RoutingExample {
  text: string;
  label: string;
  department?: string;
  language?: Language;
  caseType?: string;
}

export interface RoutingReport {
  examples: number;
  topicAccuracy: number;
  /** Scored by department, as routing is (a wrong topic in the right department still reaches the right people). */
  departmentAccuracy: number;
  caseTypeAccuracy: number | null;
  /** Confidence against topic correctness (the draft depends on the topic). */
  calibration: CalibrationFigures;
  /** Accepted (at or above the threshold) yet routed to the wrong department, as a share of all. */
  departmentConfidentWrong: number;
  misses: { label: string; predicted: string; department: string; predictedDepartment: string; confidence: number; accepted: boolean }[];
}

/** Routing quality of a topic classifier on labelled enquiries it did not train on. */
export function evaluateRouting(
  classify: (text: string, language?: Language) => Pick<TopicResult, 'topic' | 'department' | 'confidence' | 'caseType' | 'accepted'>,
  examples: readonly RoutingExample[],
  departmentOf: (topic: string) => string,
  acceptThreshold: number,
): RoutingReport {
  const results = examples.map((example) => ({ example, result: classify(example.text, example.language) }));
  const goldDepartment = (example: RoutingExample) => example.department ?? departmentOf(example.label);
  const withCase = results.filter(({ example }) => example.caseType !== undefined);
  return {
    examples: examples.length,
    topicAccuracy: ratio(results.filter(({ example, result }) => result.topic === example.label).length, results.length),
    departmentAccuracy: ratio(results.filter(({ example, result }) => result.department === goldDepartment(example)).length, results.length),
    caseTypeAccuracy: withCase.length ? ratio(withCase.filter(({ example, result }) => result.caseType === example.caseType).length, withCase.length) : null,
    calibration: calibrationFigures(
      results.map(({ example, result }) => ({ confidence: result.confidence, correct: result.topic === example.label })),
      acceptThreshold,
    ),
    departmentConfidentWrong: ratio(results.filter(({ example, result }) => result.accepted && result.department !== goldDepartment(example)).length, results.length),
    misses: results
      .filter(({ example, result }) => result.topic !== example.label)
      .map(({ example, result }) => ({
        label: example.label,
        predicted: result.topic,
        department: goldDepartment(example),
        predictedDepartment: result.department,
        confidence: result.confidence,
        accepted: result.accepted,
      })),
  };
}
