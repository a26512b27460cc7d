/**
 * Report generation time vs history size. Reports read aggregate counter rows (topic × department ×
 * language × day), never enquiries, so the work should follow the row count, which barely moves between
 * 1k and 1M enquiries over the same days; a longer history adds rows instead.
 */
import { addDays } from '../shared/domain/reports/counters.ts';
import { reportToCsv } from '../shared/domain/reports/csv.ts';
import { reportToHtml } from '../shared/domain/reports/html.ts';
import { buildTopicReport } from '../shared/domain/reports/report.ts';
import { generateSyntheticHistory } from '../local/synthetic-history.ts';
import { median, round, sig, timed, type BenchOptions, type Scale, type Table } from './lib.ts';

export interface HistorySize {
  enquiries: number;
  days: number;
}

export interface ReportPoint extends HistorySize {
  rows: number;
  generateMs: number;
  buildMs: number;
  csvMs: number;
  htmlMs: number;
  /** build + csv + html: what the topic-report function spends per report. */
  totalMs: number;
  usPerRow: number;
  ratioVsFirst: number;
}

const SIZES: Record<Scale, HistorySize[]> = {
  tiny: [
    { enquiries: 1_000, days: 90 },
    { enquiries: 10_000, days: 90 },
  ],
  quick: [1_000, 10_000, 100_000, 1_000_000].map((enquiries) => ({ enquiries, days: 90 })),
  full: [...[1_000, 10_000, 100_000, 1_000_000].map((enquiries) => ({ enquiries, days: 90 })), { enquiries: 1_000_000, days: 365 }],
};
// Builds take milliseconds: many repeats after a warm-up keep JIT and GC noise out of the median.
const REPEATS: Record<Scale, number> = { tiny: 1, quick: 15, full: 41 };

async function measure(size: HistorySize, repeats: number): Promise<Omit<ReportPoint, 'ratioVsFirst'>> {
  const generated = await timed(() => generateSyntheticHistory({ seed: 1823, days: size.days, dailyEnquiries: size.enquiries / size.days }));
  const { rows, to } = generated.value;
  const from = addDays(to, -6);
  const samples = { build: [] as number[], csv: [] as number[], html: [] as number[] };
  for (let i = -1; i < repeats; i++) {
    const built = await timed(() => buildTopicReport({ counters: rows, from, to, granularity: 'day' }));
    const csv = await timed(() => reportToCsv(built.value));
    const html = await timed(() => reportToHtml(built.value));
    if (i < 0) continue; // warm-up
    samples.build.push(built.ms);
    samples.csv.push(csv.ms);
    samples.html.push(html.ms);
  }
  const buildMs = median(samples.build);
  const csvMs = median(samples.csv);
  const htmlMs = median(samples.html);
  const totalMs = buildMs + csvMs + htmlMs;
  return {
    ...size,
    rows: rows.length,
    generateMs: round(generated.ms, 1),
    buildMs: round(buildMs, 2),
    csvMs: round(csvMs, 2),
    htmlMs: round(htmlMs, 2),
    totalMs: round(totalMs, 2),
    usPerRow: sig((1000 * totalMs) / Math.max(1, rows.length), 3),
  };
}

export async function benchReports(options: BenchOptions): Promise<{ tables: Table[]; data: { points: ReportPoint[] } }> {
  const measured: Omit<ReportPoint, 'ratioVsFirst'>[] = [];
  for (const size of SIZES[options.scale]) measured.push(await measure(size, REPEATS[options.scale]));
  const first = measured[0]?.totalMs ?? 1;
  const points = measured.map((p) => ({ ...p, ratioVsFirst: round(p.totalMs / first, 2) }));
  return { tables: [reportsTable(points)], data: { points } };
}

function reportsTable(points: ReportPoint[]): Table {
  return {
    title: 'Topic report vs history size (7-day daily report, 28-day spike baseline)',
    columns: ['enquiries', 'days of history', 'counter rows', 'build ms', 'CSV ms', 'HTML ms', 'total ms', 'µs per row', 'total vs 1k', 'generate history ms'],
    rows: points.map((p) => [p.enquiries.toLocaleString('en'), p.days, p.rows, p.buildMs, p.csvMs, p.htmlMs, p.totalMs, p.usPerRow, `${p.ratioVsFirst}×`, p.generateMs]),
    notes: ['history from the seeded synthetic-history generator (aggregate rows, as RecordOutcome writes them); medians of repeated builds'],
  };
}
