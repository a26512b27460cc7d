import type { Language } from '../../vocabulary/languages.ts';
import type { DepartmentId, TopicId } from '../../vocabulary/topics.ts';
import { isDistrictId, type DistrictId, type EnquiryLocation } from '../../vocabulary/districts.ts';

/**
 * The aggregate model behind supervisors' reports. `RecordOutcome` adds one enquiry's increments to one
 * counter row (Hong Kong day × hour × the dimensions in COUNTER_DIMENSIONS); reports read only these rows,
 * never enquiries, so a month of a million enquiries is some tens of thousands of rows. Rows of the same
 * key are summed wherever they meet (storage shards, several days), so every consumer can treat any set
 * of rows as a bag of increments.
 */

/**
 * Upper bounds (minutes, exclusive) of the time-to-decision histogram buckets; one more open-ended bucket
 * follows the last bound. Fixed so rows from different days and writers can be summed bucket by bucket,
 * and a median estimated from the sums.
 */
export const DECISION_MINUTE_BOUNDS = [5, 15, 30, 60, 120, 240, 480, 1440, 2880, 4320] as const;
/** Number of histogram buckets: one per bound plus the open-ended `>= 4320` bucket. */
export const DECISION_HISTOGRAM_BUCKETS = DECISION_MINUTE_BOUNDS.length + 1;

/** A `YYYY-MM-DD` calendar date in Hong Kong. */
export type HongKongDay = string;

/** A counter row's district: one of the 18, or `unknown` when the enquiry named no place or one in several districts. */
export type CounterDistrict = DistrictId | 'unknown';
export const UNKNOWN_DISTRICT = 'unknown' as const satisfies CounterDistrict;

/**
 * The district an enquiry is counted under: its district when the location was found, else `unknown`.
 * An ambiguous location (a road crossing a boundary) is counted as unknown rather than split or guessed,
 * so every district count is of enquiries that are certainly about that district. Only the id is kept:
 * place names and addresses never reach a counter.
 */
export function counterDistrictOf(location: EnquiryLocation | undefined): CounterDistrict {
  const district = location?.status === 'found' ? location.district : undefined;
  return district !== undefined && isDistrictId(district) ? district : UNKNOWN_DISTRICT;
}

/** A stored district value read back: rows written before districts were counted have none (unknown). */
export function counterDistrictFrom(value: unknown): CounterDistrict {
  return typeof value === 'string' && isDistrictId(value) ? value : UNKNOWN_DISTRICT;
}

/**
 * What a counter row is broken down by besides time. One definition: storage keys, aggregation and
 * reports derive from COUNTER_DIMENSIONS, so a new dimension is one field here, one name in the list,
 * and the value set in `counterIncrementsFor`.
 */
export interface CounterDimensions {
  topic: TopicId;
  department: DepartmentId;
  language: Language;
  district: CounterDistrict;
}

/** The dimensions in storage-key order (after day and hour). */
export const COUNTER_DIMENSIONS = ['topic', 'department', 'language', 'district'] as const satisfies readonly (keyof CounterDimensions)[];
export type CounterDimension = (typeof COUNTER_DIMENSIONS)[number];
/** Fails to compile when CounterDimensions gains a field COUNTER_DIMENSIONS does not list. */
type EveryDimensionListed<T extends never> = T;
export type CounterDimensionsComplete = EveryDimensionListed<Exclude<keyof CounterDimensions, CounterDimension>>;

export interface CounterKey extends CounterDimensions {
  day: HongKongDay;
  /**
   * Hong Kong hour (0–23) the enquiries were received in. Absent on whole-day rows: counters written
   * before hourly counting, and seeded synthetic history; they count in day totals, not in hourly views.
   */
  hour?: number;
}

export interface CounterValues {
  received: number;
  /** Draft approved unchanged. */
  approved: number;
  /** Draft edited by the agent, then sent. */
  edited: number;
  rejected: number;
  needsManual: number;
  /** Handled by the fallback path (statistical classifier / template drafter) because a model was unavailable. */
  degraded: number;
  smsSent: number;
  decisionMinutesTotal: number;
  decisionCount: number;
  /** Counts per bucket of DECISION_MINUTE_BOUNDS (length DECISION_HISTOGRAM_BUCKETS). */
  decisionMinutesHistogram: number[];
  /** Decided enquiries of this row (agent-confirmed topic) whose AI topic was another one. */
  corrected: number;
  /** Decided enquiries the agent marked as also involving other departments. */
  crossDepartmental: number;
  /**
   * Decided enquiries of this row by the topic the AI had given them (the row's own topic when the agent
   * confirmed it): the source of correction rates and confusions (AI topic → agent topic).
   */
  aiTopics: Partial<Record<TopicId, number>>;
}

export type TopicCounterRow = CounterKey & CounterValues;

export const OUTCOMES = ['approved', 'edited', 'rejected', 'needs_manual'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What RecordOutcome knows about one finished enquiry. */
export interface OutcomeEvent {
  enquiryId: string;
  /** ISO 8601 instant the enquiry arrived; its Hong Kong date is the counter day. */
  receivedAt: string;
  topic: TopicId;
  department: DepartmentId;
  language: Language;
  /** The enquiry's district id (never a place name or address); `unknown` when not found or ambiguous. */
  district: CounterDistrict;
  outcome: Outcome;
  degraded: boolean;
  smsSent: boolean;
  /** ISO 8601 instant of the agent's decision; absent when nobody decided (e.g. still with the manual queue). */
  decidedAt?: string;
  /** The AI's topic when an agent decided (`topic` is then the agent-confirmed one). */
  aiTopic?: TopicId;
  /** The agent marked the enquiry as also involving other departments. */
  crossDepartmental?: boolean;
}

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;

// Built once, on first use: Intl formatters are expensive to construct (~5 ms with the time-zone data) and this
// runs for every outcome, but functions that bundle this module without counting should not pay it at init.
let hongKongDateFormat: Intl.DateTimeFormat | undefined;
let hongKongHourFormat: Intl.DateTimeFormat | undefined;

function parseInstant(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`${field}: "${iso}" is not an ISO 8601 instant`);
  return ms;
}

/** The Hong Kong calendar date (`YYYY-MM-DD`) of an ISO instant, e.g. 2025-03-01T17:30Z -> 2025-03-02. */
export function hongKongDay(iso: string): HongKongDay {
  const parts = (hongKongDateFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Hong_Kong', year: 'numeric', month: '2-digit', day: '2-digit' })).formatToParts(parseInstant(iso, 'instant'));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The Hong Kong hour (0–23) of an ISO instant, e.g. 2025-03-01T17:30Z -> 1. */
export function hongKongHour(iso: string): number {
  return Number((hongKongHourFormat ??= new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Hong_Kong', hour: '2-digit', hourCycle: 'h23' })).format(parseInstant(iso, 'instant')));
}

export function isDay(value: string): boolean {
  return DAY_PATTERN.test(value) && toDayNumber(value) !== undefined;
}

/** Days since 1970-01-01 for a calendar date; calendar arithmetic in UTC so no time zone can shift it. */
function toDayNumber(day: string): number | undefined {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2025-02-30 over to March; reject such dates by round-tripping.
  return new Date(ms).toISOString().slice(0, 10) === day ? ms / MS_PER_DAY : undefined;
}

function dayNumber(day: string): number {
  const n = DAY_PATTERN.test(day) ? toDayNumber(day) : undefined;
  if (n === undefined) throw new RangeError(`"${day}" is not a YYYY-MM-DD date`);
  return n;
}

function dayFromNumber(n: number): HongKongDay {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(day: HongKongDay, days: number): HongKongDay {
  return dayFromNumber(dayNumber(day) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: HongKongDay, to: HongKongDay): number {
  return dayNumber(to) - dayNumber(from);
}

/** 0 = Sunday .. 6 = Saturday, as Date#getUTCDay. */
export function weekdayOf(day: HongKongDay): number {
  return new Date(dayNumber(day) * MS_PER_DAY).getUTCDay();
}

/** The Monday on or before `day`: Hong Kong reports run weekly on Mondays, so weeks start there. */
export function weekStartOf(day: HongKongDay): HongKongDay {
  return addDays(day, -((weekdayOf(day) + 6) % 7));
}

/** Index of the histogram bucket holding `minutes`. */
export function decisionBucketIndex(minutes: number): number {
  const index = DECISION_MINUTE_BOUNDS.findIndex((bound) => minutes < bound);
  return index === -1 ? DECISION_MINUTE_BOUNDS.length : index;
}

export function emptyCounterValues(): CounterValues {
  return {
    received: 0,
    approved: 0,
    edited: 0,
    rejected: 0,
    needsManual: 0,
    degraded: 0,
    smsSent: 0,
    decisionMinutesTotal: 0,
    decisionCount: 0,
    decisionMinutesHistogram: new Array<number>(DECISION_HISTOGRAM_BUCKETS).fill(0),
    corrected: 0,
    crossDepartmental: 0,
    aiTopics: {},
  };
}

/** Adds `increment` into `into` in place (the hot loop of every report; no allocation per row). */
export function addCounterValuesInto(into: CounterValues, increment: CounterValues): void {
  into.received += increment.received;
  into.approved += increment.approved;
  into.edited += increment.edited;
  into.rejected += increment.rejected;
  into.needsManual += increment.needsManual;
  into.degraded += increment.degraded;
  into.smsSent += increment.smsSent;
  into.decisionMinutesTotal += increment.decisionMinutesTotal;
  into.decisionCount += increment.decisionCount;
  const histogram = into.decisionMinutesHistogram;
  increment.decisionMinutesHistogram.forEach((count, i) => {
    histogram[i] = (histogram[i] ?? 0) + count;
  });
  into.corrected += increment.corrected;
  into.crossDepartmental += increment.crossDepartmental;
  for (const topic in increment.aiTopics) {
    const count = increment.aiTopics[topic as TopicId] ?? 0;
    into.aiTopics[topic as TopicId] = (into.aiTopics[topic as TopicId] ?? 0) + count;
  }
}

/** `07` for hour 7, `day` for a whole-day row: the hour part of a counter key. */
export function hourKeyPart(hour: number | undefined): string {
  return hour === undefined ? 'day' : String(hour).padStart(2, '0');
}

/** The key of a counter row: day, hour, then each dimension in order, e.g. `2025-03-02#07#pest_rodent#FEHD#zh-HK#kwun-tong`. */
export function counterKeyOf(key: CounterKey): string {
  return [key.day, hourKeyPart(key.hour), ...COUNTER_DIMENSIONS.map((dimension) => key[dimension])].join('#');
}

/** Just the key fields of a row (day, hour when present, every dimension). */
export function counterKeyFields(row: CounterKey): CounterKey {
  const key = { day: row.day, ...(row.hour === undefined ? {} : { hour: row.hour }) } as CounterKey;
  for (const dimension of COUNTER_DIMENSIONS) Object.assign(key, { [dimension]: row[dimension] });
  return key;
}

/**
 * The increments one finished enquiry adds to its counter row (pure). The row's day and hour are the Hong
 * Kong date and hour the enquiry was received, so a report for a day counts what arrived that day. The row's topic and
 * department are the agent-confirmed ones when an agent decided; the AI's topic is kept beside them. Time to decision is
 * counted only when there was a decision; a decision stamped before receipt (clock skew) counts as 0.
 * Applying it exactly once per enquiry is the store's job (conditional write keyed by enquiryId).
 */
export function counterIncrementsFor(event: OutcomeEvent): TopicCounterRow {
  const values = emptyCounterValues();
  values.received = 1;
  if (event.outcome === 'approved') values.approved = 1;
  if (event.outcome === 'edited') values.edited = 1;
  if (event.outcome === 'rejected') values.rejected = 1;
  if (event.outcome === 'needs_manual') values.needsManual = 1;
  if (event.degraded) values.degraded = 1;
  if (event.smsSent) values.smsSent = 1;
  if (event.decidedAt !== undefined) {
    const received = parseInstant(event.receivedAt, 'receivedAt');
    const minutes = Math.max(0, (parseInstant(event.decidedAt, 'decidedAt') - received) / MS_PER_MINUTE);
    values.decisionMinutesTotal = minutes;
    values.decisionCount = 1;
    values.decisionMinutesHistogram[decisionBucketIndex(minutes)] = 1;
    if (event.aiTopic !== undefined) {
      values.aiTopics[event.aiTopic] = 1;
      if (event.aiTopic !== event.topic) values.corrected = 1;
    }
    if (event.crossDepartmental) values.crossDepartmental = 1;
  }
  return {
    day: hongKongDay(event.receivedAt),
    hour: hongKongHour(event.receivedAt),
    topic: event.topic,
    department: event.department,
    language: event.language,
    district: event.district,
    ...values,
  };
}

/** Merges rows with the same key (day, hour, dimensions): e.g. the storage shards of one hour's counter. */
export function aggregateCounters(rows: Iterable<TopicCounterRow>): TopicCounterRow[] {
  const merged = new Map<string, TopicCounterRow>();
  for (const row of rows) {
    const key = counterKeyOf(row);
    let target = merged.get(key);
    if (!target) {
      target = { ...counterKeyFields(row), ...emptyCounterValues() };
      merged.set(key, target);
    }
    addCounterValuesInto(target, row);
  }
  return [...merged.values()];
}
