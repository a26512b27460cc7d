import { ValidationError, type FieldProblem } from '../errors.ts';
import { LANGUAGES, type Language } from '../../vocabulary/languages.ts';
import type { DepartmentId, TopicId } from '../../vocabulary/topics.ts';
import { DISTRICT_IDS } from '../../vocabulary/districts.ts';
import {
  DECISION_MINUTE_BOUNDS,
  UNKNOWN_DISTRICT,
  addCounterValuesInto,
  addDays,
  daysBetween,
  emptyCounterValues,
  isDay,
  weekStartOf,
  type CounterDistrict,
  type CounterValues,
  type HongKongDay,
  type TopicCounterRow,
} from './counters.ts';
import { detectHourlySurges, detectSpikes, resolveSpikeOptions, type HourlySurge, type Spike, type SpikeOptions } from './spikes.ts';
import { buildTrendContext, type TrendContext } from './trend-context.ts';

export { aggregateCounters } from './counters.ts';
import type { OpenIncidents } from '../incidents/report.ts';

/**
 * A supervisor's topic trend report for a period, built from aggregate counter rows only: one pass over
 * the rows of the period, the previous period and the spike baseline, never a scan of enquiries.
 */

export type Granularity = 'day' | 'week';
export const DEFAULT_SERIES_TOPICS = 5;

export interface TopicReportInput {
  /** Counter rows covering the period, the previous period and the spike baseline; other days are ignored. */
  counters: readonly TopicCounterRow[];
  from: HongKongDay;
  to: HongKongDay;
  granularity: Granularity;
  /** Trailing days of spike baseline before `from` (default 28). */
  baselineDays?: number;
  /** How many of the busiest topics get a time series (default 5). */
  seriesTopics?: number;
  spikeOptions?: Partial<Omit<SpikeOptions, 'baselineDays'>>;
}

export interface PeriodRange {
  from: HongKongDay;
  to: HongKongDay;
  days: number;
}

export interface CountComparison {
  count: number;
  previousCount: number;
  change: number;
  /** Percent change vs the previous period; null when the previous period had none (new). */
  changePct: number | null;
}

export interface Acceptance {
  approvedUnchanged: number;
  edited: number;
  rejected: number;
  /** Decided drafts: approvedUnchanged + edited + rejected. */
  total: number;
  /** (approvedUnchanged + edited) / total; null when nothing was decided. */
  acceptanceRate: number | null;
  /** approvedUnchanged / total; null when nothing was decided. */
  unchangedRate: number | null;
}

export interface TopicAcceptance extends Acceptance {
  topic: TopicId;
}

/** The counters a report shows as totals (the same fields RecordOutcome counts). */
export interface Totals extends CountComparison, Pick<CounterValues, 'received' | 'approved' | 'edited' | 'rejected' | 'needsManual' | 'degraded' | 'smsSent'> {
  acceptance: Acceptance;
}

export interface TopicRow extends CountComparison {
  topic: TopicId;
  /** The department that received most of the topic's calls in the period (or the previous one). */
  department: DepartmentId;
  byLanguage: Record<Language, number>;
  acceptance: Acceptance;
  medianMinutesToDecision: number | null;
  degradedShare: number | null;
  needsManualShare: number | null;
  /** Decided enquiries agents moved into this topic from another AI topic. */
  correctedIn: number;
  /** Decided enquiries also involving other departments, and their share of the decided ones. */
  crossDepartmental: number;
  crossDepartmentalShare: number | null;
  /** This topic as the AI's answer: how often agents changed it (see TopicReport.corrections). */
  correction: TopicCorrection;
}

/** One AI topic: decided enquiries the AI put there, how many agents moved elsewhere, and where to. */
export interface TopicCorrection {
  /** Decided enquiries the AI gave this topic. */
  decided: number;
  /** Of those, the ones an agent changed to another topic. */
  corrected: number;
  /** corrected / decided; null when nothing the AI put here was decided. */
  correctionRate: number | null;
  /** Where agents moved them, most frequent first (at most 3). */
  topConfusions: { agentTopic: TopicId; count: number }[];
}

export interface Confusion {
  aiTopic: TopicId;
  agentTopic: TopicId;
  count: number;
  /** count / decided enquiries the AI gave aiTopic. */
  shareOfAiTopic: number;
}

/** How agents corrected the AI in the period (decided enquiries only). */
export interface Corrections {
  decided: number;
  corrected: number;
  correctionRate: number | null;
  crossDepartmental: number;
  crossDepartmentalShare: number | null;
  /** Per AI topic, most corrected first (then by volume): includes topics agents moved everything out of. */
  byAiTopic: ({ topic: TopicId } & TopicCorrection)[];
  /** The most frequent AI topic → agent topic changes, most frequent first. */
  topConfusions: Confusion[];
}

export interface DepartmentRow extends CountComparison {
  department: DepartmentId;
}

export interface LanguageRow extends CountComparison {
  language: Language;
  /** Share of the period's enquiries; null when there were none. */
  share: number | null;
}

export interface DistrictTopicCount {
  topic: TopicId;
  count: number;
}

export interface DistrictRow extends CountComparison {
  district: CounterDistrict;
  /** Share of the period's enquiries; null when there were none. */
  share: number | null;
  /** The district's busiest topics in the period (at most DISTRICT_TOP_TOPICS), busiest first. */
  topTopics: DistrictTopicCount[];
}

export interface DistrictTopicCell extends CountComparison {
  district: CounterDistrict;
  topic: TopicId;
}

/** Counts by district: the 18 districts of Hong Kong and `unknown` (no place named, or one in several districts). */
export interface DistrictBreakdown {
  /** Every one of the 18 districts in DISTRICT_IDS order (zero counts included, so a map has every tile), then unknown. */
  byDistrict: DistrictRow[];
  /** District × topic counts with any calls in the period or the previous one, busiest first. */
  cells: DistrictTopicCell[];
  /** Share of the period's enquiries whose district is known; null when there were none. */
  locatedShare: number | null;
}

export interface SeriesBucket {
  /** First day of the bucket: the day itself, or the Monday of the week. */
  start: HongKongDay;
  /** Last day of the bucket (a Sunday for weeks). */
  end: HongKongDay;
  /** Days of the bucket inside the period: fewer than 7 for a week cut by the period's ends. */
  daysInPeriod: number;
}

export interface TopicSeries {
  topic: TopicId;
  counts: number[];
}

export interface TopicReport {
  period: PeriodRange;
  previousPeriod: PeriodRange;
  granularity: Granularity;
  totals: Totals;
  /** Busiest first. */
  byTopic: TopicRow[];
  byDepartment: DepartmentRow[];
  byLanguage: LanguageRow[];
  series: { buckets: SeriesBucket[]; topics: TopicSeries[] };
  /** The chart's context: spike baseline + period with expected bands, and the surge day by hour when a spike is flagged. */
  context: TrendContext;
  spikes: Spike[];
  /** Single hours far above their usual count, in the period (may hide in a day total that is no spike). */
  hourlySurges: HourlySurge[];
  /** Counts by district and district × topic, with each district's top topics. */
  districts: DistrictBreakdown;
  /** Spikes per district × topic (groupBy 'topic-district': Bonferroni over the district × topic family). */
  districtSpikes: Spike[];
  /** Hourly surges per district × topic. */
  districtHourlySurges: HourlySurge[];
  /** The settings the spikes were detected with, so an alarm can be explained. */
  spikeSettings: SpikeOptions;
  /** Per topic, in byTopic order. */
  acceptance: TopicAcceptance[];
  /** Estimated from the summed histogram; null when nothing was decided. */
  medianMinutesToDecision: number | null;
  degradedShare: number | null;
  needsManualShare: number | null;
  /** Correction rate, confusions and cross-departmental share (from the agent-confirmed topics). */
  corrections: Corrections;
  /** Incidents open when the report was generated, with their report counts (absent when built from counters alone). */
  openIncidents?: OpenIncidents;
}

export const TOP_CONFUSIONS = 10;
export const DISTRICT_TOP_TOPICS = 3;
const TOPIC_CONFUSIONS = 3;

interface TopicAccumulator {
  current: CounterValues;
  previousCount: number;
  /** Calls per department in the period, then in the previous period (to name a topic that fell to 0). */
  departmentCounts: Map<DepartmentId, number>;
  previousDepartmentCounts: Map<DepartmentId, number>;
  byLanguage: Record<Language, number>;
  series: number[];
}

export function buildTopicReport(input: TopicReportInput): TopicReport {
  validateInput(input);
  const { from, to, granularity } = input;
  const days = daysBetween(from, to) + 1;
  const previousPeriod: PeriodRange = { from: addDays(from, -days), to: addDays(from, -1), days };
  const { buckets, bucketOfDay } = seriesBuckets(from, to, granularity);
  const spikeSettings = resolveSpikeOptions({ ...input.spikeOptions, baselineDays: input.baselineDays });

  const totals = emptyCounterValues();
  let previousTotal = 0;
  const topics = new Map<TopicId, TopicAccumulator>();
  const departments = new Map<DepartmentId, { count: number; previousCount: number }>();
  const languages = new Map<Language, { count: number; previousCount: number }>(LANGUAGES.map((l) => [l, { count: 0, previousCount: 0 }]));
  /** AI topic → agent topic → decided enquiries, in the period. */
  const confusions = new Map<TopicId, Map<TopicId, number>>();
  /** `district#topic` → counts in the period and the previous one. */
  const districtTopics = new Map<string, DistrictTopicCell>();

  for (const row of input.counters) {
    const inPeriod = row.day >= from && row.day <= to;
    const inPrevious = row.day >= previousPeriod.from && row.day <= previousPeriod.to;
    if (!inPeriod && !inPrevious) continue;
    const topic = topicAccumulator(topics, row.topic, buckets.length);
    const department = getOrCreate(departments, row.department, () => ({ count: 0, previousCount: 0 }));
    const language = getOrCreate(languages, row.language, () => ({ count: 0, previousCount: 0 }));
    const cell = getOrCreate(districtTopics, `${row.district}#${row.topic}`, () => ({ district: row.district, topic: row.topic, count: 0, previousCount: 0, change: 0, changePct: null }));
    if (inPeriod) cell.count += row.received;
    else cell.previousCount += row.received;
    const departmentCounts = inPeriod ? topic.departmentCounts : topic.previousDepartmentCounts;
    departmentCounts.set(row.department, (departmentCounts.get(row.department) ?? 0) + row.received);
    if (inPeriod) {
      for (const aiTopic in row.aiTopics) {
        const count = row.aiTopics[aiTopic as TopicId] ?? 0;
        if (count === 0) continue;
        const pairs = getOrCreate(confusions, aiTopic as TopicId, () => new Map<TopicId, number>());
        pairs.set(row.topic, (pairs.get(row.topic) ?? 0) + count);
      }
      addCounterValuesInto(totals, row);
      addCounterValuesInto(topic.current, row);
      topic.byLanguage[row.language] += row.received;
      const bucket = bucketOfDay.get(row.day) ?? 0;
      topic.series[bucket] = (topic.series[bucket] ?? 0) + row.received;
      department.count += row.received;
      language.count += row.received;
    } else {
      previousTotal += row.received;
      topic.previousCount += row.received;
      department.previousCount += row.received;
      language.previousCount += row.received;
    }
  }

  const byTopic = [...topics.entries()]
    .map(([topic, acc]) => topicRow(topic, acc, correctionOf(topic, confusions)))
    .filter((row) => row.count > 0 || row.previousCount > 0)
    .sort((a, b) => b.count - a.count || b.previousCount - a.previousCount || a.topic.localeCompare(b.topic));
  const seriesTopicCount = input.seriesTopics ?? DEFAULT_SERIES_TOPICS;
  const seriesTopics = byTopic
    .filter((row) => row.count > 0)
    .slice(0, seriesTopicCount)
    .map((row) => ({ topic: row.topic, counts: topics.get(row.topic)?.series ?? [] }));

  const spikes = detectSpikes({ ...spikeSettings, counters: input.counters, from, to });
  const hourlySurges = detectHourlySurges({ ...spikeSettings, counters: input.counters, from, to });
  const districtSpikes = detectSpikes({ ...spikeSettings, groupBy: 'topic-district', counters: input.counters, from, to });
  const districtHourlySurges = detectHourlySurges({ ...spikeSettings, groupBy: 'topic-district', counters: input.counters, from, to });
  const context = buildTrendContext({
    counters: input.counters,
    from,
    to,
    granularity,
    periodBuckets: buckets,
    settings: spikeSettings,
    spikes,
    hourlySurges,
    topics: seriesTopics.map((series) => series.topic),
    maxTopics: seriesTopicCount,
  });

  return {
    period: { from, to, days },
    previousPeriod,
    granularity,
    totals: {
      ...comparison(totals.received, previousTotal),
      received: totals.received,
      approved: totals.approved,
      edited: totals.edited,
      rejected: totals.rejected,
      needsManual: totals.needsManual,
      degraded: totals.degraded,
      smsSent: totals.smsSent,
      acceptance: acceptanceOf(totals),
    },
    byTopic,
    byDepartment: [...departments.entries()]
      .map(([department, c]) => ({ department, ...comparison(c.count, c.previousCount) }))
      .filter((row) => row.count > 0 || row.previousCount > 0)
      .sort((a, b) => b.count - a.count || a.department.localeCompare(b.department)),
    byLanguage: LANGUAGES.map((language) => {
      const c = languages.get(language) ?? { count: 0, previousCount: 0 };
      return { language, ...comparison(c.count, c.previousCount), share: ratioOrNull(c.count, totals.received) };
    }),
    series: { buckets, topics: seriesTopics },
    context,
    spikes,
    hourlySurges,
    districts: districtBreakdown(districtTopics.values(), totals.received),
    districtSpikes,
    districtHourlySurges,
    spikeSettings,
    acceptance: byTopic.map((row) => ({ topic: row.topic, ...row.acceptance })),
    medianMinutesToDecision: medianMinutesFromHistogram(totals.decisionMinutesHistogram),
    degradedShare: ratioOrNull(totals.degraded, totals.received),
    needsManualShare: ratioOrNull(totals.needsManual, totals.received),
    corrections: correctionsOf(totals, confusions),
  };
}

function districtBreakdown(cells: Iterable<DistrictTopicCell>, total: number): DistrictBreakdown {
  const rows = new Map<CounterDistrict, { count: number; previousCount: number; topics: DistrictTopicCount[] }>();
  for (const district of [...DISTRICT_IDS, UNKNOWN_DISTRICT]) rows.set(district, { count: 0, previousCount: 0, topics: [] });
  const listed: DistrictTopicCell[] = [];
  for (const cell of cells) {
    if (cell.count === 0 && cell.previousCount === 0) continue;
    listed.push({ ...cell, ...comparison(cell.count, cell.previousCount) });
    const row = getOrCreate(rows, cell.district, () => ({ count: 0, previousCount: 0, topics: [] }));
    row.count += cell.count;
    row.previousCount += cell.previousCount;
    if (cell.count > 0) row.topics.push({ topic: cell.topic, count: cell.count });
  }
  const located = [...rows].filter(([district]) => district !== UNKNOWN_DISTRICT).reduce((sum, [, row]) => sum + row.count, 0);
  return {
    byDistrict: [...rows].map(([district, row]) => ({
      district,
      ...comparison(row.count, row.previousCount),
      share: ratioOrNull(row.count, total),
      topTopics: row.topics.sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic)).slice(0, DISTRICT_TOP_TOPICS),
    })),
    cells: listed.sort((a, b) => b.count - a.count || b.previousCount - a.previousCount || a.district.localeCompare(b.district) || a.topic.localeCompare(b.topic)),
    locatedShare: ratioOrNull(located, total),
  };
}

function correctionOf(aiTopic: TopicId, confusions: Map<TopicId, Map<TopicId, number>>): TopicCorrection {
  const pairs = confusions.get(aiTopic) ?? new Map<TopicId, number>();
  let decided = 0;
  for (const count of pairs.values()) decided += count;
  const moved = [...pairs.entries()]
    .filter(([agentTopic]) => agentTopic !== aiTopic)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const corrected = moved.reduce((sum, [, count]) => sum + count, 0);
  return {
    decided,
    corrected,
    correctionRate: ratioOrNull(corrected, decided),
    topConfusions: moved.slice(0, TOPIC_CONFUSIONS).map(([agentTopic, count]) => ({ agentTopic, count })),
  };
}

function correctionsOf(totals: CounterValues, confusions: Map<TopicId, Map<TopicId, number>>): Corrections {
  const byAiTopic = [...confusions.keys()]
    .map((topic) => ({ topic, ...correctionOf(topic, confusions) }))
    .filter((row) => row.decided > 0)
    .sort((a, b) => (b.correctionRate ?? 0) - (a.correctionRate ?? 0) || b.corrected - a.corrected || b.decided - a.decided || a.topic.localeCompare(b.topic));
  const decided = byAiTopic.reduce((sum, row) => sum + row.decided, 0);
  const corrected = byAiTopic.reduce((sum, row) => sum + row.corrected, 0);
  const pairs: Confusion[] = [];
  for (const [aiTopic, agentTopics] of confusions) {
    const aiDecided = [...agentTopics.values()].reduce((sum, count) => sum + count, 0);
    for (const [agentTopic, count] of agentTopics) {
      if (agentTopic !== aiTopic && count > 0) pairs.push({ aiTopic, agentTopic, count, shareOfAiTopic: count / aiDecided });
    }
  }
  pairs.sort((a, b) => b.count - a.count || a.aiTopic.localeCompare(b.aiTopic) || a.agentTopic.localeCompare(b.agentTopic));
  const totalDecided = totals.approved + totals.edited + totals.rejected;
  return {
    decided,
    corrected,
    correctionRate: ratioOrNull(corrected, decided),
    crossDepartmental: totals.crossDepartmental,
    crossDepartmentalShare: ratioOrNull(totals.crossDepartmental, totalDecided),
    byAiTopic,
    topConfusions: pairs.slice(0, TOP_CONFUSIONS),
  };
}

function validateInput(input: TopicReportInput): void {
  const problems: FieldProblem[] = [];
  if (!isDay(input.from)) problems.push({ field: 'from', problem: 'must be a YYYY-MM-DD date' });
  if (!isDay(input.to)) problems.push({ field: 'to', problem: 'must be a YYYY-MM-DD date' });
  if (problems.length === 0 && input.to < input.from) problems.push({ field: 'to', problem: 'must not be before from' });
  if (input.granularity !== 'day' && input.granularity !== 'week') problems.push({ field: 'granularity', problem: 'must be day or week' });
  const baselineDays = input.baselineDays;
  if (baselineDays !== undefined && !(Number.isInteger(baselineDays) && baselineDays >= 1)) {
    problems.push({ field: 'baselineDays', problem: 'must be a whole number of days, at least 1' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

function topicAccumulator(topics: Map<TopicId, TopicAccumulator>, topic: TopicId, bucketCount: number): TopicAccumulator {
  return getOrCreate(topics, topic, () => ({
    current: emptyCounterValues(),
    previousCount: 0,
    departmentCounts: new Map(),
    previousDepartmentCounts: new Map(),
    byLanguage: Object.fromEntries(LANGUAGES.map((language) => [language, 0])) as Record<Language, number>,
    series: new Array<number>(bucketCount).fill(0),
  }));
}

function topicRow(topic: TopicId, acc: TopicAccumulator, correction: TopicCorrection): TopicRow {
  const { current } = acc;
  const decided = current.approved + current.edited + current.rejected;
  return {
    topic,
    department: mostFrequent(current.received > 0 || acc.previousDepartmentCounts.size === 0 ? acc.departmentCounts : acc.previousDepartmentCounts),
    ...comparison(current.received, acc.previousCount),
    byLanguage: acc.byLanguage,
    acceptance: acceptanceOf(current),
    medianMinutesToDecision: medianMinutesFromHistogram(current.decisionMinutesHistogram),
    degradedShare: ratioOrNull(current.degraded, current.received),
    needsManualShare: ratioOrNull(current.needsManual, current.received),
    correctedIn: current.corrected,
    crossDepartmental: current.crossDepartmental,
    crossDepartmentalShare: ratioOrNull(current.crossDepartmental, decided),
    correction,
  };
}

function mostFrequent<K extends string>(counts: Map<K, number>): K {
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const first = ranked[0];
  // Rows only exist for topics seen in one of the periods, so there is always a department.
  if (!first) throw new Error('a topic row always has at least one department');
  return first[0];
}

export function comparison(count: number, previousCount: number): CountComparison {
  const change = count - previousCount;
  let changePct: number | null;
  if (previousCount === 0) changePct = count === 0 ? 0 : null;
  else changePct = (100 * change) / previousCount;
  return { count, previousCount, change, changePct };
}

function ratioOrNull(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Acceptance of drafts among decided ones; enquiries that went to manual handling had no draft to judge. */
export function acceptanceOf(values: Pick<CounterValues, 'approved' | 'edited' | 'rejected'>): Acceptance {
  const total = values.approved + values.edited + values.rejected;
  return {
    approvedUnchanged: values.approved,
    edited: values.edited,
    rejected: values.rejected,
    total,
    acceptanceRate: ratioOrNull(values.approved + values.edited, total),
    unchangedRate: ratioOrNull(values.approved, total),
  };
}

/**
 * The q-quantile (0..1) of decision minutes estimated from the bucket counts: find the bucket holding the
 * q·n-th decision and interpolate linearly inside it, assuming decisions spread evenly across the bucket.
 * The last bucket is open-ended, so a quantile falling there is reported as its lower bound (a floor).
 */
export function quantileMinutesFromHistogram(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return null;
  const target = q * total;
  let cumulative = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count > 0 && cumulative + count >= target) {
      const lower = i === 0 ? 0 : (DECISION_MINUTE_BOUNDS[i - 1] ?? 0);
      const upper = DECISION_MINUTE_BOUNDS[i];
      if (upper === undefined) return lower;
      return lower + ((target - cumulative) / count) * (upper - lower);
    }
    cumulative += count;
  }
  return DECISION_MINUTE_BOUNDS[DECISION_MINUTE_BOUNDS.length - 1] ?? null;
}

export function medianMinutesFromHistogram(histogram: readonly number[]): number | null {
  return quantileMinutesFromHistogram(histogram, 0.5);
}

function seriesBuckets(from: HongKongDay, to: HongKongDay, granularity: Granularity): { buckets: SeriesBucket[]; bucketOfDay: Map<HongKongDay, number> } {
  const buckets: SeriesBucket[] = [];
  const bucketOfDay = new Map<HongKongDay, number>();
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const start = granularity === 'week' ? weekStartOf(day) : day;
    let last = buckets[buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, end: granularity === 'week' ? addDays(start, 6) : day, daysInPeriod: 0 };
      buckets.push(last);
    }
    last.daysInPeriod += 1;
    bucketOfDay.set(day, buckets.length - 1);
  }
  return { buckets, bucketOfDay };
}
