import { stringify, type Options } from 'csv-stringify/sync';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import { DISTRICTS } from '../../vocabulary/districts.ts';
import { UNKNOWN_DISTRICT } from './counters.ts';
import type { TopicReport, TopicRow } from './report.ts';
import type { Spike } from './spikes.ts';
import { openIncidentsByTopic, type OpenIncidentRow } from '../incidents/report.ts';

/**
 * RFC 4180 CSV for supervisors' spreadsheets, written by csv-stringify: CRLF line endings, fields quoted when
 * they hold a comma, quote, CR or LF, embedded quotes doubled, and a UTF-8 byte order mark so Excel reads
 * Chinese as UTF-8 instead of the system code page.
 */

export const UTF8_BOM = '\uFEFF';

/** Display names per topic id; the taxonomy (layers/knowledge) supplies them, this module does not own it. */
export type TopicNames = Readonly<Record<string, Readonly<{ en: string; zhHant: string }>>>;

export type CsvCell = string | number | boolean | null | undefined;

const STRINGIFY_OPTIONS: Options = {
  record_delimiter: 'windows',
  // csv-stringify quotes a field holding the delimiter, the quote or the whole record delimiter (CRLF); a lone
  // CR or LF inside a field must be quoted too, or a spreadsheet starts a new row there.
  quoted_match: /[\r\n]/,
  // Its default writes true as "1" and false as "": keep the words.
  cast: { boolean: (value) => String(value) },
};

/** One field, quoted only when RFC 4180 requires it. */
export function csvField(value: CsvCell): string {
  return stringify([[value]], { ...STRINGIFY_OPTIONS, eof: false });
}

/** A whole CSV document: BOM, then each record on its own CRLF-terminated line. */
export function toCsv(records: readonly (readonly CsvCell[])[]): string {
  return stringify(records as CsvCell[][], { ...STRINGIFY_OPTIONS, bom: true });
}

/**
 * Spreadsheets run a cell starting with = + - @ (or tab/CR) as a formula. Names are text, so such a
 * leading character is neutralised with an apostrophe (OWASP's CSV-injection advice); numbers are not.
 */
export function spreadsheetSafeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export const REPORT_CSV_HEADER = [
  'topic_id',
  'topic_name_en',
  'topic_name_zh_hant',
  'department',
  ...LANGUAGES.map((language) => `count_${language}`),
  'count',
  'previous_count',
  'change',
  'change_pct',
  'acceptance_rate',
  'unchanged_rate',
  'median_minutes_to_decision',
  'spike',
  'p_value',
  'conditional_p_value',
  'corrected_in',
  'cross_departmental',
  'cross_departmental_share',
  'ai_decided',
  'ai_corrected',
  'correction_rate',
  'top_confusions',
  'open_incidents',
  'open_incident_reports',
  'open_incident_places',
] as const;

function fixed(value: number | null, digits: number): string {
  return value === null ? '' : value.toFixed(digits);
}

/** Exponent form keeps tiny p-values readable; a p-value that underflowed to 0 is written as 0. */
function pValueText(value: number | undefined): string {
  return value === undefined ? '' : value.toExponential(3);
}

/** One row per topic, busiest first, with its language breakdown, change, acceptance and any spike. */
export function reportToCsv(report: TopicReport, options: { topicNames?: TopicNames } = {}): string {
  const spikeByTopic = new Map<string, Spike>();
  for (const spike of report.spikes) {
    // With topic × department spikes a topic can have several; its row shows the most significant.
    const seen = spikeByTopic.get(spike.topic);
    if (!seen || spike.log10PValue < seen.log10PValue) spikeByTopic.set(spike.topic, spike);
  }
  const incidents = openIncidentsByTopic(report.openIncidents);
  const rows = report.byTopic.map((topic) => {
    const names = options.topicNames?.[topic.topic];
    const spike = spikeByTopic.get(topic.topic);
    return [
      topic.topic,
      spreadsheetSafeText(names?.en ?? ''),
      spreadsheetSafeText(names?.zhHant ?? ''),
      topic.department,
      ...LANGUAGES.map((language) => topic.byLanguage[language]),
      topic.count,
      topic.previousCount,
      topic.change,
      fixed(topic.changePct, 1),
      fixed(topic.acceptance.acceptanceRate, 4),
      fixed(topic.acceptance.unchangedRate, 4),
      fixed(topic.medianMinutesToDecision, 1),
      spike ? 'yes' : 'no',
      pValueText(spike?.pValue),
      pValueText(spike?.conditionalPValue),
      topic.correctedIn,
      topic.crossDepartmental,
      fixed(topic.crossDepartmentalShare, 4),
      ...correctionCells(topic.correction),
      ...incidentCells(incidents.get(topic.topic)),
    ];
  });
  // AI topics agents moved everything out of have no row of their own: they still get their correction figures.
  const listed = new Set(report.byTopic.map((row) => row.topic));
  const aiOnly = (report.corrections?.byAiTopic ?? [])
    .filter((row) => !listed.has(row.topic))
    .map((row) => {
      const names = options.topicNames?.[row.topic];
      return [
        row.topic,
        spreadsheetSafeText(names?.en ?? ''),
        spreadsheetSafeText(names?.zhHant ?? ''),
        '',
        ...LANGUAGES.map(() => 0),
        0,
        0,
        0,
        '',
        '',
        '',
        '',
        'no',
        '',
        '',
        0,
        0,
        '',
        ...correctionCells(row),
        ...incidentCells(incidents.get(row.topic)),
      ];
    });
  // Topics with open incidents but nothing counted yet (reports still awaiting review) get a row for them.
  const counted = new Set([...listed, ...aiOnly.map((row) => String(row[0]))]);
  const incidentOnly = [...incidents.entries()]
    .filter(([topic]) => !counted.has(topic))
    .map(([topic, open]) => {
      const names = options.topicNames?.[topic];
      const blank = REPORT_CSV_HEADER.length - 3 - 3;
      return [topic, spreadsheetSafeText(names?.en ?? ''), spreadsheetSafeText(names?.zhHant ?? ''), ...Array<CsvCell>(blank).fill(''), ...incidentCells(open)];
    });
  return toCsv([REPORT_CSV_HEADER, ...rows, ...aiOnly, ...incidentOnly]);
}

/** Open incidents of a topic: how many, their reports, and "place (district): reports" pairs separated by "; ". */
function incidentCells(open: OpenIncidentRow[] | undefined): CsvCell[] {
  if (!open) return [0, 0, ''];
  return [
    open.length,
    open.reduce((sum, row) => sum + row.reports, 0),
    spreadsheetSafeText(open.map((row) => `${row.place.en} (${DISTRICTS[row.district].en}): ${row.reports}`).join('; ')),
  ];
}

/** decided, corrected, rate and "agent_topic:count" pairs separated by "; ". */
function correctionCells(correction: TopicRow['correction'] | undefined): CsvCell[] {
  if (!correction) return [0, 0, '', ''];
  return [
    correction.decided,
    correction.corrected,
    fixed(correction.correctionRate, 4),
    correction.topConfusions.map((c) => `${c.agentTopic}:${c.count}`).join('; '),
  ];
}

export const DISTRICT_CSV_HEADER = [
  'district_id',
  'district_name_en',
  'district_name_zh_hant',
  'topic_id',
  'topic_name_en',
  'topic_name_zh_hant',
  'count',
  'previous_count',
  'change',
  'change_pct',
  'spike',
  'p_value',
  'conditional_p_value',
] as const;

/**
 * Counts by district × topic for the period, busiest first: one row per pair with enquiries in the period
 * or the previous one, with any district spike. `unknown` is enquiries naming no place, or a place in
 * several districts. District ids and names only: no place or address is ever in a counter.
 */
export function reportToDistrictCsv(report: TopicReport, options: { topicNames?: TopicNames } = {}): string {
  const spikes = new Map(report.districtSpikes.map((spike) => [`${spike.district ?? ''}#${spike.topic}`, spike]));
  const rows = report.districts.cells.map((cell) => {
    const names = options.topicNames?.[cell.topic];
    const district = cell.district === UNKNOWN_DISTRICT ? undefined : DISTRICTS[cell.district];
    const spike = spikes.get(`${cell.district}#${cell.topic}`);
    return [
      cell.district,
      district?.en ?? '',
      district?.['zh-Hant'] ?? '',
      cell.topic,
      spreadsheetSafeText(names?.en ?? ''),
      spreadsheetSafeText(names?.zhHant ?? ''),
      cell.count,
      cell.previousCount,
      cell.change,
      fixed(cell.changePct, 1),
      spike ? 'yes' : 'no',
      pValueText(spike?.pValue),
      pValueText(spike?.conditionalPValue),
    ];
  });
  return toCsv([DISTRICT_CSV_HEADER, ...rows]);
}
