/**
 * Shared pieces of the benchmarks: scale, result shape, timing and statistics, markdown tables.
 * Machines here are noisy, so every bench reports ratios against a baseline measured in the same run.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** tiny: the smoke test (seconds); quick: `--quick` (~30 s in all); full: `npm run bench` (< 5 min on 2 cores). */
export type Scale = 'tiny' | 'quick' | 'full';

export interface BenchOptions {
  scale: Scale;
  /** `--data TRAIN.jsonl,TEST.jsonl` (repeatable): labelled sets for the classifier and intent benches. */
  data?: { train: string; test: string }[];
  /** `--oos-label L`: the out-of-scope label of those sets (default: `oos` when the training set has it). */
  oosLabel?: string;
}

export type Cell = string | number | null;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  notes?: string[];
}

export type BenchStatus = 'ok' | 'not_available' | 'failed';

export interface BenchResult<T = unknown> {
  name: string;
  status: BenchStatus;
  /** Why the bench did not run (not_available) or what broke (failed). */
  reason?: string;
  seconds: number;
  tables: Table[];
  data?: T;
}

/** Thrown by a bench when something it needs has not landed yet; reported, never a failure. */
export class NotAvailableError extends Error {
  override readonly name = 'NotAvailableError';
}

/** Runs one bench, turning "not available yet" and crashes into a result instead of aborting the run. */
export async function runBench<T>(name: string, body: () => Promise<{ tables: Table[]; data: T }>): Promise<BenchResult<T>> {
  const started = performance.now();
  const seconds = () => round((performance.now() - started) / 1000, 2);
  try {
    const { tables, data } = await body();
    return { name, status: 'ok', seconds: seconds(), tables, data };
  } catch (error) {
    const status: BenchStatus = error instanceof NotAvailableError ? 'not_available' : 'failed';
    const reason = errorMessage(error);
    return { name, status, reason, seconds: seconds(), tables: [] };
  }
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const median = (samples: readonly number[]): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Significant-figure rounding for money and tiny durations, where fixed decimals hide everything. */
export function sig(value: number, digits = 3): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(digits));
}

/**
 * Runs `node ARGS` in a fresh process with only `env` (plus PATH), as a Lambda init starts clean, and parses
 * the last line it prints as JSON. processMs is the wall time of the whole process.
 */
export function freshNodeJson<T>(args: string[], env: Record<string, string>): Promise<{ value: T; processMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`fresh node failed (exit ${code}): ${stderr.trim().split('\n').slice(0, 3).join(' ')}`));
      resolve({ value: JSON.parse(line) as T, processMs });
    });
  });
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error)).slice(0, 240);

function cellText(cell: Cell): string {
  if (cell === null) return '–';
  return String(cell).replaceAll('|', '\\|');
}

export function markdownTable(table: Table): string {
  const header = `| ${table.columns.join(' | ')} |`;
  const rule = `|${table.columns.map(() => '---').join('|')}|`;
  const rows = table.rows.map((row) => `| ${row.map(cellText).join(' | ')} |`);
  const notes = (table.notes ?? []).map((note) => `- ${note}`);
  return [`### ${table.title}`, '', header, rule, ...rows, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
