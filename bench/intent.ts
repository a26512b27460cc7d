/**
 * The local classifier against the classic baseline (bench/intent-baseline.ts: TF-IDF word 1–2 + char_wb
 * 2–5, one-vs-rest linear SVM, LIBLINEAR dual CD, C=1) on the same split, in the same run: accuracy
 * (in-scope accuracy when the set has an out-of-scope label), training wall and CPU time of each, and the
 * ratios. Sets: each `--data TRAIN.jsonl,TEST.jsonl` (repeatable), or without it the bundled taxonomy
 * examples (80/20 per label). A set whose training data has the label `oos` (or `--oos-label`) is scored as
 * CLINC150 is, both models by the same rule: the predicted label, `oos` a class like the others. Our
 * model's low-confidence rejection (`assist eval`'s rule, confidence < 0.25 → out of scope) is reported
 * beside it (in-scope accuracy and out-of-scope recall with the rule): the baseline has no such rule, so
 * counting it in the comparison would hold the two to different rules.
 */
import { loadavg } from 'node:os';
import { KNOWLEDGE_DIR } from '../local/paths.ts';
import { loadTaxonomyAndExamples } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { trainClassifier, type ClassifierOptions } from '../shared/domain/classification/classifier.ts';
import { DEFAULT_EVAL_REJECT_BELOW, scoreClassifier } from '../shared/domain/classification/evaluate.ts';
import { productionTraining, readJsonl, stratifiedSplit, type Labelled } from './classifier.ts';
import { trainIntentBaseline } from './intent-baseline.ts';
import { round, type BenchOptions, type Scale, type Table } from './lib.ts';

export interface IntentRun {
  set: string;
  trainExamples: number;
  testExamples: number;
  labels: number;
  oosLabel: string | null;
  /** Accuracy over all test examples, and over in-scope ones (= accuracy without an oos label). */
  baseline: { accuracy: number; inScopeAccuracy: number; trainMs: number; trainCpuMs: number; features: number; svmIterations: number };
  ours: { accuracy: number; inScopeAccuracy: number; trainMs: number; trainCpuMs: number; withRejection?: { inScopeAccuracy: number; oosRecall: number; oosPrecision: number } };
  /** ours − baseline (in-scope accuracy). */
  accuracyDelta: number;
  /** ours / baseline training time (wall, CPU). */
  trainRatio: number;
  trainCpuRatio: number;
  /** 1-minute load average before the set ran (training time on a loaded machine is not comparable across runs). */
  loadAverage: number;
}

export interface IntentData {
  runs: IntentRun[];
}

/** Wall and CPU (user + system, this process) milliseconds of `work`. */
function timeTraining<T>(work: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: (used.user + used.system) / 1000 };
}

const TINY = { trainPerLabel: 4, test: 40, labels: 6 };

/** A few labels and examples, for the smoke test. */
function shrink(train: Labelled[], test: Labelled[], scale: Scale): { train: Labelled[]; test: Labelled[] } {
  if (scale !== 'tiny') return { train, test };
  const keep = new Set([...new Set(train.map((e) => e.label))].slice(0, TINY.labels));
  const taken = new Map<string, number>();
  const small = train.filter((e) => {
    if (!keep.has(e.label)) return false;
    const n = taken.get(e.label) ?? 0;
    taken.set(e.label, n + 1);
    return n < TINY.trainPerLabel;
  });
  return { train: small, test: test.filter((e) => keep.has(e.label)).slice(0, TINY.test) };
}

export function measureIntent(set: string, fullTrain: Labelled[], fullTest: Labelled[], scale: Scale, training: ClassifierOptions, oosOption?: string): IntentRun {
  const { train, test } = shrink(fullTrain, fullTest, scale);
  const oosLabel = oosOption ?? (train.some((e) => e.label === 'oos') ? 'oos' : undefined);
  const inScope = test.filter((e) => e.label !== oosLabel);
  const share = (hits: number, of: number) => round(of ? hits / of : 0, 4);
  const loadAverage = round((loadavg()[0] ?? 0), 2);

  const baselineFit = timeTraining(() => trainIntentBaseline(train));
  const baselinePredicted = test.map((e) => baselineFit.value.predict(e.text));
  const baselineCorrect = test.filter((e, i) => baselinePredicted[i] === e.label).length;
  const baselineInScope = test.filter((e, i) => e.label !== oosLabel && baselinePredicted[i] === e.label).length;

  const oursFit = timeTraining(() => trainClassifier(train, training));
  // The comparison: predicted label, as the baseline (rejectBelow 0). Then `assist eval`'s rejection rule.
  const report = scoreClassifier(oursFit.value, test, oosLabel ? { oosLabel, rejectBelow: 0 } : {});
  const rejecting = oosLabel ? scoreClassifier(oursFit.value, test, { oosLabel, rejectBelow: DEFAULT_EVAL_REJECT_BELOW }) : undefined;

  const baseline = {
    accuracy: share(baselineCorrect, test.length),
    inScopeAccuracy: share(baselineInScope, inScope.length),
    trainMs: round(baselineFit.ms, 0),
    trainCpuMs: round(baselineFit.cpuMs, 0),
    features: baselineFit.value.features,
    svmIterations: baselineFit.value.maxIterationsUsed,
  };
  const ours = {
    accuracy: round(report.accuracy, 4),
    inScopeAccuracy: round(report.inScopeAccuracy ?? report.accuracy, 4),
    trainMs: round(oursFit.ms, 0),
    trainCpuMs: round(oursFit.cpuMs, 0),
    ...(rejecting
      ? { withRejection: { inScopeAccuracy: round(rejecting.inScopeAccuracy ?? 0, 4), oosRecall: round(rejecting.oosRecall ?? 0, 4), oosPrecision: round(rejecting.oosPrecision ?? 0, 4) } }
      : {}),
  };
  return {
    set,
    trainExamples: train.length,
    testExamples: test.length,
    labels: report.labels,
    oosLabel: oosLabel ?? null,
    baseline,
    ours,
    accuracyDelta: round(ours.inScopeAccuracy - baseline.inScopeAccuracy, 4),
    trainRatio: round(ours.trainMs / Math.max(baseline.trainMs, 1), 2),
    trainCpuRatio: round(ours.trainCpuMs / Math.max(baseline.trainCpuMs, 1), 2),
    loadAverage,
  };
}

export async function benchIntent(options: BenchOptions): Promise<{ tables: Table[]; data: IntentData }> {
  const runs: IntentRun[] = [];
  const knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  const sets = options.data ?? [];
  if (sets.length === 0) {
    // Production training (taxonomy keywords, places, glossary) on the hotline's own examples.
    const split = stratifiedSplit(knowledge.examples);
    runs.push(measureIntent('bundled taxonomy (80/20)', split.train, split.test, options.scale, productionTraining(knowledge)));
  }
  for (const { train, test } of sets) {
    // As `npm run assist -- eval` trains any set: the glossary only.
    runs.push(measureIntent(train.split('/').at(-1) ?? train, readJsonl(train), readJsonl(test), options.scale, { glossary: knowledge.glossary }, options.oosLabel));
  }
  return { tables: [intentTable(runs)], data: { runs } };
}

function intentTable(runs: IntentRun[]): Table {
  const pct = (x: number) => (x * 100).toFixed(2);
  const s = (ms: number) => (ms / 1000).toFixed(1);
  return {
    title: 'Local classifier vs TF-IDF + linear SVM baseline (same split, same run)',
    columns: ['set', 'train / test', 'labels', 'baseline acc %', 'ours acc %', 'Δ points', 'ours with rejection: in-scope % / oos recall %', 'baseline train s (CPU)', 'ours train s (CPU)', 'time × (wall / CPU)', 'load'],
    rows: runs.map((r) => [
      r.set + (r.oosLabel ? ` (in-scope; oos = "${r.oosLabel}")` : ''),
      `${r.trainExamples} / ${r.testExamples}`,
      r.labels,
      pct(r.baseline.inScopeAccuracy),
      pct(r.ours.inScopeAccuracy),
      (r.accuracyDelta * 100).toFixed(1),
      r.ours.withRejection ? `${pct(r.ours.withRejection.inScopeAccuracy)} / ${pct(r.ours.withRejection.oosRecall)}` : '–',
      `${s(r.baseline.trainMs)} (${s(r.baseline.trainCpuMs)})`,
      `${s(r.ours.trainMs)} (${s(r.ours.trainCpuMs)})`,
      `${r.trainRatio}× / ${r.trainCpuRatio}×`,
      r.loadAverage,
    ]),
    notes: [
      'baseline: bench/intent-baseline.ts (scikit-learn TfidfVectorizer word 1–2 + char_wb 2–5, sublinear tf, l2, union → LinearSVC C=1, LIBLINEAR dual CD, tol 1e-4); ours: trainClassifier as `assist eval` trains it (glossary; out-of-fold calibration fits until 5 000 rows are scored, 2 of 4 folds on these sets, then the final fit), timed the same way',
      'with an oos label: accuracy = in-scope accuracy, both by predicted label (oos a class); "ours with rejection" also sends confidence < 0.25 to oos (as `npm run assist -- eval --oos-label`)',
      'time: wall (CPU of this process); the machine is shared, so compare the ratio; load = 1-minute load average on 2 cores when the set started',
    ],
  };
}
