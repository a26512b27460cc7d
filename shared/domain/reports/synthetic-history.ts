import { seededRandom } from '../random.ts';
import { LANGUAGES, type Language } from '../language.ts';
import { TOPIC_DEPARTMENT, type DepartmentId, type TopicId } from '../topics.ts';
import { DECISION_HISTOGRAM_BUCKETS, DECISION_MINUTE_BOUNDS, addDays, weekdayOf, type HongKongDay, type TopicCounterRow } from './counters.ts';
import { logFactorial } from './spikes.ts';

/**
 * Realistic synthetic history for demos, tests and benchmarks, generated directly as counter rows (never
 * as individual enquiries), so 90 days of a million enquiries is ~10^4 rows and takes milliseconds.
 * Seeded and deterministic: the same options give the same rows on every machine.
 *
 * Model, per day × topic: calls ~ Poisson(base rate × weekday factor × injected-spike multiplier), where
 * base rates fall off Zipf-like down the popularity order. Each language × outcome cell is an independent
 * Poisson with its share of the rate, which is exactly a Poisson total split multinomially. Degraded and
 * SMS counts are binomial subsets; decision times follow a log-normal, binned into the report histogram.
 */

/** A burst added on purpose, e.g. flooding complaints after a rainstorm. */
export interface InjectedSpike {
  topic: TopicId;
  /** First day of the burst. */
  fromDay: HongKongDay;
  days: number;
  /** Factor on the topic's usual rate during the burst. */
  multiplier: number;
}

export interface SyntheticHistoryOptions {
  seed: number;
  days: number;
  /** First day generated (default 2025-01-01). */
  startDay?: HongKongDay;
  /** Mean enquiries per day over all topics (default 11,200: about a million in 90 days). */
  dailyEnquiries?: number;
  /** Topics, busiest first (default: a plausible hotline ordering of all 36 topics). */
  topics?: readonly TopicId[];
  /** Zipf exponent s: the topic of popularity rank r gets a weight 1 / r^s (default 1). */
  zipfExponent?: number;
  /** Fewer calls at weekends, fewest on Sundays (default true); false gives a flat Poisson series. */
  weeklySeasonality?: boolean;
  languageMix?: Readonly<Record<Language, number>>;
  /** Shares of decided drafts (default approved 0.7, edited 0.2, rejected 0.1). */
  decisionMix?: Readonly<{ approved: number; edited: number; rejected: number }>;
  /** Share of enquiries that end in manual handling instead of a decision (default 0.03). */
  needsManualShare?: number;
  /** Share handled in degraded mode (default 0.02). */
  degradedShare?: number;
  /** Share of approved or edited replies also sent by SMS (default 0.4). */
  smsShare?: number;
  /** Log-normal time to decision: median minutes and log-space sigma (default 45 min, 1.1). */
  decisionMinutes?: Readonly<{ median: number; sigma: number }>;
  spikes?: readonly InjectedSpike[];
  /** Department per topic; defaults follow the hotline taxonomy. */
  departments?: Readonly<Partial<Record<TopicId, DepartmentId>>>;
}

export interface SyntheticHistory {
  rows: TopicCounterRow[];
  spikes: InjectedSpike[];
  from: HongKongDay;
  to: HongKongDay;
  /** Mean daily calls per topic before seasonality and spikes. */
  baseDailyRates: Partial<Record<TopicId, number>>;
}

/** A plausible popularity order: street-level hygiene, noise and water complaints dominate 1823's load. */
export const SYNTHETIC_POPULARITY_ORDER: readonly TopicId[] = [
  'street_cleanliness',
  'water_seepage',
  'noise_neighbourhood',
  'refuse_collection',
  'illegal_parking',
  'food_hygiene_premises',
  'pest_rodent',
  'road_damage',
  'street_light_fault',
  'hawker_obstruction',
  'noise_construction',
  'out_of_scope',
  'tree_risk',
  'public_housing_maintenance',
  'water_supply_interruption',
  'leisure_facility_booking',
  'blocked_drain_flooding',
  'mosquito_breeding',
  'traffic_signal_fault',
  'public_transport_service',
  'unauthorised_building_works',
  'stray_animals',
  'air_pollution_smoke',
  'water_bill',
  'leisure_facility_condition',
  'building_dilapidation',
  'government_land_occupation',
  'identity_card',
  'social_security_allowance',
  'elderly_services',
  'public_housing_application',
  'travel_document',
  'salaries_tax',
  'water_main_burst',
  'animal_welfare_cruelty',
  'slope_safety',
];

/**
 * Plausible AI mistakes agents correct, as (agent topic → the AI topic it was mistaken for, share of the
 * agent topic's decided enquiries). Applied deterministically (rounded shares), so the random stream and
 * every other figure stay what they were.
 */
export const SYNTHETIC_CONFUSIONS: Readonly<Partial<Record<TopicId, { aiTopic: TopicId; share: number }>>> = {
  road_damage: { aiTopic: 'hawker_obstruction', share: 0.06 },
  air_pollution_smoke: { aiTopic: 'noise_neighbourhood', share: 0.1 },
  water_seepage: { aiTopic: 'public_housing_maintenance', share: 0.04 },
  blocked_drain_flooding: { aiTopic: 'water_main_burst', share: 0.05 },
  street_light_fault: { aiTopic: 'traffic_signal_fault', share: 0.04 },
  leisure_facility_booking: { aiTopic: 'identity_card', share: 0.05 },
};
/** Share of decided enquiries agents mark as also involving other departments (default 0.01). */
export const SYNTHETIC_CROSS_DEPARTMENTAL: Readonly<Partial<Record<TopicId, number>>> = {
  water_seepage: 0.08,
  tree_risk: 0.1,
  government_land_occupation: 0.12,
  illegal_parking: 0.04,
  hawker_obstruction: 0.05,
};

/** Sunday..Saturday, before normalising to a mean of 1 so dailyEnquiries stays the true mean. */
const WEEKDAY_FACTORS = [0.55, 1.12, 1.08, 1.06, 1.05, 1.02, 0.8];
const DEFAULT_LANGUAGE_MIX: Readonly<Record<Language, number>> = { 'zh-HK': 0.7, 'en-US': 0.15, 'zh-CN': 0.15 };

// ---------------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------------

export type Random = () => number;

/** mulberry32 (shared with the classifier's seeded training): uniform in [0, 1). */
export const mulberry32: (seed: number) => Random = seededRandom;

/** Poisson sample: Knuth's product of uniforms for small means, Hörmann's PTRS (exact, O(1)) above 30. */
export function samplePoisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const limit = Math.exp(-mean);
    let k = 0;
    let product = random();
    while (product > limit) {
      k += 1;
      product *= random();
    }
    return k;
  }
  return samplePoissonPtrs(random, mean);
}

/** W. Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
function samplePoissonPtrs(random: Random, mean: number): number {
  const logMean = Math.log(mean);
  const b = 0.931 + 2.53 * Math.sqrt(mean);
  const a = -0.059 + 0.02483 * b;
  const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = random() - 0.5;
    const v = random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logMean - logFactorial(k)) return k;
  }
}

function sampleStandardNormal(random: Random): number {
  // Box–Muller; 1 - random() avoids log(0).
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Binomial sample: inversion when the mean is small, a clamped normal approximation otherwise (synthetic data only). */
export function sampleBinomial(random: Random, trials: number, p: number): number {
  if (trials <= 0 || p <= 0) return 0;
  if (p >= 1) return trials;
  if (p > 0.5) return trials - sampleBinomial(random, trials, 1 - p);
  const mean = trials * p;
  if (mean < 30) {
    const q = 1 - p;
    const s = p / q;
    const a = (trials + 1) * s;
    let probability = Math.exp(trials * Math.log1p(-p));
    let u = random();
    let x = 0;
    while (u > probability && x < trials) {
      u -= probability;
      x += 1;
      probability *= a / x - s;
    }
    return x;
  }
  const sample = Math.round(mean + Math.sqrt(mean * (1 - p)) * sampleStandardNormal(random));
  return Math.min(trials, Math.max(0, sample));
}

/** Multinomial split of `trials` over `probabilities` (summing to 1) by successive conditional binomials. */
function sampleMultinomialInto(random: Random, trials: number, probabilities: readonly number[], into: number[]): void {
  let remaining = trials;
  let remainingMass = 1;
  for (let i = 0; i < probabilities.length && remaining > 0; i++) {
    const p = probabilities[i] ?? 0;
    const draw = i === probabilities.length - 1 ? remaining : sampleBinomial(random, remaining, remainingMass > 0 ? Math.min(1, p / remainingMass) : 0);
    into[i] = (into[i] ?? 0) + draw;
    remaining -= draw;
    remainingMass -= p;
  }
}

// ---------------------------------------------------------------------------------------------------
// Decision-time histogram from a log-normal
// ---------------------------------------------------------------------------------------------------

/** Standard normal CDF via Abramowitz & Stegun 7.1.26 (error < 1.5e-7): plenty for synthetic data. */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Per bucket: probability and mean minutes of a log-normal decision time falling in it. */
function decisionBuckets(median: number, sigma: number): { probabilities: number[]; meanMinutes: number[] } {
  const mu = Math.log(median);
  const edges = [0, ...DECISION_MINUTE_BOUNDS, Infinity];
  const cdf = (x: number, shift: number): number => (x <= 0 ? 0 : x === Infinity ? 1 : normalCdf((Math.log(x) - mu - shift) / sigma));
  const probabilities: number[] = [];
  const meanMinutes: number[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const lower = edges[i] ?? 0;
    const upper = edges[i + 1] ?? Infinity;
    const p = cdf(upper, 0) - cdf(lower, 0);
    probabilities.push(p);
    // E[X; a < X < b] for a log-normal = e^(μ+σ²/2) · [Φ((ln b − μ − σ²)/σ) − Φ((ln a − μ − σ²)/σ)].
    const partialMean = Math.exp(mu + (sigma * sigma) / 2) * (cdf(upper, sigma * sigma) - cdf(lower, sigma * sigma));
    meanMinutes.push(p > 0 ? Math.min(Math.max(partialMean / p, lower), upper === Infinity ? Infinity : upper) : lower);
  }
  const total = probabilities.reduce((sum, p) => sum + p, 0);
  return { probabilities: probabilities.map((p) => p / total), meanMinutes };
}

// ---------------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------------

function checkOptions(options: SyntheticHistoryOptions, topics: readonly TopicId[]): void {
  if (!Number.isInteger(options.days) || options.days < 1) throw new RangeError('days must be a whole number >= 1');
  for (const spike of options.spikes ?? []) {
    if (!topics.includes(spike.topic)) throw new RangeError(`spike topic ${spike.topic} is not generated`);
    if (!(spike.multiplier >= 0) || !Number.isInteger(spike.days) || spike.days < 1) throw new RangeError(`spike on ${spike.topic} needs days >= 1 and multiplier >= 0`);
  }
}

/** Base daily rate per topic: Zipf weights 1/rank^s scaled so they sum to the daily total. */
function zipfRates(topics: readonly TopicId[], dailyTotal: number, exponent: number): Map<TopicId, number> {
  const weights = topics.map((_, rank) => 1 / Math.pow(rank + 1, exponent));
  const sum = weights.reduce((a, b) => a + b, 0);
  return new Map(topics.map((topic, rank) => [topic, (dailyTotal * (weights[rank] ?? 0)) / sum]));
}

function spikeMultiplier(spikes: readonly InjectedSpike[], topic: TopicId, day: HongKongDay): number {
  let multiplier = 1;
  for (const spike of spikes) {
    if (spike.topic === topic && day >= spike.fromDay && day < addDays(spike.fromDay, spike.days)) multiplier *= spike.multiplier;
  }
  return multiplier;
}

export function generateSyntheticHistory(options: SyntheticHistoryOptions): SyntheticHistory {
  const topics = options.topics ?? SYNTHETIC_POPULARITY_ORDER;
  checkOptions(options, topics);
  const random = mulberry32(options.seed);
  const from = options.startDay ?? '2025-01-01';
  const spikes = [...(options.spikes ?? [])];
  const rates = zipfRates(topics, options.dailyEnquiries ?? 11_200, options.zipfExponent ?? 1);
  const seasonal = options.weeklySeasonality ?? true;
  const weekdayMean = WEEKDAY_FACTORS.reduce((a, b) => a + b, 0) / WEEKDAY_FACTORS.length;
  const languageMix = options.languageMix ?? DEFAULT_LANGUAGE_MIX;
  const languageTotal = LANGUAGES.reduce((sum, language) => sum + languageMix[language], 0);
  const decision = options.decisionMix ?? { approved: 0.7, edited: 0.2, rejected: 0.1 };
  const decisionTotal = decision.approved + decision.edited + decision.rejected;
  const needsManualShare = options.needsManualShare ?? 0.03;
  const outcomeShares = [decision.approved, decision.edited, decision.rejected].map((share) => ((1 - needsManualShare) * share) / decisionTotal);
  const degradedShare = options.degradedShare ?? 0.02;
  const smsShare = options.smsShare ?? 0.4;
  const timing = decisionBuckets(options.decisionMinutes?.median ?? 45, options.decisionMinutes?.sigma ?? 1.1);
  const departments = { ...TOPIC_DEPARTMENT, ...options.departments };

  const rows: TopicCounterRow[] = [];
  for (let d = 0; d < options.days; d++) {
    const day = addDays(from, d);
    const dayFactor = seasonal ? (WEEKDAY_FACTORS[weekdayOf(day)] ?? 1) / weekdayMean : 1;
    for (const topic of topics) {
      const topicRate = (rates.get(topic) ?? 0) * dayFactor * spikeMultiplier(spikes, topic, day);
      for (const language of LANGUAGES) {
        const rate = (topicRate * languageMix[language]) / languageTotal;
        const approved = samplePoisson(random, rate * (outcomeShares[0] ?? 0));
        const edited = samplePoisson(random, rate * (outcomeShares[1] ?? 0));
        const rejected = samplePoisson(random, rate * (outcomeShares[2] ?? 0));
        const needsManual = samplePoisson(random, rate * needsManualShare);
        const received = approved + edited + rejected + needsManual;
        if (received === 0) continue;
        const decided = approved + edited + rejected;
        const histogram = new Array<number>(DECISION_HISTOGRAM_BUCKETS).fill(0);
        sampleMultinomialInto(random, decided, timing.probabilities, histogram);
        let minutes = 0;
        for (let i = 0; i < histogram.length; i++) minutes += (histogram[i] ?? 0) * (timing.meanMinutes[i] ?? 0);
        const confusion = SYNTHETIC_CONFUSIONS[topic];
        const corrected = confusion ? Math.round(decided * confusion.share) : 0;
        const aiTopics: Partial<Record<TopicId, number>> = {};
        if (decided - corrected > 0) aiTopics[topic] = decided - corrected;
        if (confusion && corrected > 0) aiTopics[confusion.aiTopic] = corrected;
        rows.push({
          day,
          topic,
          department: departments[topic],
          language,
          received,
          approved,
          edited,
          rejected,
          needsManual,
          degraded: sampleBinomial(random, received, degradedShare),
          smsSent: sampleBinomial(random, approved + edited, smsShare),
          decisionMinutesTotal: Math.round(minutes),
          decisionCount: decided,
          decisionMinutesHistogram: histogram,
          corrected,
          crossDepartmental: Math.round(decided * (SYNTHETIC_CROSS_DEPARTMENTAL[topic] ?? 0.01)),
          aiTopics,
        });
      }
    }
  }
  return { rows, spikes, from, to: addDays(from, options.days - 1), baseDailyRates: Object.fromEntries(rates) };
}
