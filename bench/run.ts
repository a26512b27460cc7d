/**
 * `npm run bench [-- --quick] [-- --only NAME] [-- --data TRAIN.jsonl,TEST.jsonl …] [-- --oos-label L]`: runs the benchmarks,
 * prints one markdown table per bench and writes bench/results/latest.json. See bench/README.md.
 */
import './env.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchBundles } from './bundles.ts';
import { benchClassifier } from './classifier.ts';
import { benchCost } from './cost.ts';
import { benchCounters } from './counters.ts';
import { benchGrouping } from './grouping.ts';
import { benchIntent } from './intent.ts';
import { markdownTable, runBench, type BenchOptions, type BenchResult, type Table } from './lib.ts';
import { benchPipeline } from './pipeline.ts';
import { benchPlaces } from './places.ts';
import { benchReports } from './reports.ts';

export const BENCHES: Record<string, (options: BenchOptions) => Promise<{ tables: Table[]; data: unknown }>> = {
  bundles: benchBundles,
  pipeline: benchPipeline,
  classifier: benchClassifier,
  intent: benchIntent,
  reports: benchReports,
  counters: benchCounters,
  grouping: benchGrouping,
  cost: benchCost,
  places: benchPlaces,
};

function optionsFromArgs(): { options: BenchOptions; only: string[] } {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true }, data: { type: 'string', multiple: true }, 'oos-label': { type: 'string' } },
  });
  const only = (values.only ?? []).flatMap((name) => name.split(','));
  const unknown = only.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  const data = (values.data ?? []).map((pair) => {
    const [train, test, extra] = pair.split(',');
    if (!train || !test || extra !== undefined) throw new Error('--data takes TRAIN.jsonl,TEST.jsonl');
    return { train, test };
  });
  const oosLabel = values['oos-label'];
  return { options: { scale: values.quick ? 'quick' : 'full', ...(data.length ? { data } : {}), ...(oosLabel ? { oosLabel } : {}) }, only };
}

function summaryTable(results: BenchResult[]): Table {
  return {
    title: 'Summary',
    columns: ['bench', 'status', 'seconds', 'note'],
    rows: results.map((r) => [r.name, r.status, r.seconds, r.reason ?? null]),
  };
}

const { options, only } = optionsFromArgs();
const results: BenchResult[] = [];
for (const [name, bench] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench ${name} (${options.scale})…\n`);
  results.push(await runBench(name, () => bench(options)));
}

const machine = { node: process.version, platform: `${process.platform} ${process.arch}`, cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown' };
const resultsDir = join(fileURLToPath(new URL('.', import.meta.url)), 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), scale: options.scale, machine, results }, null, 2)}\n`);

console.log(`## npm run bench (${options.scale}), ${machine.node}, ${machine.cpus} CPUs (${machine.cpuModel})\n`);
for (const table of [summaryTable(results), ...results.flatMap((r) => r.tables)]) console.log(`${markdownTable(table)}\n`);
console.log('Written: bench/results/latest.json');
// Exit explicitly: the pipeline bench leaves executions parked in AwaitAgentReview, whose review-timeout
// timers in the local runtime would otherwise keep the process alive for 72 hours.
process.exit(results.some((r) => r.status === 'failed') ? 1 : 0);
