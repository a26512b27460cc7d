/**
 * Bundle size and cold init per Lambda. Each functions/<name>/handler.ts is bundled with esbuild's JS API
 * exactly as CDK's NodejsFunction does for AssistFunction (cdk/lib/assist-function.ts), then a fresh
 * `node` process imports the bundle with dummy configuration, as a Lambda init does, and reports how long
 * the import took. The baseline is an empty ESM handler bundled and measured the same way in the same run.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../local/paths.ts';
import { loadTaxonomyAndExamples, TOPIC_MODEL_FILE, trainingDigest } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { shippedModelDigest } from '../shared/domain/classification/model-binary.ts';
import { localStepTimings, type LocalStepTimings } from './local-steps.ts';
import { errorMessage, freshNodeJson, median, round, sig, type BenchOptions, type Scale, type Table } from './lib.ts';

/** cdk/lib/assist-function.ts bundling, as CDK passes it to esbuild (plus a metafile for the input sizes). */
export const CDK_LIKE: BuildOptions & { metafile: true } = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  sourcemap: true,
  sourcesContent: false, // as AssistFunction bundles: mappings without the sources' text
  external: ['@aws-sdk/*'],
  mainFields: ['module', 'main'],
  charset: 'utf8', // as AssistFunction bundles (cdk/lib/assist-function.ts)
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  metafile: true,
  logLevel: 'silent',
};

const EMPTY = '(empty handler)';
const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200 });';

/**
 * Baselines per set of @aws-sdk/* packages, measured like the functions in the same run:
 * - sdk: an ESM handler that only imports those packages (as the runtime provides them) and builds no client:
 *   the part of a function's cold start set by the SDK it uses, whatever the function's own code does;
 * - stack: the same plus what every handler of this project does before its own work: the configuration
 *   validated at cold start (shared/config.ts) and the one middleware stack (middy + Powertools logger and metrics).
 */
const FLOORS = {
  sdk: { prefix: '(SDK floor) ', source: sdkFloorSource },
  stack: { prefix: '(stack floor) ', source: stackFloorSource },
} as const;
type FloorKind = keyof typeof FLOORS;
const floorKindOf = (fn: string): FloorKind | undefined => (Object.keys(FLOORS) as FloorKind[]).find((kind) => fn.startsWith(FLOORS[kind].prefix));

const sdkNames = (packages: readonly string[]): string[] => packages.map((_, i) => `sdk${i}`);
const sdkImportLines = (packages: readonly string[]): string[] => packages.map((pkg, i) => `import * as sdk${i} from ${JSON.stringify(pkg)};`);

export function sdkFloorSource(packages: readonly string[]): string {
  return [...sdkImportLines(packages), `export const handler = async () => [${sdkNames(packages).join(', ')}].length;`].join('\n');
}

export function stackFloorSource(packages: readonly string[]): string {
  return [
    ...sdkImportLines(packages),
    "import { loadConfig } from '#config';",
    "import { withMiddleware } from '#middleware/stack.ts';",
    'const config = loadConfig();',
    `export const handler = withMiddleware(async () => [${[...sdkNames(packages), 'config'].join(', ')}].length);`,
  ].join('\n');
}

/** The @aws-sdk/* packages a bundle leaves to the runtime (external imports in its metafile). */
export function sdkImports(metafile: Metafile): string[] {
  const packages = new Set<string>();
  for (const output of Object.values(metafile.outputs)) for (const imported of output.imports) if (imported.external && imported.path.startsWith('@aws-sdk/')) packages.add(imported.path);
  return [...packages].sort();
}

/** Everything any handler reads at import (shared/config.ts), set to harmless dummy values. */
const DUMMY_ENV: Record<string, string> = {
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'bench-dummy',
  AWS_SECRET_ACCESS_KEY: 'bench-dummy',
  ENQUIRY_TABLE_NAME: 'bench-enquiries',
  RESTRICTED_TABLE_NAME: 'bench-restricted',
  CALLER_HASH_KEY_ID: 'bench-caller-hash',
  STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:000000000000:stateMachine:bench',
  INTAKE_DLQ_URL: 'https://sqs.ap-east-1.amazonaws.com/000000000000/bench-intake-dlq',
  TRANSCRIPTS_BUCKET: 'bench-transcripts',
  TRANSCRIPTS_KEY_ARN: 'arn:aws:kms:ap-east-1:000000000000:key/bench',
  BEDROCK_MODEL_ID: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  BEDROCK_REGION: 'ap-northeast-1',
  SMS_OUTBOX_URL: 'https://sqs.ap-east-1.amazonaws.com/000000000000/bench-sms-outbox',
  SMS_TABLE_NAME: 'bench-sms',
  SMS_ORIGINATION_IDENTITY: 'arn:aws:sms-voice:ap-east-1:000000000000:pool/bench',
  REPORT_COUNTERS_TABLE_NAME: 'bench-counters',
  REPORTS_BUCKET: 'bench-reports',
  REPORTS_KEY_ARN: 'arn:aws:kms:ap-east-1:000000000000:key/bench',
  SPIKE_TOPIC_ARN: 'arn:aws:sns:ap-east-1:000000000000:bench-spikes',
  KNOWLEDGE_DIR,
  POWERTOOLS_METRICS_NAMESPACE: 'Assist1823',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

/**
 * What one function needs on top (retrain cannot start without its bucket). Classify is measured without
 * MODELS_BUCKET: the shipped-model path, with no S3 read at init.
 */
const FUNCTION_ENV: Record<string, Record<string, string>> = { retrain: { MODELS_BUCKET: 'bench-models' } };

const RUNS: Record<Scale, number> = { tiny: 1, quick: 1, full: 6 };

export interface InputWeight {
  input: string;
  kb: number;
}

export interface BundleMeasurement {
  fn: string;
  kb: number;
  utf8Kb: number;
  mapKb: number;
  heaviest: InputWeight[];
  importMs: number;
  processMs: number;
  /** Process wall time (node start + import) vs the empty handler's. */
  processRatio: number;
  /** The @aws-sdk/* packages the bundle imports from the runtime. */
  sdkPackages: string[];
  /** Process wall time of the SDK floor (an empty handler importing only those packages) vs the empty handler's. */
  sdkFloorRatio: number | null;
  /** Process ms over the SDK floor's: what the function's own modules, clients and knowledge add at init. */
  ownInitMs: number | null;
  /** The stack floor (SDK packages + configuration + middleware stack) vs the empty handler. */
  stackFloorRatio: number | null;
  /** Process ms over the stack floor's: the function's own clients, modules and knowledge. */
  overStackMs: number | null;
  /**
   * Lowest and highest ratio of each floor over the runs, each process against the empty handler's of the same
   * round (interleaved, so drift over the run cancels): how far a single process strays from the median.
   */
  sdkFloorRatioSpread: [number, number] | null;
  stackFloorRatioSpread: [number, number] | null;
  /** Import alone vs the empty handler's import. */
  importRatio: number;
  /** Import without --enable-source-maps (full scale only): what source-map support costs at init. */
  importNoSourceMapsMs: number | null;
  rssMb: number;
  /** The handler module exported a function named `handler`. */
  exportsHandler: boolean;
  error?: string;
}

export interface BundlesData {
  runs: number;
  empty: { importMs: number; processMs: number; kb: number };
  bundles: BundleMeasurement[];
  localSteps: LocalStepTimings | { error: string };
  /** What the classify bundle's init does with KNOWLEDGE_DIR's topic model (null when classify was not measured). */
  classifyModel: ClassifyModel | null;
}

/** As LocalTopicClassifier.load decides: 'shipped' loads model/topic-model.bin, the others train at init. */
export interface ClassifyModel {
  origin: 'shipped' | 'trained-missing' | 'trained-stale';
  modelMb: number | null;
}

/** Whether the classify init (LocalTopicClassifier.load of KNOWLEDGE_DIR) loads the shipped model or trains. */
export async function classifyModelAt(dir: string): Promise<ClassifyModel> {
  const file = join(dir, TOPIC_MODEL_FILE);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) return { origin: 'trained-missing', modelMb: null };
  const current = shippedModelDigest(readFileSync(file)) === trainingDigest(await loadTaxonomyAndExamples(dir));
  return { origin: current ? 'shipped' : 'trained-stale', modelMb: round(size / 1048576, 1) };
}

export function handlerFolders(): string[] {
  const functionsDir = join(REPO_ROOT, 'functions');
  return readdirSync(functionsDir)
    .filter((name) => statSync(join(functionsDir, name, 'handler.ts'), { throwIfNoEntry: false })?.isFile())
    .sort();
}

/** Package (or repo folder) an esbuild input belongs to: what a reader can act on. */
export function ownerOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at >= 0) {
    const parts = input.slice(at + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? input);
  }
  return input.split('/').slice(0, -1).join('/') || input;
}

/** Top inputs by bytes in the output, grouped by package / folder. */
export function heaviestInputs(metafile: Metafile, top = 5): InputWeight[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner = ownerOf(input);
      totals.set(owner, (totals.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([input, bytes]) => ({ input, kb: round(bytes / 1024, 1) }));
}

interface Built {
  fn: string;
  file: string;
  kb: number;
  /** Size with esbuild `charset: 'utf8'`: the default escapes every CJK character as \uXXXX (6 bytes, not 3). */
  utf8Kb: number;
  mapKb: number;
  heaviest: InputWeight[];
  sdkPackages: string[];
}

/** A floor's name for a set of packages (functions importing the same set share one). */
const floorName = (kind: FloorKind, packages: readonly string[]): string => `${FLOORS[kind].prefix}${packages.join(' + ')}`;

function entryOf(fn: string): BuildOptions {
  const stdin = (contents: string): BuildOptions => ({ stdin: { contents, loader: 'ts', resolveDir: REPO_ROOT } });
  if (fn === EMPTY) return stdin(EMPTY_HANDLER);
  const kind = floorKindOf(fn);
  if (kind) return stdin(FLOORS[kind].source(fn.slice(FLOORS[kind].prefix.length).split(' + ')));
  return { entryPoints: [join(REPO_ROOT, 'functions', fn, 'handler.ts')] };
}

async function bundle(fn: string, outdir: string, index: number): Promise<Built> {
  const kind = floorKindOf(fn);
  const outfile = join(outdir, kind ? `${kind}-floor-${index}` : fn, 'index.mjs');
  const entry = entryOf(fn);
  const result = await build({ ...CDK_LIKE, ...entry, absWorkingDir: REPO_ROOT, outfile });
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  const utf8 = await build({ ...CDK_LIKE, ...entry, absWorkingDir: REPO_ROOT, outfile, charset: 'utf8', sourcemap: false, write: false });
  return {
    fn,
    file: outfile,
    kb: round(statSync(outfile).size / 1024, 1),
    utf8Kb: round((utf8.outputFiles.find((f) => f.path.endsWith('.mjs'))?.contents.byteLength ?? 0) / 1024, 1),
    mapKb: round(statSync(`${outfile}.map`).size / 1024, 1),
    heaviest: heaviestInputs(result.metafile),
    sdkPackages: sdkImports(result.metafile),
  };
}

interface ImportSample {
  importMs: number;
  processMs: number;
  rssMb: number;
  exportsHandler: boolean;
}

// Runs in the fresh process: the import is the init phase of a Lambda cold start (module scope builds the
// clients and loads the knowledge layer).
const CHILD = `
const started = performance.now();
const module = await import(process.argv[1]);
const importMs = performance.now() - started;
console.log(JSON.stringify({ importMs, rssMb: process.memoryUsage().rss / 1048576, exportsHandler: typeof module.handler === 'function' }));
`;

/** One fresh `node` importing the bundle, with Lambda's NODE_OPTIONS (source maps) unless told otherwise. */
export async function importInFreshNode(file: string, sourceMaps = true, env: Record<string, string> = {}): Promise<ImportSample> {
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', CHILD, pathToFileURL(file).href];
  const { value, processMs } = await freshNodeJson<Omit<ImportSample, 'processMs'>>(args, { ...DUMMY_ENV, ...env }).catch((error: unknown) => {
    throw new Error(errorMessage(error).replace('fresh node failed', 'import failed'));
  });
  return { ...value, processMs };
}

interface Samples {
  withMaps: ImportSample[];
  withoutMaps: ImportSample[];
  error?: string;
}

/** Round-robin over bundles so drift on a noisy machine spreads evenly instead of biasing the last ones. */
async function sampleImports(built: Built[], runs: number, withoutMaps: boolean): Promise<Map<string, Samples>> {
  const samples = new Map<string, Samples>(built.map((b) => [b.fn, { withMaps: [], withoutMaps: [] }]));
  for (let run = 0; run < runs; run++) {
    for (const b of built) {
      const entry = samples.get(b.fn);
      if (!entry || entry.error) continue;
      try {
        entry.withMaps.push(await importInFreshNode(b.file, true, FUNCTION_ENV[b.fn]));
        if (withoutMaps && !floorKindOf(b.fn)) entry.withoutMaps.push(await importInFreshNode(b.file, false, FUNCTION_ENV[b.fn]));
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
      }
    }
  }
  return samples;
}

/** A temp dir whose node_modules points at the repo's, so the bundles find @aws-sdk/* as Lambda's runtime provides it. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assist-bench-bundles-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

const FUNCTIONS_AT: Record<Scale, (all: string[]) => string[]> = {
  tiny: (all) => all.filter((fn) => fn === 'needs-manual'),
  quick: (all) => all,
  full: (all) => all,
};

export async function benchBundles(options: BenchOptions): Promise<{ tables: Table[]; data: BundlesData }> {
  const dir = scratchDir();
  try {
    const functions = FUNCTIONS_AT[options.scale](handlerFolders());
    const handlers = await Promise.all([EMPTY, ...functions].map((fn, i) => bundle(fn, dir, i)));
    const sets = handlers.filter((b) => b.sdkPackages.length > 0).map((b) => b.sdkPackages);
    const floors = [...new Set((Object.keys(FLOORS) as FloorKind[]).flatMap((kind) => sets.map((packages) => floorName(kind, packages))))];
    const built = [...handlers, ...(await Promise.all(floors.map((fn, i) => bundle(fn, dir, i))))];
    const runs = RUNS[options.scale];
    const samples = await sampleImports(built, runs, options.scale === 'full');
    const localSteps = await localStepTimings(options.scale).catch((error: unknown) => ({ error: String(error) }));
    const classifyModel = functions.includes('classify') ? await classifyModelAt(KNOWLEDGE_DIR) : null;
    const data = summarise(built, samples, runs, localSteps, classifyModel);
    return { tables: [bundleTable(data)], data };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarise(built: Built[], samples: Map<string, Samples>, runs: number, localSteps: BundlesData['localSteps'], classifyModel: ClassifyModel | null): BundlesData {
  const medianOf = (list: ImportSample[], key: 'importMs' | 'processMs' | 'rssMb') => median(list.map((s) => s[key]));
  const emptySamples = samples.get(EMPTY)?.withMaps ?? [];
  const empty = { importMs: round(medianOf(emptySamples, 'importMs'), 2), processMs: round(medianOf(emptySamples, 'processMs'), 1), kb: built[0]?.kb ?? 0 };
  const bundles = built
    .filter((b) => b.fn !== EMPTY && !floorKindOf(b.fn))
    .map((b): BundleMeasurement => {
      const s = samples.get(b.fn) ?? { withMaps: [], withoutMaps: [] };
      const importMs = medianOf(s.withMaps, 'importMs');
      const processMs = medianOf(s.withMaps, 'processMs');
      const floorMs = (kind: FloorKind): number | null => {
        const floor = b.sdkPackages.length ? samples.get(floorName(kind, b.sdkPackages)) : undefined;
        return floor && !floor.error && floor.withMaps.length ? medianOf(floor.withMaps, 'processMs') : null;
      };
      const floorSpread = (kind: FloorKind): [number, number] | null => {
        const floor = b.sdkPackages.length ? samples.get(floorName(kind, b.sdkPackages)) : undefined;
        return floor && !floor.error ? ratioSpread(floor.withMaps, emptySamples) : null;
      };
      const [sdkMs, stackMs] = [floorMs('sdk'), floorMs('stack')];
      return {
        fn: b.fn,
        kb: b.kb,
        utf8Kb: b.utf8Kb,
        mapKb: b.mapKb,
        heaviest: b.heaviest,
        importMs: round(importMs, 1),
        processMs: round(processMs, 1),
        processRatio: round(processMs / empty.processMs, 2),
        sdkPackages: b.sdkPackages,
        sdkFloorRatio: sdkMs === null ? null : round(sdkMs / empty.processMs, 2),
        ownInitMs: sdkMs === null ? null : round(processMs - sdkMs, 1),
        stackFloorRatio: stackMs === null ? null : round(stackMs / empty.processMs, 2),
        overStackMs: stackMs === null ? null : round(processMs - stackMs, 1),
        sdkFloorRatioSpread: floorSpread('sdk'),
        stackFloorRatioSpread: floorSpread('stack'),
        importRatio: round(importMs / Math.max(empty.importMs, 0.01), 0),
        importNoSourceMapsMs: s.withoutMaps.length ? round(medianOf(s.withoutMaps, 'importMs'), 1) : null,
        rssMb: round(medianOf(s.withMaps, 'rssMb'), 0),
        exportsHandler: s.withMaps.every((x) => x.exportsHandler),
        ...(s.error ? { error: s.error } : {}),
      };
    });
  return { runs, empty, bundles, localSteps, classifyModel };
}

/**
 * Min and max over the rounds of a bundle's process time against the empty handler's in the same round (sample i of
 * each list is round i: sampleImports goes round-robin); null without a complete pair.
 */
export function ratioSpread(samples: readonly Pick<ImportSample, 'processMs'>[], empty: readonly Pick<ImportSample, 'processMs'>[]): [number, number] | null {
  const ratios = samples.flatMap((sample, round) => {
    const baseline = empty[round]?.processMs;
    return baseline ? [sample.processMs / baseline] : [];
  });
  return ratios.length ? [round(Math.min(...ratios), 2), round(Math.max(...ratios), 2)] : null;
}

/**
 * The figures before issue 22 (lean functions), measured by this bench on main at 3e46d99 and kept in the repo:
 * every run prints them next to its own. Ratios are each run's own (against that run's empty handler).
 */
export const BEFORE_FILE = join(REPO_ROOT, 'bench', 'results', 'bundles-before-issue-22.json');

interface BeforeFigures {
  at: string;
  emptyProcessMs: number;
  byFunction: Map<string, { kb: number; processRatio: number; rssMb: number; warmMs: number | undefined }>;
}

export function beforeFigures(file: string = BEFORE_FILE): BeforeFigures | undefined {
  const raw = readFileSync(file, { encoding: 'utf8', flag: 'r' });
  const run = JSON.parse(raw) as { at: string; results: { name: string; data?: BundlesData }[] };
  const data = run.results.find((r) => r.name === 'bundles')?.data;
  if (!data) return undefined;
  const steps = 'error' in data.localSteps ? [] : data.localSteps.steps;
  return {
    at: run.at,
    emptyProcessMs: data.empty.processMs,
    byFunction: new Map(data.bundles.map((b) => [b.fn, { kb: b.kb, processRatio: b.processRatio, rssMb: b.rssMb, warmMs: steps.find((x) => x.step === b.fn)?.warmMs }])),
  };
}

function beforeCell(before: BeforeFigures | undefined, fn: string): string | null {
  const b = before?.byFunction.get(fn);
  return b ? `${b.kb} KB · ${b.processRatio}× · ${b.rssMb} MB${b.warmMs === undefined ? '' : ` · warm ${sig(b.warmMs, 3)} ms`}` : null;
}

function localHandleCell(localSteps: BundlesData['localSteps'], fn: string): string | null {
  if ('error' in localSteps) return null;
  const step = localSteps.steps.find((s) => s.step === fn);
  return step ? `${sig(step.firstMs, 3)} / ${sig(step.warmMs, 3)}` : null;
}

function bundleTable(data: BundlesData): Table {
  const { empty } = data;
  const before = statSync(BEFORE_FILE, { throwIfNoEntry: false }) ? beforeFigures() : undefined;
  const rows = data.bundles.map((b) => [
    b.fn,
    b.kb,
    b.utf8Kb,
    b.error ? `failed: ${b.error.slice(0, 80)}` : b.importMs,
    b.error ? null : b.importNoSourceMapsMs,
    b.error ? null : b.processMs,
    b.error ? null : `${b.processRatio}×`,
    b.sdkFloorRatio === null ? null : `${b.sdkFloorRatio}×`,
    b.stackFloorRatio === null ? null : `${b.stackFloorRatio}×`,
    b.ownInitMs,
    b.overStackMs,
    b.error ? null : b.rssMb,
    localHandleCell(data.localSteps, b.fn),
    beforeCell(before, b.fn),
    b.heaviest.map((h) => `${h.input} ${h.kb}`).join(', '),
  ]);
  const stepsNote =
    'error' in data.localSteps
      ? `local handle times not measured: ${data.localSteps.error}`
      : `local handle = handle.ts with local adapters + dynalite, first call / warm median (${data.localSteps.classifierSource})`;
  return {
    title: 'Bundles and cold init',
    columns: ['function', 'bundle KB', 'KB if charset=utf8', 'import ms', 'import ms (no source maps)', 'process ms', 'vs empty', 'SDK floor vs empty', 'stack floor vs empty', 'own init ms (process − SDK floor)', 'over stack floor ms', 'RSS MB', 'local handle ms', 'before issue 22: KB · vs empty · RSS · warm handle', 'heaviest inputs (KB in bundle)'],
    rows,
    notes: [
      `empty ESM handler: ${empty.kb} KB, import ${empty.importMs} ms, process ${empty.processMs} ms; medians of ${data.runs} fresh processes each, interleaved`,
      'import = init phase (module scope: config, clients, knowledge layer) in a fresh node with --enable-source-maps as Lambda sets it; @aws-sdk/* is external (the runtime provides it) and its load counts',
      '"vs empty" = process wall time (node start + import) over the empty handler\'s',
      'SDK floor = an empty ESM handler that only imports the function\'s @aws-sdk/* packages (no client built), bundled and measured the same way, interleaved: the cold start the runtime\'s SDK sets whatever our code does; own init = process ms over it (our modules, client construction, knowledge layer); stack floor = the same plus loadConfig() and the middleware stack (middy + Powertools logger and metrics) every handler has: "over stack floor" is the function\'s own clients, modules and knowledge',
      ...floorRangeNote(data.bundles),
      stepsNote,
      ...(before ? [`before issue 22 = ${BEFORE_FILE.slice(REPO_ROOT.length + 1)} (main 3e46d99, ${before.at.slice(0, 10)}; its empty handler ${before.emptyProcessMs} ms): its ratios are against its own empty handler, as this run's are`] : []),
      ...(data.classifyModel ? [classifyModelNote(data.classifyModel)] : []),
    ],
  };
}

/** Where the floors of this run lie: a ratio goal below a function's floor cannot be met by its own code. */
function floorRangeNote(bundles: BundleMeasurement[]): string[] {
  const ascending = (ratioOf: (b: BundleMeasurement) => number | null) =>
    bundles.flatMap((b) => {
      const ratio = ratioOf(b);
      return ratio === null ? [] : [{ fn: b.fn, ratio }];
    }).sort((a, b) => a.ratio - b.ratio);
  const range = (sorted: { fn: string; ratio: number }[]): string | undefined => {
    const [low, high] = [sorted[0], sorted.at(-1)];
    return low && high ? `${low.ratio}× (${low.fn}) to ${high.ratio}× (${high.fn})` : undefined;
  };
  const [sdk, stack] = [range(ascending((b) => b.sdkFloorRatio)), range(ascending((b) => b.stackFloorRatio))];
  // How far single processes stray: each floor process against the empty handler of its round, lowest and highest.
  const spread = (key: 'sdkFloorRatioSpread' | 'stackFloorRatioSpread'): string | undefined => {
    const spreads = bundles.flatMap((b) => (b[key] ? [b[key]] : []));
    return spreads.length ? `${Math.min(...spreads.map(([low]) => low))}–${Math.max(...spreads.map(([, high]) => high))}×` : undefined;
  };
  const [sdkSpread, stackSpread] = [spread('sdkFloorRatioSpread'), spread('stackFloorRatioSpread')];
  const single = sdkSpread && stackSpread ? `; single rounds (each process against the empty handler of its round) ranged SDK ${sdkSpread}, stack ${stackSpread}: goals are on the medians` : '';
  return sdk && stack ? [`floors in this run, of the empty handler (medians): SDK ${sdk}; stack ${stack}${single}`] : [];
}

function classifyModelNote({ origin, modelMb }: ClassifyModel): string {
  const where = `KNOWLEDGE_DIR=layers/knowledge (the layer mounts at /opt/knowledge)`;
  if (origin === 'shipped') return `classify init loads the shipped ${TOPIC_MODEL_FILE} (${modelMb} MB) + glossary from ${where}; it does not train`;
  return `classify init TRAINS the topic model (${origin}: ${TOPIC_MODEL_FILE} ${origin === 'trained-missing' ? 'missing' : 'stale'} in ${where}); run npm run assist -- train-model`;
}
