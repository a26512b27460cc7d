import type { DepartmentId, TopicId } from '../../vocabulary/topics.ts';
import type { DistrictId } from '../../vocabulary/districts.ts';
import { UNKNOWN_DISTRICT, addDays, daysBetween, type HongKongDay, type TopicCounterRow } from './counters.ts';

/**
 * # Spike detection: why did this alarm?
 *
 * A topic (or topic × department) is flagged as a spike for a period `from..to` (d days, inclusive) when
 * its count k in the period is far above what its own recent history predicts:
 *
 * 1. **Baseline.** The trailing window of `baselineDays` (default 28) days ending the day before `from`;
 *    the period itself is never part of its own baseline. Days before the first day present in the
 *    counters are treated as "no history" and shorten the window rather than counting as zero calls; with
 *    fewer than `minBaselineDays` (default 7) days of history nothing is tested.
 * 2. **Rate.** λ = (baseline count + `priorCount`) / baseline days, the mean daily count. The small prior
 *    (default 0.5 of a call over the whole window) keeps a topic that had no calls from having λ = 0, which
 *    would make any single call infinitely surprising.
 * 3. **Test.** Calls are modelled as Poisson: expected = λ·d and p = P(X ≥ k | X ~ Poisson(λ·d)), the
 *    chance of seeing at least this many calls if nothing had changed. It is computed exactly in log space
 *    (saddle-point log-pmf summed over the tail), accurate for k up to 10^6 and beyond.
 *    Because λ is itself estimated from a finite baseline, that plug-in p overstates significance when
 *    the period is not short next to the baseline (measured on flat synthetic Poisson series: weekly
 *    reports on small topics alarmed in ~0.6% of reports, six times the target). So an alarm also needs
 *    the exact conditional test for two Poisson counts to agree: given the n = k + b calls of the period
 *    and baseline (b over B days), each call falls in the period with probability d / (d + B) if the rate
 *    did not change, and `conditionalPValue` = P(Binomial(n, d/(d+B)) ≥ k). It accounts for the noise in
 *    the baseline and needs no prior; for a long baseline and a one-day period it is close to p.
 * 4. **Multiple testing.** A report tests every topic at once, so the significance level `alpha` (default
 *    0.001) is the family-wise rate for the whole report: Bonferroni divides it by m, the number of keys
 *    tested (those with any calls in the baseline or period), and each key needs both p-values below
 *    alpha / m. A report on a stable hotline therefore raises a false alarm in at most ~1 run in 1000.
 * 5. **Practical size.** A spike must also be worth a supervisor's time: k ≥ `minCount` (default 10), so a
 *    tiny topic going from 1 to 4 calls never alarms, and k ≥ `minRatio` (default 1.5) × expected, so a
 *    large topic 8% above its mean (statistically significant at thousands of calls, or just its busy
 *    weekday, since the baseline is a plain mean over all weekdays) does not alarm either. Real call counts
 *    are over-dispersed relative to Poisson (weather, news); the ratio rule is what absorbs that.
 *
 * 6. **Districts.** With `groupBy: 'topic-district'` the same test runs per district × topic: the key's
 *    baseline is that district's own history of the topic. The family is larger, and counted the same
 *    way: m = the district × topic pairs with any calls in the baseline or the period (at most 18 × 36 =
 *    648 per report; pairs with no calls at all cannot alarm and are not tested), so each pair needs
 *    p < alpha / m and the report's family-wise rate over all its district spikes stays alpha. Enquiries
 *    whose district is `unknown` (no place named, or a place in several districts) are not in this family:
 *    they count in the topic spikes only.
 *
 * Every flagged spike carries count, expected, baseline daily mean and count, ratio, both p-values and the
 * threshold they beat, so the alarm can be explained with the numbers above.
 */
export interface SpikeOptions {
  /** Trailing days before `from` that form the baseline. */
  baselineDays: number;
  /** Fewest days of history (within the baseline window) needed to test at all. */
  minBaselineDays: number;
  /** Family-wise significance level for one report; divided by the number of keys tested (Bonferroni). */
  alpha: number;
  /** Smallest period count that can be a spike. */
  minCount: number;
  /** Smallest count / expected that can be a spike. */
  minRatio: number;
  /** Pseudo-count added to the baseline total so a silent topic has a small, non-zero rate. */
  priorCount: number;
  /** Test each topic, each topic × department, or each district × topic (known districts only). */
  groupBy: SpikeGrouping;
}

export type SpikeGrouping = 'topic' | 'topic-department' | 'topic-district';

export const DEFAULT_SPIKE_OPTIONS: Readonly<SpikeOptions> = {
  baselineDays: 28,
  minBaselineDays: 7,
  alpha: 0.001,
  minCount: 10,
  minRatio: 1.5,
  priorCount: 0.5,
  groupBy: 'topic',
};

export interface Spike {
  topic: TopicId;
  /** With groupBy 'topic': the department that received most of the topic's calls in the period. */
  department: DepartmentId;
  /** With groupBy 'topic-district': the district whose calls these are. */
  district?: DistrictId;
  /** Calls in the period. */
  count: number;
  /** λ × period days. */
  expected: number;
  /** λ: mean daily calls over the baseline window, including the prior. */
  baselineDailyMean: number;
  /** count / expected. */
  ratio: number;
  /** P(X ≥ count | Poisson(expected)); may underflow to 0 for enormous spikes, see log10PValue. */
  pValue: number;
  /** log10 of the p-value, finite even when pValue underflows. */
  log10PValue: number;
  /** P(Binomial(count + baseline count, d / (d + B)) ≥ count): the test that also allows for baseline noise. */
  conditionalPValue: number;
  /** Calls in the baseline window (without the prior). */
  baselineCount: number;
  /** The per-key threshold both p-values had to beat: alpha / keys tested. */
  threshold: number;
  periodDays: number;
  baselineDays: number;
}

export interface SpikeDetectionInput extends Partial<SpikeOptions> {
  /** Counter rows covering at least the baseline window and the period; other days are ignored. */
  counters: readonly TopicCounterRow[];
  from: HongKongDay;
  to: HongKongDay;
}

interface KeyCounts {
  topic: TopicId;
  department: DepartmentId | undefined;
  district: DistrictId | undefined;
  baseline: number;
  period: number;
  periodByDepartment: Map<DepartmentId, number>;
}

/** The key a row is tested under, or undefined when the grouping leaves it out (unknown district). */
function groupOf(row: TopicCounterRow, groupBy: SpikeGrouping): { key: string; department?: DepartmentId; district?: DistrictId } | undefined {
  if (groupBy === 'topic-department') return { key: `${row.topic}#${row.department}`, department: row.department };
  if (groupBy === 'topic-district') return row.district === UNKNOWN_DISTRICT ? undefined : { key: `${row.topic}#${row.district}`, district: row.district };
  return { key: row.topic };
}

/** Tests every topic (or topic × department, or district × topic) with calls in the baseline or period; returns the spikes, most significant first. */
export function detectSpikes(input: SpikeDetectionInput): Spike[] {
  const options = resolveSpikeOptions(input);
  const periodDays = daysBetween(input.from, input.to) + 1;
  if (periodDays < 1) throw new RangeError(`period ${input.from}..${input.to} ends before it starts`);
  const windowStart = addDays(input.from, -options.baselineDays);

  let firstDay: HongKongDay | undefined;
  const byKey = new Map<string, KeyCounts>();
  for (const row of input.counters) {
    if (firstDay === undefined || row.day < firstDay) firstDay = row.day;
    const inPeriod = row.day >= input.from && row.day <= input.to;
    const inBaseline = row.day >= windowStart && row.day < input.from;
    if (!inPeriod && !inBaseline) continue;
    const group = groupOf(row, options.groupBy);
    if (!group) continue;
    let counts = byKey.get(group.key);
    if (!counts) {
      counts = { topic: row.topic, department: group.department, district: group.district, baseline: 0, period: 0, periodByDepartment: new Map() };
      byKey.set(group.key, counts);
    }
    if (inBaseline) counts.baseline += row.received;
    if (inPeriod) {
      counts.period += row.received;
      counts.periodByDepartment.set(row.department, (counts.periodByDepartment.get(row.department) ?? 0) + row.received);
    }
  }
  if (firstDay === undefined) return [];

  const historyStart = firstDay > windowStart ? firstDay : windowStart;
  const baselineDays = Math.min(options.baselineDays, Math.max(0, daysBetween(historyStart, input.from)));
  if (baselineDays < Math.max(1, options.minBaselineDays)) return [];

  // Bonferroni: the report's family-wise false-alarm rate stays at alpha however many topics it tests.
  const threshold = options.alpha / Math.max(1, byKey.size);
  const spikes: Spike[] = [];
  for (const counts of byKey.values()) {
    const baselineDailyMean = (counts.baseline + options.priorCount) / baselineDays;
    const expected = baselineDailyMean * periodDays;
    const k = counts.period;
    if (k < options.minCount || k < options.minRatio * expected) continue;
    const logP = logPoissonUpperTail(k, expected);
    if (!(logP < Math.log(threshold))) continue;
    const logConditionalP = logBinomialUpperTail(k, k + counts.baseline, periodDays / (periodDays + baselineDays));
    if (!(logConditionalP < Math.log(threshold))) continue;
    spikes.push({
      topic: counts.topic,
      department: counts.department ?? dominantDepartment(counts.periodByDepartment),
      ...(counts.district === undefined ? {} : { district: counts.district }),
      count: k,
      expected,
      baselineDailyMean,
      ratio: k / expected,
      pValue: Math.exp(logP),
      log10PValue: logP / Math.LN10,
      conditionalPValue: Math.exp(logConditionalP),
      baselineCount: counts.baseline,
      threshold,
      periodDays,
      baselineDays,
    });
  }
  return spikes.sort((a, b) => a.log10PValue - b.log10PValue || b.ratio - a.ratio || a.topic.localeCompare(b.topic) || (a.district ?? '').localeCompare(b.district ?? ''));
}

/** One Hong Kong hour of one topic far above that hour's usual count: a surge a day total can hide. */
export interface HourlySurge {
  topic: TopicId;
  department: DepartmentId;
  /** With groupBy 'topic-district': the district whose calls these are. */
  district?: DistrictId;
  day: HongKongDay;
  /** Hong Kong hour 0–23. */
  hour: number;
  count: number;
  /** The baseline mean for this hour of the day (baseline calls in it + prior/24, over the baseline days). */
  expected: number;
  ratio: number;
  pValue: number;
  log10PValue: number;
  conditionalPValue: number;
  /** alpha / (key × day × hour cells tested), the key being the topic or the district × topic. */
  threshold: number;
}

const HOURS = 24;

/**
 * The spike test of `detectSpikes`, hour by hour: each topic × period day × hour-of-day cell against that
 * hour's own baseline (calls in the same hour over the baseline days), both p-values below alpha divided
 * by the number of cells tested (Bonferroni), at least `minCount` calls and `minRatio` × expected. A topic
 * is tested only when most of its baseline calls were counted by hour (rows with `hour`): whole-day rows
 * give no hourly shape, and a flat guess would flag every busy morning. With groupBy 'topic-district' the
 * keys are district × topic (the family is their cells); 'topic-department' tests by topic as before.
 */
export function detectHourlySurges(input: SpikeDetectionInput): HourlySurge[] {
  const options = resolveSpikeOptions(input);
  const windowStart = addDays(input.from, -options.baselineDays);
  let firstDay: HongKongDay | undefined;
  interface TopicHours { topic: TopicId; district: DistrictId | undefined; byHour: number[]; hourly: number; all: number; period: Map<string, { count: number; departments: Map<DepartmentId, number> }> }
  const topics = new Map<string, TopicHours>();
  const byDistrict = options.groupBy === 'topic-district';
  for (const row of input.counters) {
    if (firstDay === undefined || row.day < firstDay) firstDay = row.day;
    const inPeriod = row.day >= input.from && row.day <= input.to;
    const inBaseline = row.day >= windowStart && row.day < input.from;
    if (!inPeriod && !inBaseline) continue;
    if (byDistrict && row.district === UNKNOWN_DISTRICT) continue;
    const district = byDistrict ? (row.district as DistrictId) : undefined;
    const key = district === undefined ? row.topic : `${row.topic}#${district}`;
    let counts = topics.get(key);
    if (!counts) topics.set(key, (counts = { topic: row.topic, district, byHour: new Array<number>(HOURS).fill(0), hourly: 0, all: 0, period: new Map() }));
    if (inBaseline) {
      counts.all += row.received;
      if (row.hour !== undefined) {
        counts.byHour[row.hour] = (counts.byHour[row.hour] ?? 0) + row.received;
        counts.hourly += row.received;
      }
    } else if (row.hour !== undefined) {
      const key = `${row.day}#${row.hour}`;
      let cell = counts.period.get(key);
      if (!cell) counts.period.set(key, (cell = { count: 0, departments: new Map() }));
      cell.count += row.received;
      cell.departments.set(row.department, (cell.departments.get(row.department) ?? 0) + row.received);
    }
  }
  if (firstDay === undefined) return [];
  const historyStart = firstDay > windowStart ? firstDay : windowStart;
  const baselineDays = Math.min(options.baselineDays, Math.max(0, daysBetween(historyStart, input.from)));
  if (baselineDays < Math.max(1, options.minBaselineDays)) return [];
  const tested = [...topics.values()].filter((counts) => counts.all > 0 && counts.hourly >= 0.5 * counts.all);
  const periodDays = daysBetween(input.from, input.to) + 1;
  const threshold = options.alpha / Math.max(1, tested.length * periodDays * HOURS);
  const surges: HourlySurge[] = [];
  for (const counts of tested) {
    for (const [key, cell] of counts.period) {
      const [day = '', hourText = '0'] = key.split('#');
      const hour = Number(hourText);
      const baselineCount = (counts.byHour[hour] ?? 0) * (counts.all / counts.hourly);
      const expected = (baselineCount + options.priorCount / HOURS) / baselineDays;
      const k = cell.count;
      if (k < options.minCount || k < options.minRatio * expected) continue;
      const logP = logPoissonUpperTail(k, expected);
      if (!(logP < Math.log(threshold))) continue;
      const logConditionalP = logBinomialUpperTail(k, k + Math.round(baselineCount), 1 / (1 + baselineDays));
      if (!(logConditionalP < Math.log(threshold))) continue;
      surges.push({
        topic: counts.topic,
        department: dominantDepartment(cell.departments),
        ...(counts.district === undefined ? {} : { district: counts.district }),
        day,
        hour,
        count: k,
        expected,
        ratio: k / expected,
        pValue: Math.exp(logP),
        log10PValue: logP / Math.LN10,
        conditionalPValue: Math.exp(logConditionalP),
        threshold,
      });
    }
  }
  return surges.sort((a, b) => a.log10PValue - b.log10PValue || a.day.localeCompare(b.day) || a.hour - b.hour || (a.district ?? '').localeCompare(b.district ?? ''));
}

/** The defaults overlaid with whichever options are given (an explicit undefined keeps the default). */
export function resolveSpikeOptions(options: Partial<SpikeOptions>): SpikeOptions {
  const resolved: SpikeOptions = { ...DEFAULT_SPIKE_OPTIONS };
  for (const key of Object.keys(DEFAULT_SPIKE_OPTIONS) as (keyof SpikeOptions)[]) {
    const value = options[key];
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  return resolved;
}

function dominantDepartment(counts: Map<DepartmentId, number>): DepartmentId {
  let best: DepartmentId | undefined;
  let bestCount = -1;
  for (const [department, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && department < best)) {
      best = department;
      bestCount = count;
    }
  }
  // Only reached for keys with calls in the period (p < 1 needs k > 0), so some department was seen.
  if (best === undefined) throw new Error('no department seen for a tested topic');
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Poisson probabilities in log space. logPoissonPmf uses Loader's saddle-point form (as R's dpois):
// log p(k; μ) = -stirlerr(k) - bd0(k, μ) - ½·log(2πk), which avoids the catastrophic cancellation of
// k·log μ - μ - log k! when k and μ are large.
// ---------------------------------------------------------------------------------------------------

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SMALL_FACTORIALS = 30;
const LOG_FACTORIAL_TABLE: number[] = (() => {
  const table = [0];
  for (let n = 1; n <= SMALL_FACTORIALS; n++) table.push((table[n - 1] ?? 0) + Math.log(n));
  return table;
})();

/** Stirling's error: log n! - [(n + ½)·log n - n + ½·log 2π], for integer n ≥ 1. */
function stirlingError(n: number): number {
  if (n <= SMALL_FACTORIALS) return (LOG_FACTORIAL_TABLE[n] ?? 0) - ((n + 0.5) * Math.log(n) - n + LOG_SQRT_2PI);
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/** bd0(x, μ) = x·log(x/μ) + μ - x, by a series when x ≈ μ where the direct form cancels. */
function deviance(x: number, mean: number): number {
  if (Math.abs(x - mean) < 0.1 * (x + mean)) {
    let v = (x - mean) / (x + mean);
    let sum = (x - mean) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / mean) + mean - x;
}

/** log n! for integer n ≥ 0. */
export function logFactorial(n: number): number {
  if (n <= SMALL_FACTORIALS) return LOG_FACTORIAL_TABLE[n] ?? 0;
  return (n + 0.5) * Math.log(n) - n + LOG_SQRT_2PI + stirlingError(n);
}

/** log P(X = k) for X ~ Poisson(mean). */
export function logPoissonPmf(k: number, mean: number): number {
  if (k < 0 || !Number.isInteger(k)) return -Infinity;
  if (mean === 0) return k === 0 ? 0 : -Infinity;
  if (k === 0) return -mean;
  if (k <= SMALL_FACTORIALS) return k * Math.log(mean) - mean - (LOG_FACTORIAL_TABLE[k] ?? 0);
  return -stirlingError(k) - deviance(k, mean) - 0.5 * Math.log(2 * Math.PI * k);
}

/**
 * log of Σ_{i≥0} Π_{j<i} r(j): the tail sum relative to its first term, where r(j) is the ratio of
 * successive pmf terms. Ratios fall monotonically below 1 here, so the sum converges geometrically once
 * past the mode (O(√μ) terms at worst).
 */
function logRelativeTailSum(ratioAt: (step: number) => number, maxSteps: number): number {
  let sum = 1;
  let term = 1;
  for (let step = 0; step < maxSteps; step++) {
    term *= ratioAt(step);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.log(sum);
}

/**
 * log P(X ≥ k) for X ~ Poisson(mean), accurate in the far tail (returns e.g. -1.1e6 where the
 * probability itself underflows). Sums the upper tail directly when k is above the mean, otherwise takes
 * the complement of the (then small) lower tail.
 */
export function logPoissonUpperTail(k: number, mean: number): number {
  if (!Number.isInteger(k)) throw new RangeError(`count must be an integer, got ${k}`);
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`mean must be finite and >= 0, got ${mean}`);
  if (k <= 0) return 0;
  if (mean === 0) return -Infinity;
  if (k > mean) {
    // Terms p(k+i+1)/p(k+i) = μ/(k+i+1) < 1.
    return logPoissonPmf(k, mean) + logRelativeTailSum((i) => mean / (k + i + 1), Number.MAX_SAFE_INTEGER);
  }
  // Lower tail P(X ≤ k-1) summed downwards: p(j-1)/p(j) = j/μ ≤ (k-1)/μ < 1, at most k terms.
  const logLower = logPoissonPmf(k - 1, mean) + logRelativeTailSum((i) => (k - 1 - i) / mean, k - 1);
  return Math.log1p(-Math.min(1, Math.exp(logLower)));
}

/** P(X ≥ k) for X ~ Poisson(mean). */
export function poissonUpperTail(k: number, mean: number): number {
  return Math.exp(logPoissonUpperTail(k, mean));
}

/** log P(X = x) for X ~ Binomial(n, p), in Loader's saddle-point form (as R's dbinom). */
export function logBinomialPmf(x: number, n: number, p: number): number {
  if (x < 0 || x > n || !Number.isInteger(x)) return -Infinity;
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (p === 1) return x === n ? 0 : -Infinity;
  if (x === 0) return n * Math.log1p(-p);
  if (x === n) return n * Math.log(p);
  const q = 1 - p;
  const lc = stirlingError(n) - stirlingError(x) - stirlingError(n - x) - deviance(x, n * p) - deviance(n - x, n * q);
  return lc - 0.5 * (Math.log(2 * Math.PI) + Math.log(x) + Math.log1p(-x / n));
}

/** log P(X ≥ k) for X ~ Binomial(n, p), summing whichever tail lies away from the mean. */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0) throw new RangeError(`k and n must be integers, got ${k}, ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (k <= 0) return 0;
  if (k > n || p === 0) return -Infinity;
  if (p === 1) return 0;
  const odds = p / (1 - p);
  if (k > n * p) {
    // p(j+1)/p(j) = (n-j)/(j+1) · p/q, falling below 1 past the mode; at most n - k terms.
    return logBinomialPmf(k, n, p) + logRelativeTailSum((i) => ((n - k - i) / (k + i + 1)) * odds, n - k);
  }
  // Lower tail P(X ≤ k-1) summed downwards: p(j-1)/p(j) = j/(n-j+1) · q/p.
  const logLower = logBinomialPmf(k - 1, n, p) + logRelativeTailSum((i) => (k - 1 - i) / (n - k + 2 + i) / odds, k - 1);
  return Math.log1p(-Math.min(1, Math.exp(logLower)));
}
