import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { fieldProblems } from '../validation.ts';
import { trainClassifier, type ClassifierOptions, type LabelledText } from './classifier.ts';

/*
 * Evaluation of the local classifier on any labelled set (behind `npm run assist -- eval`): train on one
 * set, predict the other, report quality and speed. With an out-of-scope label, low-confidence predictions
 * are rejected to that label and the in-scope / out-of-scope figures of intent benchmarks are reported.
 */

const LabelledLineSchema = z.object({ text: z.string().min(1), label: z.string().min(1) });

/** Parses `{"text": ..., "label": ...}` lines (extra fields ignored, blank lines skipped); errors name the line. */
export function parseLabelledJsonl(jsonl: string, source = 'input'): LabelledText[] {
  const examples: LabelledText[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ValidationError([{ field: `${source}:${i + 1}`, problem: 'is not valid JSON' }]);
    }
    const parsed = LabelledLineSchema.safeParse(value);
    if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error).map((p) => ({ field: `${source}:${i + 1}.${p.field}`, problem: p.problem })));
    examples.push({ text: parsed.data.text, label: parsed.data.label });
  });
  return examples;
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

  const rejectBelow = options.rejectBelow ?? DEFAULT_EVAL_REJECT_BELOW;
  const latencies: number[] = [];
  const predicted = test.map((example) => {
    const before = now();
    const prediction = model.predict(example.text);
    latencies.push(now() - before);
    return options.oosLabel !== undefined && prediction.confidence < rejectBelow ? options.oosLabel : prediction.label;
  });
  const gold = test.map((example) => example.label);
  const correct = gold.filter((label, i) => predicted[i] === label).length;

  const report: EvaluationReport = {
    trainExamples: train.length,
    testExamples: test.length,
    labels: model.labels.length,
    accuracy: ratio(correct, test.length),
    macroF1: macroF1(gold, predicted),
    trainingMs,
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
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
