import { REPORT_FORMATS, ReportQuerySchema, type ReportFormat, type ReportQuery } from '../../../events/reports.ts';
import { parseOrThrow } from '../validation.ts';
import type { Clock } from '../../ports/clock.ts';
import type { CounterSource, ReportStore, SpikeNotifier } from '../../ports/reports.ts';
import { addDays, daysBetween, hongKongDay, weekStartOf } from './counters.ts';
import { reportToCsv, reportToDistrictCsv, type TopicNames } from './csv.ts';
import { reportToHtml } from './html.ts';
import { buildTopicReport, type TopicReport } from './report.ts';
import { DEFAULT_SPIKE_OPTIONS } from './spikes.ts';
import { openIncidentsAt, type OpenIncidentSource } from '../incidents/report.ts';

/** Days of spike baseline a report reads before its period (the spike test's own default). */
export const BASELINE_DAYS = DEFAULT_SPIKE_OPTIONS.baselineDays;

/** Yesterday (daily) or last Monday–Sunday (weekly), in Hong Kong dates. */
export function scheduledPeriod(schedule: 'daily' | 'weekly', now: Date): { from: string; to: string; granularity: 'day' | 'week' } {
  const today = hongKongDay(now.toISOString());
  if (schedule === 'daily') {
    const yesterday = addDays(today, -1);
    return { from: yesterday, to: yesterday, granularity: 'day' };
  }
  const lastMonday = addDays(weekStartOf(today), -7);
  return { from: lastMonday, to: addDays(lastMonday, 6), granularity: 'week' };
}

/** Reads just the counter rows a report needs: the period, the previous period and the spike baseline. */
export async function buildReport(
  query: Pick<ReportQuery, 'from' | 'to' | 'granularity'>,
  counters: CounterSource,
  incidents?: { source: OpenIncidentSource; now: Date },
): Promise<TopicReport> {
  const days = daysBetween(query.from, query.to) + 1;
  const earliest = addDays(query.from, -Math.max(days, BASELINE_DAYS));
  const [rows, openIncidents] = await Promise.all([counters.rows(earliest, query.to), incidents ? openIncidentsAt(incidents.source, incidents.now) : undefined]);
  const report = buildTopicReport({ counters: rows, from: query.from, to: query.to, granularity: query.granularity, baselineDays: BASELINE_DAYS });
  return openIncidents ? { ...report, openIncidents } : report;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  'district-csv': 'text/csv; charset=utf-8',
};
/** How each format's file name ends in the reports bucket. */
export const REPORT_FILE_SUFFIXES: Record<ReportFormat, string> = { json: '.json', csv: '.csv', html: '.html', 'district-csv': '.districts.csv' };

export function renderReport(report: TopicReport, format: ReportFormat, options: { topicNames?: TopicNames; generatedAt?: string }) {
  const names = options.topicNames ? { topicNames: options.topicNames } : {};
  const body =
    format === 'json'
      ? JSON.stringify(report)
      : format === 'csv'
        ? reportToCsv(report, names)
        : format === 'district-csv'
          ? reportToDistrictCsv(report, names)
          : reportToHtml(report, options);
  return { contentType: CONTENT_TYPES[format], body };
}

export interface PublishReportDeps {
  counters: CounterSource;
  store: ReportStore;
  notifier: SpikeNotifier;
  clock: Clock;
  topicNames?: TopicNames;
  /** Open incidents for the report (the Enquiry table's incident items). */
  incidents?: OpenIncidentSource;
}

/** The scheduled (or on-demand) run: builds the report, stores JSON + CSV + HTML + district CSV, announces topic and district spikes. */
export async function publishTopicReport(
  query: Pick<ReportQuery, 'from' | 'to' | 'granularity'>,
  deps: PublishReportDeps,
): Promise<{ keys: string[]; spikes: number; districtSpikes: number; report: TopicReport }> {
  const now = deps.clock.now();
  const report = await buildReport(query, deps.counters, deps.incidents ? { source: deps.incidents, now } : undefined);
  const generatedAt = now.toISOString();
  const prefix = `reports/${query.granularity}/${query.from}_${query.to}`;
  const keys: string[] = [];
  for (const format of REPORT_FORMATS) {
    const { contentType, body } = renderReport(report, format, { ...(deps.topicNames ? { topicNames: deps.topicNames } : {}), generatedAt });
    const key = `${prefix}${REPORT_FILE_SUFFIXES[format]}`;
    await deps.store.put(key, body, contentType);
    keys.push(key);
  }
  const spikes = [...report.spikes, ...report.districtSpikes];
  if (spikes.length > 0) await deps.notifier.notify(spikes, { from: query.from, to: query.to });
  return { keys, spikes: report.spikes.length, districtSpikes: report.districtSpikes.length, report };
}

/** GET /reports/topics: validates the query, builds the report from counters, renders the asked format. */
export function topicReportResponder(counters: CounterSource, options: { topicNames?: TopicNames; clock: Clock; incidents?: OpenIncidentSource }) {
  return async (rawQuery: Record<string, string | undefined>) => {
    const query = parseOrThrow(ReportQuerySchema, rawQuery);
    const report = await buildReport(query, counters, options.incidents ? { source: options.incidents, now: options.clock.now() } : undefined);
    return renderReport(report, query.format, {
      ...(options.topicNames ? { topicNames: options.topicNames } : {}),
      generatedAt: options.clock.now().toISOString(),
    });
  };
}
