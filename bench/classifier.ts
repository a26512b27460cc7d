/**
 * The local classifier: training time, prediction latency p50/p99 and accuracy, on the bundled taxonomy
 * examples (stratified 80/20 split) and, with `--data TRAIN.jsonl,TEST.jsonl`, on that set. Also the
 * cold-start cost the classify Lambda pays, since it trains at init (LocalTopicClassifier.load).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { KNOWLEDGE_DIR } from '../local/paths.ts';
import { NotAvailableError, percentile, round, timed, type BenchOptions, type Scale, type Table } from './lib.ts';
import { OPTIONAL_MODULES, findExport, importFromRepo } from './optional.ts';

export interface Labelled {
  text: string;
  label: string;
}

interface Trained {
  predict(text: string): { label: string; confidence: number };
}
type Train = (data: Labelled[]) => Trained;

export interface ClassifierRun {
  set: string;
  trainExamples: number;
  testExamples: number;
  labels: number;
  trainMs: number;
  p50Ms: number;
  p99Ms: number;
  accuracy: number;
  macroF1: number;
  accuracySource: 'evaluateClassifier' | 'bench';
}

export interface ClassifierData {
  runs: ClassifierRun[];
  /** LocalTopicClassifier.load in this process: read + validate the taxonomy and examples, train. */
  coldLoadMs: number | null;
}

const CLASSIFIER_MODULE = 'shared/domain/classification/classifier.ts';

async function loadTrainer(): Promise<Train> {
  const train = findExport(await importFromRepo(CLASSIFIER_MODULE), /^trainClassifier$/);
  if (!train) throw new NotAvailableError(`not available yet: ${CLASSIFIER_MODULE} has no trainClassifier`);
  return train.value as unknown as Train;
}

/** Every 5th example of each label is held out: deterministic and stratified. */
export function stratifiedSplit(examples: Labelled[]): { train: Labelled[]; test: Labelled[] } {
  const seen = new Map<string, number>();
  const train: Labelled[] = [];
  const test: Labelled[] = [];
  for (const example of examples) {
    const n = (seen.get(example.label) ?? 0) + 1;
    seen.set(example.label, n);
    (n % 5 === 0 ? test : train).push(example);
  }
  return { train, test };
}

export function readJsonl(file: string): Labelled[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = JSON.parse(line) as Partial<Labelled>;
      if (typeof parsed.text !== 'string' || typeof parsed.label !== 'string') throw new Error(`${file}:${i + 1}: needs "text" and "label" strings`);
      return { text: parsed.text, label: parsed.label };
    });
}

export function macroF1(pairs: { gold: string; predicted: string }[]): number {
  const labels = new Set(pairs.flatMap((p) => [p.gold, p.predicted]));
  let sum = 0;
  for (const label of labels) {
    const tp = pairs.filter((p) => p.gold === label && p.predicted === label).length;
    const fp = pairs.filter((p) => p.gold !== label && p.predicted === label).length;
    const fn = pairs.filter((p) => p.gold === label && p.predicted !== label).length;
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return labels.size ? sum / labels.size : 0;
}

interface EvaluationReport {
  accuracy: number;
  macroF1: number;
  trainingMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}
type Evaluate = (train: Labelled[], test: Labelled[]) => EvaluationReport;

/** The project's evaluator (train + predict + score, as `npm run assist -- eval` reports), when it exists. */
async function projectEvaluator(): Promise<Evaluate | undefined> {
  try {
    return findExport(await importFromRepo(OPTIONAL_MODULES.evaluate), /^evaluateClassifier$/)?.value as unknown as Evaluate | undefined;
  } catch {
    return undefined;
  }
}

const TINY_TRAIN_PER_LABEL = 4;
const PREDICTIONS: Record<Scale, number> = { tiny: 20, quick: 300, full: Number.POSITIVE_INFINITY };

function shrinkForTiny(train: Labelled[]): Labelled[] {
  const taken = new Map<string, number>();
  return train.filter((e) => {
    const n = taken.get(e.label) ?? 0;
    taken.set(e.label, n + 1);
    return n < TINY_TRAIN_PER_LABEL;
  });
}

export async function measureClassifier(set: string, train: Labelled[], test: Labelled[], scale: Scale, trainer: Train): Promise<ClassifierRun> {
  const trainSet = scale === 'tiny' ? shrinkForTiny(train) : train;
  const sample = test.slice(0, PREDICTIONS[scale]);
  const common = { set, trainExamples: trainSet.length, testExamples: sample.length, labels: new Set(trainSet.map((e) => e.label)).size };
  const evaluate = await projectEvaluator();
  if (evaluate) {
    const report = evaluate(trainSet, sample);
    return {
      ...common,
      trainMs: round(report.trainingMs, 0),
      p50Ms: round(report.latencyP50Ms, 3),
      p99Ms: round(report.latencyP99Ms, 3),
      accuracy: round(report.accuracy, 3),
      macroF1: round(report.macroF1, 3),
      accuracySource: 'evaluateClassifier',
    };
  }
  // Until evaluate.ts lands: the same measurements, done here.
  const { value: trained, ms: trainMs } = await timed(() => trainer(trainSet));
  const latencies: number[] = [];
  const pairs = sample.map((example) => {
    const started = performance.now();
    const predicted = trained.predict(example.text).label;
    latencies.push(performance.now() - started);
    return { gold: example.label, predicted };
  });
  return {
    ...common,
    trainMs: round(trainMs, 0),
    p50Ms: round(percentile(latencies, 0.5), 3),
    p99Ms: round(percentile(latencies, 0.99), 3),
    accuracy: round(pairs.filter((p) => p.gold === p.predicted).length / Math.max(1, pairs.length), 3),
    macroF1: round(macroF1(pairs), 3),
    accuracySource: 'bench',
  };
}

interface TaxonomyModule {
  examples: Labelled[];
  coldLoad: () => Promise<unknown>;
}

async function taxonomyExamples(): Promise<TaxonomyModule> {
  const module = await importFromRepo(OPTIONAL_MODULES.localClassifier);
  const load = findExport(module, /^loadTaxonomyAndExamples$/);
  const classifier = module['LocalTopicClassifier'] as { load?: (dir: string, options?: object) => Promise<unknown> } | undefined;
  if (!load || typeof classifier?.load !== 'function') throw new NotAvailableError('not available yet: local-topic-classifier.ts lacks loadTaxonomyAndExamples / LocalTopicClassifier.load');
  const loaded = (await (load.value as unknown as (dir: string) => Promise<{ examples: Labelled[] }>)(KNOWLEDGE_DIR).catch((error: unknown) => {
    throw new NotAvailableError(`not available yet: the bundled taxonomy examples do not load (${String(error).slice(0, 120)})`);
  }));
  // A distinct option value bypasses the per-process model cache, so this is a true cold load.
  const coldLoad = () => (classifier.load as (dir: string, options?: object) => Promise<unknown>)(KNOWLEDGE_DIR, { rejectBelow: 0.2500001 });
  return { examples: loaded.examples.map(({ text, label }) => ({ text, label })), coldLoad };
}

export interface HeldOutPrediction {
  gold: string;
  predicted: string;
  confidence: number;
}

/** Predictions on the bundled taxonomy's held-out 20% by a model trained on the other 80%: unbiased confidences. */
export async function heldOutPredictions(): Promise<HeldOutPrediction[]> {
  const trainer = await loadTrainer();
  const { train, test } = stratifiedSplit((await taxonomyExamples()).examples);
  const trained = trainer(train);
  return test.map((example) => {
    const prediction = trained.predict(example.text);
    return { gold: example.label, predicted: prediction.label, confidence: prediction.confidence };
  });
}

export async function benchClassifier(options: BenchOptions): Promise<{ tables: Table[]; data: ClassifierData }> {
  const trainer = await loadTrainer();
  const taxonomy = await taxonomyExamples();
  const split = stratifiedSplit(taxonomy.examples);
  const runs = [await measureClassifier('bundled taxonomy (80/20)', split.train, split.test, options.scale, trainer)];
  if (options.data) runs.push(await measureClassifier(`--data ${options.data.train.split('/').at(-1)}`, readJsonl(options.data.train), readJsonl(options.data.test), options.scale, trainer));
  const coldLoadMs = options.scale === 'tiny' ? null : round((await timed(taxonomy.coldLoad)).ms, 0);
  const data = { runs, coldLoadMs };
  return { tables: [classifierTable(data)], data };
}

function classifierTable(data: ClassifierData): Table {
  return {
    title: 'Local classifier',
    columns: ['set', 'train / test', 'labels', 'train ms', 'predict p50 ms', 'predict p99 ms', 'accuracy', 'macro-F1'],
    rows: data.runs.map((r) => [r.set, `${r.trainExamples} / ${r.testExamples}`, r.labels, r.trainMs, r.p50Ms, r.p99Ms, r.accuracy, r.macroF1]),
    notes: [
      data.coldLoadMs === null
        ? 'cold load not measured at this scale'
        : `LocalTopicClassifier.load (read + validate layer files + train), paid at every classify cold start: ${data.coldLoadMs} ms`,
      `figures from ${[...new Set(data.runs.map((r) => r.accuracySource))].join(', ')} (shared/domain/classification/evaluate.ts when present); no out-of-scope rejection; single-threaded, in-process`,
    ],
  };
}
