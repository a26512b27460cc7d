/**
 * The local classifier as production trains it (taxonomy keywords, place masking + the Chinese→English glossary, as
 * trainTopicModel does): training time, prediction latency p50/p99 and accuracy on the bundled
 * taxonomy examples (stratified 80/20 split), on 15 000 seeded synthetic examples and, with
 * `--data TRAIN.jsonl,TEST.jsonl`, on that set. Each set is also trained without the glossary in the same
 * run, so the glossary's effect is a difference / ratio. Then the classify Lambda's cold init: loading the
 * model shipped in the layer vs training it at load, each in a fresh node process.
 */
import { build } from 'esbuild';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../local/paths.ts';
import { GLOSSARY_FILE, loadTaxonomyAndExamples, TOPIC_MODEL_FILE, type ClassifierKnowledge } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { trainClassifier, type ClassifierOptions } from '../shared/domain/classification/classifier.ts';
import { evaluateClassifier } from '../shared/domain/classification/evaluate.ts';
import { keywordGroupsOf } from '../shared/domain/classification/taxonomy.ts';
import { seededRandom } from '../shared/domain/random.ts';
import { CDK_LIKE } from './bundles.ts';
import { freshNodeJson, median, round, type BenchOptions, type Scale, type Table } from './lib.ts';

export interface Labelled {
  text: string;
  label: string;
}

export interface ClassifierRun {
  set: string;
  /** Trained with the layer's glossary (production) or without it (the baseline). */
  glossary: boolean;
  trainExamples: number;
  testExamples: number;
  labels: number;
  trainMs: number;
  p50Ms: number;
  p99Ms: number;
  accuracy: number;
  macroF1: number;
}

/** With the glossary minus / over without it, same set, same run. */
export interface GlossaryEffect {
  set: string;
  accuracyDelta: number;
  macroF1Delta: number;
  trainRatio: number;
  p50Ratio: number;
  p99Ratio: number;
}

/** One way the classify Lambda gets its model at init, measured in fresh node processes. */
export interface ColdInit {
  /** LocalTopicClassifier.origin as reported in the child: 'shipped', 'trained-missing', … */
  origin: string;
  /** Medians over `samples` fresh processes. */
  loadMs: number;
  /** RSS after load minus before (everything the load touched, garbage included). */
  rssDeltaMb: number;
  /** Heap still used after a full GC, minus before: what the loaded classifier keeps. */
  heapDeltaMb: number;
  /** Process peak RSS (getrusage maxRSS). */
  peakRssMb: number;
  samples: number;
}

export interface ClassifierData {
  runs: ClassifierRun[];
  glossaryEffect: GlossaryEffect[];
  coldInit: {
    shipped: ColdInit;
    /** Not measured at tiny scale (seconds of training per sample). */
    trained: ColdInit | null;
    /** trained.loadMs / shipped.loadMs */
    trainedOverShipped: number | null;
    modelMb: number;
    glossaryMb: number;
  };
}

/** What production training (trainTopicModel) adds to the examples: taxonomy keywords, place masking and, unless told not to, the glossary. */
export function productionTraining(knowledge: ClassifierKnowledge, glossary = true): ClassifierOptions {
  return { keywordGroups: keywordGroupsOf(knowledge.taxonomy), placeNames: knowledge.placeNames, ...(glossary ? { glossary: knowledge.glossary } : {}) };
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

const SYNTHETIC_FILLER = ['please', 'help', 'I', 'want', 'to', 'the', 'my', 'can', 'you', 'today', '請問', '我想', '可以', '今日', 'thanks'];
const SYNTHETIC_LABELS = 15;

/**
 * Seeded intents unrelated to the hotline (as test/unit/classifier-evaluate.test.ts generates them): each of
 * 15 labels owns Latin and Han cue words, mixed with shared English/Chinese filler.
 */
export function syntheticExamples(count: number, seed: number): Labelled[] {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const han = (code: number) => String.fromCharCode(code);
  const cues = Array.from({ length: SYNTHETIC_LABELS }, (_, i) => [`cue${i}a`, `cue${i}b`, `thing${i}`, han(0x4e00 + i * 37), han(0x4e00 + i * 37 + 5) + han(0x4e00 + i * 37 + 9)]);
  return Array.from({ length: count }, () => {
    const index = Math.floor(random() * SYNTHETIC_LABELS);
    const own = cues[index] ?? [];
    const words = Array.from({ length: 4 + Math.floor(random() * 6) }, () => pick(SYNTHETIC_FILLER));
    words.splice(Math.floor(random() * words.length), 0, pick(own));
    if (random() < 0.5) words.push(pick(own));
    return { text: words.join(' '), label: `intent_${String.fromCharCode(97 + index)}` };
  });
}

const TINY_TRAIN_PER_LABEL = 4;
const PREDICTIONS: Record<Scale, number> = { tiny: 20, quick: 300, full: Number.POSITIVE_INFINITY };
/** The issue: 15 000 training examples in seconds on 2 cores. */
const SYNTHETIC: Record<Scale, { train: number; test: number }> = { tiny: { train: 200, test: 20 }, quick: { train: 15_000, test: 1_000 }, full: { train: 15_000, test: 1_000 } };

function shrinkForTiny(train: Labelled[]): Labelled[] {
  const taken = new Map<string, number>();
  return train.filter((e) => {
    const n = taken.get(e.label) ?? 0;
    taken.set(e.label, n + 1);
    return n < TINY_TRAIN_PER_LABEL;
  });
}

/** Train + predict + score with the project's evaluator (what `npm run assist -- eval` reports). */
export function measureClassifier(set: string, train: Labelled[], test: Labelled[], scale: Scale, training: ClassifierOptions): ClassifierRun {
  const trainSet = scale === 'tiny' ? shrinkForTiny(train) : train;
  const sample = test.slice(0, PREDICTIONS[scale]);
  const report = evaluateClassifier(trainSet, sample, { training });
  return {
    set,
    glossary: training.glossary !== undefined,
    trainExamples: report.trainExamples,
    testExamples: report.testExamples,
    labels: report.labels,
    trainMs: round(report.trainingMs, 0),
    p50Ms: round(report.latencyP50Ms, 3),
    p99Ms: round(report.latencyP99Ms, 3),
    accuracy: round(report.accuracy, 3),
    macroF1: round(report.macroF1, 3),
  };
}

/** The set trained with the glossary (production), then without it (the baseline). */
function measurePair(set: string, train: Labelled[], test: Labelled[], scale: Scale, training: ClassifierOptions): ClassifierRun[] {
  const { glossary: _glossary, ...withoutGlossary } = training;
  return [measureClassifier(set, train, test, scale, training), measureClassifier(set, train, test, scale, withoutGlossary)];
}

function glossaryEffects(runs: ClassifierRun[]): GlossaryEffect[] {
  const sets = [...new Set(runs.map((r) => r.set))];
  return sets.flatMap((set) => {
    const withIt = runs.find((r) => r.set === set && r.glossary);
    const without = runs.find((r) => r.set === set && !r.glossary);
    if (!withIt || !without) return [];
    const ratio = (a: number, b: number) => round(a / Math.max(b, 0.001), 2);
    return [
      {
        set,
        accuracyDelta: round(withIt.accuracy - without.accuracy, 3),
        macroF1Delta: round(withIt.macroF1 - without.macroF1, 3),
        trainRatio: ratio(withIt.trainMs, without.trainMs),
        p50Ratio: ratio(withIt.p50Ms, without.p50Ms),
        p99Ratio: ratio(withIt.p99Ms, without.p99Ms),
      },
    ];
  });
}

export interface HeldOutPrediction {
  gold: string;
  predicted: string;
  confidence: number;
}

/** Predictions on the bundled taxonomy's held-out 20% by a model trained (as production trains) on the other 80%: unbiased confidences. */
export async function heldOutPredictions(): Promise<HeldOutPrediction[]> {
  const knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  const { train, test } = stratifiedSplit(knowledge.examples);
  const trained = trainClassifier(train, productionTraining(knowledge));
  return test.map((example) => {
    const prediction = trained.predict(example.text);
    return { gold: example.label, predicted: prediction.label, confidence: prediction.confidence };
  });
}

// Runs in a fresh process: the bundled adapter is imported first (not timed; the bundles bench times
// imports), then LocalTopicClassifier.load, the part of the classify init that reads or trains the model.
const COLD_INIT_CHILD = `
const { LocalTopicClassifier } = await import(process.argv[1]);
const mb = (bytes) => bytes / 1048576;
globalThis.gc();
const before = process.memoryUsage();
const started = performance.now();
const classifier = await LocalTopicClassifier.load(process.argv[2]);
const loadMs = performance.now() - started;
const after = process.memoryUsage();
globalThis.gc();
const retained = process.memoryUsage();
console.log(JSON.stringify({
  origin: classifier.origin,
  loadMs,
  rssDeltaMb: mb(after.rss - before.rss),
  heapDeltaMb: mb(retained.heapUsed - before.heapUsed),
  peakRssMb: process.resourceUsage().maxRSS / 1024,
}));
`;

type ColdSample = Omit<ColdInit, 'samples'>;

const COLD_INIT_RUNS: Record<Scale, number> = { tiny: 1, quick: 1, full: 3 };

function summariseCold(samples: ColdSample[]): ColdInit {
  const m = (key: 'loadMs' | 'rssDeltaMb' | 'heapDeltaMb' | 'peakRssMb') => median(samples.map((s) => s[key]));
  return {
    origin: [...new Set(samples.map((s) => s.origin))].join('/'),
    loadMs: round(m('loadMs'), 0),
    rssDeltaMb: round(m('rssDeltaMb'), 0),
    heapDeltaMb: round(m('heapDeltaMb'), 0),
    peakRssMb: round(m('peakRssMb'), 0),
    samples: samples.length,
  };
}

/**
 * LocalTopicClassifier.load on the layer as shipped vs on a copy without model/topic-model.bin (it trains),
 * in fresh node processes importing the adapter bundled as AssistFunction bundles it; interleaved runs.
 */
export async function measureColdInit(scale: Scale): Promise<ClassifierData['coldInit']> {
  const scratch = mkdtempSync(join(tmpdir(), 'assist-bench-cold-init-'));
  try {
    const bundle = join(scratch, 'adapter.mjs');
    const entry = `export { LocalTopicClassifier } from './shared/adapters/in-process/local-topic-classifier.ts';`;
    await build({ ...CDK_LIKE, stdin: { contents: entry, loader: 'ts', resolveDir: REPO_ROOT }, absWorkingDir: REPO_ROOT, outfile: bundle });
    const modelDir = join(KNOWLEDGE_DIR, 'model');
    const untrained = join(scratch, 'knowledge');
    cpSync(KNOWLEDGE_DIR, untrained, { recursive: true, filter: (source) => !source.startsWith(modelDir) });
    const sample = async (dir: string) =>
      (await freshNodeJson<ColdSample>(['--enable-source-maps', '--expose-gc', '--input-type=module', '-e', COLD_INIT_CHILD, pathToFileURL(bundle).href, dir], { POWERTOOLS_LOG_LEVEL: 'ERROR' })).value;
    const shipped: ColdSample[] = [];
    const trained: ColdSample[] = [];
    for (let run = 0; run < COLD_INIT_RUNS[scale]; run++) {
      shipped.push(await sample(KNOWLEDGE_DIR));
      if (scale !== 'tiny') trained.push(await sample(untrained));
    }
    const shippedInit = summariseCold(shipped);
    const trainedInit = trained.length ? summariseCold(trained) : null;
    return {
      shipped: shippedInit,
      trained: trainedInit,
      trainedOverShipped: trainedInit ? round(trainedInit.loadMs / Math.max(shippedInit.loadMs, 1), 1) : null,
      modelMb: round(statSync(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE)).size / 1048576, 1),
      glossaryMb: round(statSync(join(KNOWLEDGE_DIR, GLOSSARY_FILE)).size / 1048576, 1),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function benchClassifier(options: BenchOptions): Promise<{ tables: Table[]; data: ClassifierData }> {
  const { scale } = options;
  const knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
  const split = stratifiedSplit(knowledge.examples);
  const runs = measurePair('bundled taxonomy (80/20)', split.train, split.test, scale, productionTraining(knowledge));
  // Generic sets get the glossary alone, as `npm run assist -- eval` trains them (the keywords are the taxonomy's).
  const generic: ClassifierOptions = { glossary: knowledge.glossary };
  const { train: syntheticTrain, test: syntheticTest } = SYNTHETIC[scale];
  runs.push(...measurePair(`synthetic ${syntheticTrain} (15 labels)`, syntheticExamples(syntheticTrain, 7), syntheticExamples(syntheticTest, 8), scale, generic));
  for (const data of options.data ?? []) runs.push(...measurePair(`--data ${data.train.split('/').at(-1)}`, readJsonl(data.train), readJsonl(data.test), scale, generic));
  const data: ClassifierData = { runs, glossaryEffect: glossaryEffects(runs), coldInit: await measureColdInit(scale) };
  return { tables: [classifierTable(data), glossaryTable(data), coldInitTable(data)], data };
}

function classifierTable(data: ClassifierData): Table {
  return {
    title: 'Local classifier',
    columns: ['set', 'glossary', 'train / test', 'labels', 'train ms', 'predict p50 ms', 'predict p99 ms', 'accuracy', 'macro-F1'],
    rows: data.runs.map((r) => [r.set, r.glossary ? 'yes' : 'no', `${r.trainExamples} / ${r.testExamples}`, r.labels, r.trainMs, r.p50Ms, r.p99Ms, r.accuracy, r.macroF1]),
    notes: [
      'bundled taxonomy: trained as production trains (trainTopicModel: taxonomy keywords, glossary/zh-en.tsv, place masking); other sets as `npm run assist -- eval` (glossary only); "no" = the same without the glossary, same run',
      'figures from evaluateClassifier (shared/domain/classification/evaluate.ts); no out-of-scope rejection; single-threaded, in-process',
    ],
  };
}

function glossaryTable(data: ClassifierData): Table {
  return {
    title: 'Glossary effect (with vs without, same run)',
    columns: ['set', 'Δ accuracy', 'Δ macro-F1', 'train time ×', 'p50 ×', 'p99 ×'],
    rows: data.glossaryEffect.map((e) => [e.set, signed(e.accuracyDelta), signed(e.macroF1Delta), `${e.trainRatio}×`, `${e.p50Ratio}×`, `${e.p99Ratio}×`]),
    notes: ['p99 over a few hundred predictions is one of the slowest handful, i.e. whichever prediction met a GC pause (varies several ms run to run): compare p50'],
  };
}

const signed = (value: number): string => (value > 0 ? `+${value}` : String(value));

function coldInitTable(data: ClassifierData): Table {
  const { shipped, trained, trainedOverShipped, modelMb, glossaryMb } = data.coldInit;
  const row = (how: string, c: ColdInit) => [how, c.origin, c.loadMs, c.rssDeltaMb, c.heapDeltaMb, c.peakRssMb, c.samples];
  return {
    title: 'Classifier cold init (LocalTopicClassifier.load, fresh node)',
    columns: ['model', 'origin', 'load ms', 'RSS Δ MB', 'heap Δ MB (after GC)', 'peak RSS MB', 'processes'],
    rows: [row(`shipped ${TOPIC_MODEL_FILE}`, shipped), ...(trained ? [row('trained at load (layer copy without the model)', trained)] : [])],
    notes: [
      trainedOverShipped === null ? 'training at load not measured at this scale' : `training at load takes ${trainedOverShipped}× as long as loading the shipped model`,
      `load = read + validate taxonomy, examples and glossary (${glossaryMb} MB), check the model's training digest, then parse the model (${modelMb} MB) or train; the adapter bundled as AssistFunction bundles it, imported before timing; medians, interleaved`,
    ],
  };
}
