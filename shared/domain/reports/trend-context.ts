import type { TopicId } from '../../vocabulary/topics.ts';
import { addDays, daysBetween, type HongKongDay, type TopicCounterRow } from './counters.ts';
import { logPoissonUpperTail, type HourlySurge, type Spike, type SpikeOptions } from './spikes.ts';

/**
 * What the "top topics over time" chart needs to show a count in context rather than as a lone dot: the
 * spike baseline (the `baselineDays` before the period) and the period, in the report's buckets, with
 * each topic's expected band; and, when a surge is flagged, the surge day hour by hour.
 *
 * Expected band: the baseline daily mean λ exactly as spike detection computes it ((baseline calls +
 * prior) / days of history in the window), times the days in a bucket, and the central BAND_COVERAGE
 * Poisson interval around it: if nothing changed, about 99 buckets in 100 fall inside. A spike needs more
 * than leaving the band (Bonferroni over all topics, a minimum count and ratio: see spikes.ts), so the band
 * is context for the eye, the spike table is the verdict.
 */
export const BAND_COVERAGE = 0.99;
export const HOURS_PER_DAY = 24;

export interface ExpectedBand {
  mean: number;
  low: number;
  high: number;
}

export interface ContextBucket {
  start: HongKongDay;
  end: HongKongDay;
  days: number;
  /** In the report period (the rest is the baseline). */
  inPeriod: boolean;
}

export interface ContextTopic {
  topic: TopicId;
  counts: number[];
  /** Per bucket; null when the baseline has fewer days of history than spike detection needs. */
  expected: (ExpectedBand | null)[];
  spike: boolean;
}

export interface HourlyTopic {
  topic: TopicId;
  /** Calls received in each Hong Kong hour 0–23 of the surge day. */
  counts: number[];
  /** Calls of that day counted before hourly counters existed (no hour known): in no hour above. */
  unknownHour: number;
  expected: ExpectedBand[];
  /** hour-of-day: the baseline's own hourly shape; flat: λ / 24 (the baseline has too few hourly counters). */
  profile: 'hour-of-day' | 'flat';
  /** Hours whose count is above the band, busiest first. */
  surgeHours: number[];
}

export interface HourlyView {
  day: HongKongDay;
  topics: HourlyTopic[];
}

export interface TrendContext {
  granularity: 'day' | 'week';
  buckets: ContextBucket[];
  topics: ContextTopic[];
  /**
   * Present when the report flags a spike or an hourly surge and that day was counted by hour: the spiking
   * and surging topics on the period's busiest day for the most significant spike (else the surge's day).
   */
  hourly: HourlyView | null;
}

export interface TrendContextInput {
  counters: readonly TopicCounterRow[];
  from: HongKongDay;
  to: HongKongDay;
  granularity: 'day' | 'week';
  /** Period buckets as the report's series has them. */
  periodBuckets: readonly { start: HongKongDay; end: HongKongDay; daysInPeriod: number }[];
  settings: SpikeOptions;
  spikes: readonly Spike[];
  /** Hours far above their usual count (detectHourlySurges): they too bring the surge day by hour. */
  hourlySurges: readonly HourlySurge[];
  /** The report's busiest topics (its series); spiking topics come first, then these. */
  topics: readonly TopicId[];
  maxTopics: number;
}

/** Smallest k with P(X ≤ k) ≥ p for X ~ Poisson(mean) (binary search on the exact log-space tail). */
export function poissonQuantile(p: number, mean: number): number {
  if (mean <= 0) return 0;
  const cdf = (k: number) => (k < 0 ? 0 : 1 - Math.exp(logPoissonUpperTail(k + 1, mean)));
  let low = 0;
  let high = Math.ceil(mean + 12 * Math.sqrt(mean) + 12);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (cdf(middle) >= p) high = middle;
    else low = middle + 1;
  }
  return low;
}

export function expectedBand(mean: number, coverage = BAND_COVERAGE): ExpectedBand {
  const tail = (1 - coverage) / 2;
  return { mean, low: poissonQuantile(tail, mean), high: poissonQuantile(1 - tail, mean) };
}

export function buildTrendContext(input: TrendContextInput): TrendContext {
  const { from, to, settings } = input;
  const windowStart = addDays(from, -settings.baselineDays);
  const spiking = new Set(input.spikes.map((spike) => spike.topic));
  const topics = [...new Set([...input.spikes.map((spike) => spike.topic), ...input.topics])].slice(0, Math.max(input.maxTopics, spiking.size));

  const buckets: ContextBucket[] = [];
  const step = input.granularity === 'week' ? 7 : 1;
  for (let start = windowStart; start < from; start = addDays(start, step)) {
    const end = addDays(start, step - 1) < from ? addDays(start, step - 1) : addDays(from, -1);
    buckets.push({ start, end, days: daysBetween(start, end) + 1, inPeriod: false });
  }
  for (const bucket of input.periodBuckets) {
    const start = bucket.start < from ? from : bucket.start;
    const end = bucket.end > to ? to : bucket.end;
    buckets.push({ start, end, days: bucket.daysInPeriod, inPeriod: true });
  }
  const bucketOfDay = new Map<HongKongDay, number>();
  buckets.forEach((bucket, index) => {
    for (let day = bucket.start; day <= bucket.end; day = addDays(day, 1)) bucketOfDay.set(day, index);
  });

  let firstDay: HongKongDay | undefined;
  const counts = new Map<TopicId, number[]>(topics.map((topic) => [topic, new Array<number>(buckets.length).fill(0)]));
  const baselineCalls = new Map<TopicId, number>();
  for (const row of input.counters) {
    if (firstDay === undefined || row.day < firstDay) firstDay = row.day;
    const series = counts.get(row.topic);
    const bucket = bucketOfDay.get(row.day);
    if (!series || bucket === undefined) continue;
    series[bucket] = (series[bucket] ?? 0) + row.received;
    if (row.day < from) baselineCalls.set(row.topic, (baselineCalls.get(row.topic) ?? 0) + row.received);
  }
  // As spike detection: days before the first counted day are "no history", not zero calls.
  const historyStart = firstDay !== undefined && firstDay > windowStart ? firstDay : windowStart;
  const baselineDays = Math.min(settings.baselineDays, Math.max(0, daysBetween(historyStart, from)));
  const enoughHistory = baselineDays >= Math.max(1, settings.minBaselineDays);

  const contextTopics = topics.map((topic) => {
    const dailyMean = ((baselineCalls.get(topic) ?? 0) + settings.priorCount) / Math.max(1, baselineDays);
    return {
      topic,
      counts: counts.get(topic) ?? [],
      expected: buckets.map((bucket) => (enoughHistory ? expectedBand(dailyMean * bucket.days) : null)),
      spike: spiking.has(topic),
    };
  });

  return {
    granularity: input.granularity,
    buckets,
    topics: contextTopics,
    hourly:
      (input.spikes.length > 0 || input.hourlySurges.length > 0) && enoughHistory
        ? hourlyView(input, [...new Set([...spiking, ...input.hourlySurges.map((surge) => surge.topic)])], windowStart, baselineDays)
        : null,
  };
}

function hourlyView(input: TrendContextInput, topics: TopicId[], windowStart: HongKongDay, baselineDays: number): HourlyView | null {
  // The surge day: the period's busiest day for the most significant spike (the report day of a daily
  // report), or the day of the most significant hourly surge when no whole day was a spike.
  const first = input.spikes[0]?.topic;
  const byDay = new Map<HongKongDay, number>();
  for (const row of input.counters) {
    if (row.topic === first && row.day >= input.from && row.day <= input.to) byDay.set(row.day, (byDay.get(row.day) ?? 0) + row.received);
  }
  const day = [...byDay.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? input.hourlySurges[0]?.day ?? input.to;

  const views = new Map(topics.map((topic) => [topic, { counts: new Array<number>(HOURS_PER_DAY).fill(0), unknownHour: 0, baselineByHour: new Array<number>(HOURS_PER_DAY).fill(0), baselineHourly: 0, baselineAll: 0 }]));
  for (const row of input.counters) {
    const view = views.get(row.topic);
    if (!view) continue;
    if (row.day === day) {
      if (row.hour === undefined) view.unknownHour += row.received;
      else view.counts[row.hour] = (view.counts[row.hour] ?? 0) + row.received;
    } else if (row.day >= windowStart && row.day < input.from) {
      view.baselineAll += row.received;
      if (row.hour !== undefined) {
        view.baselineByHour[row.hour] = (view.baselineByHour[row.hour] ?? 0) + row.received;
        view.baselineHourly += row.received;
      }
    }
  }
  const prior = input.settings.priorCount;
  // Topics whose surge day was counted by hour; a day of whole-day rows only has no hourly shape to show.
  const counted = topics.filter((topic) => (views.get(topic)?.counts ?? []).some((count) => count > 0));
  if (counted.length === 0) return null;
  return {
    day,
    topics: counted.map((topic) => {
      const view = views.get(topic)!;
      // The baseline's hourly shape only when most of its calls were counted by hour (not legacy day rows).
      const profile: HourlyTopic['profile'] = view.baselineAll > 0 && view.baselineHourly >= 0.5 * view.baselineAll ? 'hour-of-day' : 'flat';
      const expected = view.counts.map((_, hour) => {
        const calls = profile === 'hour-of-day' ? (view.baselineByHour[hour] ?? 0) * (view.baselineAll / view.baselineHourly) : view.baselineAll / HOURS_PER_DAY;
        return expectedBand((calls + prior / HOURS_PER_DAY) / Math.max(1, baselineDays));
      });
      const surgeHours = view.counts
        .map((count, hour) => ({ hour, excess: count - (expected[hour]?.high ?? Infinity) }))
        .filter((h) => h.excess > 0)
        .sort((a, b) => b.excess - a.excess || a.hour - b.hour)
        .map((h) => h.hour);
      return { topic, counts: view.counts, unknownHour: view.unknownHour, expected, profile, surgeHours };
    }),
  };
}
