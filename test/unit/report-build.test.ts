import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import type { Language } from '../../shared/vocabulary/languages.ts';
import {
  DECISION_HISTOGRAM_BUCKETS,
  addDays,
  aggregateCounters,
  counterIncrementsFor,
  emptyCounterValues,
  hongKongDay,
  hongKongHour,
  weekdayOf,
  type CounterDistrict,
  type CounterValues,
  type OutcomeEvent,
  type TopicCounterRow,
} from '../../shared/domain/reports/counters.ts';
import { buildTopicReport, medianMinutesFromHistogram } from '../../shared/domain/reports/report.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';
import type { DepartmentId, TopicId } from '../../shared/vocabulary/topics.ts';

function counter(
  day: string,
  topic: TopicId,
  values: Partial<CounterValues>,
  where: { language?: Language; department?: DepartmentId; district?: CounterDistrict } = {},
): TopicCounterRow {
  return { day, topic, department: where.department ?? 'FEHD', language: where.language ?? 'zh-HK', district: where.district ?? 'unknown', ...emptyCounterValues(), ...values };
}

/** Just calls received (all approved), for tests about counts. */
function calls(day: string, topic: TopicId, received: number, where: { language?: Language; department?: DepartmentId; district?: CounterDistrict } = {}): TopicCounterRow {
  return counter(day, topic, { received, approved: received }, where);
}

function histogram(counts: Record<number, number>): number[] {
  return Array.from({ length: DECISION_HISTOGRAM_BUCKETS }, (_, i) => counts[i] ?? 0);
}

describe('counter increments', () => {
  const event: OutcomeEvent = {
    enquiryId: 'enq-1',
    receivedAt: '2025-03-01T16:30:00Z',
    topic: 'pest_rodent',
    department: 'FEHD',
    language: 'zh-HK',
    district: 'kwun-tong',
    outcome: 'edited',
    degraded: false,
    smsSent: true,
    decidedAt: '2025-03-01T18:05:00Z',
  };

  it('counts an enquiry on the Hong Kong date it arrived', () => {
    expect(hongKongDay('2025-03-01T15:59:59Z')).toBe('2025-03-01');
    expect(hongKongDay('2025-03-01T16:00:00Z')).toBe('2025-03-02');
    expect(hongKongDay('2025-03-01T23:59:59+08:00')).toBe('2025-03-01');
    expect(counterIncrementsFor(event).day).toBe('2025-03-02');
  });

  it('counts an enquiry in the Hong Kong hour it arrived', () => {
    expect(hongKongHour('2025-03-01T15:59:59Z')).toBe(23);
    expect(hongKongHour('2025-03-01T16:00:00Z')).toBe(0);
    expect(hongKongHour('2025-03-02T09:30:00+08:00')).toBe(9);
    expect(counterIncrementsFor({ ...event, receivedAt: '2025-03-02T01:45:00Z' })).toMatchObject({ day: '2025-03-02', hour: 9 });
  });

  it('adds one received enquiry with its outcome, SMS and time to decision', () => {
    expect(counterIncrementsFor(event)).toEqual({
      day: '2025-03-02',
      hour: 0,
      topic: 'pest_rodent',
      department: 'FEHD',
      language: 'zh-HK',
      district: 'kwun-tong',
      received: 1,
      approved: 0,
      edited: 1,
      rejected: 0,
      needsManual: 0,
      degraded: 0,
      smsSent: 1,
      decisionMinutesTotal: 95,
      decisionCount: 1,
      // 95 minutes falls in [60, 120).
      decisionMinutesHistogram: histogram({ 4: 1 }),
      corrected: 0,
      crossDepartmental: 0,
      aiTopics: {},
    });
  });

  it('counts a decided enquiry under the agent-confirmed topic, keeping the AI topic it was corrected from', () => {
    const corrected = counterIncrementsFor({ ...event, topic: 'road_damage', department: 'HyD', aiTopic: 'hawker_obstruction', crossDepartmental: true });
    expect(corrected).toMatchObject({ topic: 'road_damage', department: 'HyD', received: 1, corrected: 1, crossDepartmental: 1, aiTopics: { hawker_obstruction: 1 } });
    const confirmed = counterIncrementsFor({ ...event, aiTopic: 'pest_rodent' });
    expect(confirmed).toMatchObject({ corrected: 0, crossDepartmental: 0, aiTopics: { pest_rodent: 1 } });
    const undecided = counterIncrementsFor({ ...event, outcome: 'needs_manual', decidedAt: undefined, aiTopic: 'pest_rodent' });
    expect(undecided).toMatchObject({ corrected: 0, aiTopics: {} });
  });

  it('records no decision time for an enquiry nobody decided', () => {
    const manual = counterIncrementsFor({ ...event, outcome: 'needs_manual', degraded: true, smsSent: false, decidedAt: undefined });
    expect(manual).toMatchObject({ received: 1, needsManual: 1, edited: 0, degraded: 1, smsSent: 0, decisionCount: 0, decisionMinutesTotal: 0 });
    expect(manual.decisionMinutesHistogram).toEqual(histogram({}));
  });

  it('rejects a timestamp that is not an instant', () => {
    expect(() => counterIncrementsFor({ ...event, receivedAt: 'yesterday' })).toThrow(/receivedAt|instant/);
  });

  it('merges duplicate rows of the same day, topic, department and language', () => {
    const merged = aggregateCounters([
      counter('2025-03-02', 'pest_rodent', { received: 2, approved: 2, decisionCount: 2, decisionMinutesTotal: 30, decisionMinutesHistogram: histogram({ 1: 2 }) }),
      counter('2025-03-02', 'pest_rodent', { received: 1, rejected: 1, decisionCount: 1, decisionMinutesTotal: 100, decisionMinutesHistogram: histogram({ 4: 1 }) }),
      counter('2025-03-02', 'pest_rodent', { received: 5 }, { language: 'en-US' }),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged.find((row) => row.language === 'zh-HK')).toMatchObject({
      received: 3,
      approved: 2,
      rejected: 1,
      decisionCount: 3,
      decisionMinutesTotal: 130,
      decisionMinutesHistogram: histogram({ 1: 2, 4: 1 }),
    });
  });
});

describe('topic report', () => {
  const periodRows = [
    calls('2025-03-02', 'pest_rodent', 10),
    calls('2025-03-05', 'pest_rodent', 10, { language: 'en-US' }),
    calls('2025-03-09', 'pest_rodent', 25),
    calls('2025-03-12', 'pest_rodent', 5, { language: 'zh-CN' }),
    calls('2025-03-07', 'street_cleanliness', 40),
    calls('2025-03-14', 'street_cleanliness', 30),
    calls('2025-03-10', 'tree_risk', 6, { department: 'DEVB' }),
    calls('2025-03-01', 'water_bill', 4, { department: 'WSD', language: 'en-US' }),
    // Outside both periods.
    calls('2025-02-28', 'pest_rodent', 999),
    calls('2025-03-15', 'pest_rodent', 999),
  ];

  it('compares the period with the previous period of the same length', () => {
    const report = buildTopicReport({ counters: periodRows, from: '2025-03-08', to: '2025-03-14', granularity: 'day' });
    expect(report.period).toEqual({ from: '2025-03-08', to: '2025-03-14', days: 7 });
    expect(report.previousPeriod).toEqual({ from: '2025-03-01', to: '2025-03-07', days: 7 });
    expect(report.totals).toMatchObject({ count: 66, previousCount: 64, change: 2, changePct: 3.125, received: 66 });
    expect(report.byTopic.map(({ topic, department, count, previousCount, change, changePct }) => ({ topic, department, count, previousCount, change, changePct }))).toEqual([
      // Tied at 30: the one that was busier before comes first.
      { topic: 'street_cleanliness', department: 'FEHD', count: 30, previousCount: 40, change: -10, changePct: -25 },
      { topic: 'pest_rodent', department: 'FEHD', count: 30, previousCount: 20, change: 10, changePct: 50 },
      { topic: 'tree_risk', department: 'DEVB', count: 6, previousCount: 0, change: 6, changePct: null },
      { topic: 'water_bill', department: 'WSD', count: 0, previousCount: 4, change: -4, changePct: -100 },
    ]);
    expect(report.byTopic[1]?.byLanguage).toEqual({ 'zh-HK': 25, 'en-US': 0, 'zh-CN': 5 });
    expect(report.byDepartment).toEqual([
      { department: 'FEHD', count: 60, previousCount: 60, change: 0, changePct: 0 },
      { department: 'DEVB', count: 6, previousCount: 0, change: 6, changePct: null },
      { department: 'WSD', count: 0, previousCount: 4, change: -4, changePct: -100 },
    ]);
    expect(report.byLanguage).toEqual([
      { language: 'zh-HK', count: 61, previousCount: 50, change: 11, changePct: 22, share: 61 / 66 },
      { language: 'en-US', count: 0, previousCount: 14, change: -14, changePct: -100, share: 0 },
      { language: 'zh-CN', count: 5, previousCount: 0, change: 5, changePct: null, share: 5 / 66 },
    ]);
  });

  it('buckets a weekly series by Monday-to-Sunday weeks, marking weeks cut by the period', () => {
    const rows = [
      calls('2025-03-04', 'pest_rodent', 100), // before the period
      calls('2025-03-05', 'pest_rodent', 1), // Wednesday
      calls('2025-03-09', 'pest_rodent', 2), // Sunday: same week
      calls('2025-03-10', 'pest_rodent', 4), // Monday: next week
      calls('2025-03-23', 'pest_rodent', 8), // last Sunday
      calls('2025-03-12', 'street_cleanliness', 3),
      calls('2025-03-12', 'tree_risk', 1, { department: 'DEVB' }),
    ];
    const report = buildTopicReport({ counters: rows, from: '2025-03-05', to: '2025-03-23', granularity: 'week', seriesTopics: 2 });
    expect(weekdayOf('2025-03-05')).toBe(3);
    expect(report.series.buckets).toEqual([
      { start: '2025-03-03', end: '2025-03-09', daysInPeriod: 5 },
      { start: '2025-03-10', end: '2025-03-16', daysInPeriod: 7 },
      { start: '2025-03-17', end: '2025-03-23', daysInPeriod: 7 },
    ]);
    expect(report.series.topics).toEqual([
      { topic: 'pest_rodent', counts: [3, 4, 8] },
      { topic: 'street_cleanliness', counts: [0, 3, 0] },
    ]);
    const daily = buildTopicReport({ counters: rows, from: '2025-03-09', to: '2025-03-11', granularity: 'day' });
    expect(daily.series.buckets.map((bucket) => bucket.start)).toEqual(['2025-03-09', '2025-03-10', '2025-03-11']);
    expect(daily.series.topics).toEqual([{ topic: 'pest_rodent', counts: [2, 4, 0] }]);
  });

  it('computes acceptance as (approved + edited) / decided, leaving manual handling out', () => {
    const rows = [
      counter('2025-04-01', 'pest_rodent', { received: 12, approved: 8, edited: 2, rejected: 1, needsManual: 1, degraded: 3 }),
      counter('2025-04-02', 'pest_rodent', { received: 11, approved: 6, edited: 2, rejected: 1, needsManual: 2, degraded: 2 }, { language: 'en-US' }),
      counter('2025-04-02', 'tree_risk', { received: 2, needsManual: 2, degraded: 1 }, { department: 'DEVB' }),
    ];
    const report = buildTopicReport({ counters: rows, from: '2025-04-01', to: '2025-04-02', granularity: 'day' });
    // pest_rodent: 14 unchanged + 4 edited + 2 rejected = 20 decided; (14 + 4) / 20 = 0.9; 14 / 20 = 0.7.
    expect(report.acceptance).toEqual([
      { topic: 'pest_rodent', approvedUnchanged: 14, edited: 4, rejected: 2, total: 20, acceptanceRate: 0.9, unchangedRate: 0.7 },
      { topic: 'tree_risk', approvedUnchanged: 0, edited: 0, rejected: 0, total: 0, acceptanceRate: null, unchangedRate: null },
    ]);
    expect(report.totals.acceptance).toEqual({ approvedUnchanged: 14, edited: 4, rejected: 2, total: 20, acceptanceRate: 0.9, unchangedRate: 0.7 });
    // Shares of the 25 received: 6 degraded, 5 to manual handling.
    expect(report.degradedShare).toBeCloseTo(6 / 25, 15);
    expect(report.needsManualShare).toBeCloseTo(5 / 25, 15);
    expect(report.byTopic.find((row) => row.topic === 'tree_risk')).toMatchObject({ needsManualShare: 1, degradedShare: 0.5 });
  });

  it('estimates the median time to decision from histogram buckets by interpolation', () => {
    // Decisions after 3, 10, 20, 45 and 200 minutes: the 2.5th of 5 lies halfway into [15, 30).
    const events = [3, 10, 20, 45, 200].map((minutes, i) =>
      counterIncrementsFor({
        enquiryId: `enq-${i}`,
        receivedAt: '2025-04-01T01:00:00Z',
        decidedAt: new Date(Date.parse('2025-04-01T01:00:00Z') + minutes * 60_000).toISOString(),
        topic: 'pest_rodent',
        department: 'FEHD',
        language: 'zh-HK',
        district: 'unknown',
        outcome: 'approved',
        degraded: false,
        smsSent: false,
      }),
    );
    const report = buildTopicReport({ counters: aggregateCounters(events), from: '2025-04-01', to: '2025-04-01', granularity: 'day' });
    expect(report.medianMinutesToDecision).toBeCloseTo(22.5, 12);
    expect(report.byTopic[0]?.medianMinutesToDecision).toBeCloseTo(22.5, 12);

    expect(medianMinutesFromHistogram(histogram({ 2: 10 }))).toBeCloseTo(22.5, 12);
    // 4 under 5 minutes, 6 in [5, 15): the 5th decision is 1/6 into the second bucket.
    expect(medianMinutesFromHistogram(histogram({ 0: 4, 1: 6 }))).toBeCloseTo(5 + 10 / 6, 12);
    // The open-ended last bucket reports its lower bound (at least three days).
    expect(medianMinutesFromHistogram(histogram({ 10: 3 }))).toBe(4320);
    expect(medianMinutesFromHistogram(histogram({}))).toBeNull();
  });

  it('carries spikes and the settings they were found with', () => {
    const rows = [...Array.from({ length: 28 }, (_, i) => calls(addDays('2025-05-01', i), 'blocked_drain_flooding', 5, { department: 'DSD' })), calls('2025-05-29', 'blocked_drain_flooding', 40, { department: 'DSD' })];
    const report = buildTopicReport({ counters: rows, from: '2025-05-29', to: '2025-05-29', granularity: 'day', baselineDays: 28 });
    expect(report.spikes.map((spike) => [spike.topic, spike.department, spike.count])).toEqual([['blocked_drain_flooding', 'DSD', 40]]);
    expect(report.spikeSettings).toMatchObject({ baselineDays: 28, alpha: 0.001, minCount: 10, minRatio: 1.5 });
  });

  it('rejects a period that ends before it starts, or dates that are not dates', () => {
    expect(() => buildTopicReport({ counters: [], from: '2025-03-10', to: '2025-03-01', granularity: 'day' })).toThrow(ValidationError);
    try {
      buildTopicReport({ counters: [], from: '2025-02-30', to: 'soon', granularity: 'day', baselineDays: 0 });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).problems.map((problem) => problem.field)).toEqual(['from', 'to', 'baselineDays']);
    }
  });

  it('reports an empty period without dividing by zero', () => {
    const report = buildTopicReport({ counters: [], from: '2025-03-01', to: '2025-03-07', granularity: 'week' });
    expect(report.totals).toMatchObject({ count: 0, changePct: 0 });
    expect(report).toMatchObject({ byTopic: [], spikes: [], medianMinutesToDecision: null, degradedShare: null, needsManualShare: null });
    expect(report.series.topics).toEqual([]);
  });
});

describe('topic corrections in the report', () => {
  const day = '2026-11-24';
  const rows = [
    // The AI said hawker_obstruction for 4 decided enquiries: agents kept 1, moved 3 to road_damage.
    counter(day, 'road_damage', { received: 3, approved: 3, corrected: 3, aiTopics: { hawker_obstruction: 3 } }, { department: 'HyD' }),
    counter(day, 'hawker_obstruction', { received: 1, approved: 1, aiTopics: { hawker_obstruction: 1 } }),
    // The AI said noise_neighbourhood for 2: both moved (to two topics); nothing is left under it.
    counter(day, 'air_pollution_smoke', { received: 1, edited: 1, corrected: 1, crossDepartmental: 1, aiTopics: { noise_neighbourhood: 1 } }, { department: 'EPD' }),
    counter(day, 'noise_construction', { received: 1, rejected: 1, corrected: 1, aiTopics: { noise_neighbourhood: 1 } }, { department: 'EPD' }),
    // Rows from before corrections were recorded: counted, but not in correction figures.
    counter(day, 'pest_rodent', { received: 5, approved: 5 }),
  ];
  const report = buildTopicReport({ counters: rows, from: day, to: day, granularity: 'day' });

  it('gives each AI topic its correction rate, even one agents moved everything out of', () => {
    const byAi = Object.fromEntries(report.corrections.byAiTopic.map((row) => [row.topic, row]));
    expect(byAi['hawker_obstruction']).toMatchObject({ decided: 4, corrected: 3, correctionRate: 0.75, topConfusions: [{ agentTopic: 'road_damage', count: 3 }] });
    expect(byAi['noise_neighbourhood']).toMatchObject({ decided: 2, corrected: 2, correctionRate: 1 });
    expect(report.byTopic.find((row) => row.topic === 'noise_neighbourhood')).toBeUndefined();
    expect(report.corrections.byAiTopic[0]?.topic).toBe('noise_neighbourhood');
    expect(report.corrections).toMatchObject({ decided: 6, corrected: 5 });
  });

  it('lists the top confusions AI topic → agent topic, most frequent first', () => {
    expect(report.corrections.topConfusions[0]).toEqual({ aiTopic: 'hawker_obstruction', agentTopic: 'road_damage', count: 3, shareOfAiTopic: 0.75 });
    expect(report.corrections.topConfusions).toHaveLength(3);
  });

  it('shows per topic the corrections into it, the cross-departmental share and its own correction rate as the AI topic', () => {
    const road = report.byTopic.find((row) => row.topic === 'road_damage')!;
    expect(road).toMatchObject({ count: 3, correctedIn: 3, crossDepartmental: 0, crossDepartmentalShare: 0, correction: { decided: 0, correctionRate: null } });
    const air = report.byTopic.find((row) => row.topic === 'air_pollution_smoke')!;
    expect(air).toMatchObject({ crossDepartmental: 1, crossDepartmentalShare: 1 });
    expect(report.corrections.crossDepartmental).toBe(1);
    expect(report.corrections.crossDepartmentalShare).toBeCloseTo(1 / 11);
  });

  it('synthetic history carries plausible corrections without changing its other figures', () => {
    const history = generateSyntheticHistory({ seed: 7, days: 14, dailyEnquiries: 3000 });
    const synthetic = buildTopicReport({ counters: history.rows, from: history.to, to: history.to, granularity: 'day' });
    expect(synthetic.corrections.topConfusions[0]?.count).toBeGreaterThan(0);
    expect(synthetic.corrections.correctionRate).toBeGreaterThan(0);
    expect(synthetic.corrections.correctionRate).toBeLessThan(0.1);
  });
});

describe('synthetic history', () => {
  it('generates a million enquiries over 90 days as aggregate rows, well under a second, and reports on them quickly', () => {
    const started = performance.now();
    const history = generateSyntheticHistory({ seed: 7, days: 90 });
    const generatedMs = performance.now() - started;
    const total = history.rows.reduce((sum, row) => sum + row.received, 0);
    expect(total).toBeGreaterThan(950_000);
    expect(total).toBeLessThan(1_050_000);
    // Aggregates, not enquiries: at most day x topic x language rows.
    expect(history.rows.length).toBeLessThanOrEqual(90 * 36 * 3);
    expect(generatedMs).toBeLessThan(1000);

    const reportStarted = performance.now();
    const report = buildTopicReport({ counters: history.rows, from: '2025-03-01', to: '2025-03-31', granularity: 'week' });
    expect(performance.now() - reportStarted).toBeLessThan(500);
    expect(report.totals.count).toBeGreaterThan(300_000);
  });

  it('has the realistic mix: languages ~70/15/15, decisions ~70/20/10, fewer calls on Sundays', () => {
    const history = generateSyntheticHistory({ seed: 11, days: 56 });
    const sum = (pick: (row: TopicCounterRow) => number, rows = history.rows): number => rows.reduce((total, row) => total + pick(row), 0);
    const received = sum((row) => row.received);
    expect(sum((row) => row.received, history.rows.filter((row) => row.language === 'zh-HK')) / received).toBeCloseTo(0.7, 2);
    expect(sum((row) => row.received, history.rows.filter((row) => row.language === 'en-US')) / received).toBeCloseTo(0.15, 2);
    const decided = sum((row) => row.approved + row.edited + row.rejected);
    expect(sum((row) => row.approved) / decided).toBeCloseTo(0.7, 2);
    expect(sum((row) => row.edited) / decided).toBeCloseTo(0.2, 2);
    expect(sum((row) => row.needsManual) / received).toBeCloseTo(0.03, 2);
    expect(sum((row) => row.degraded) / received).toBeCloseTo(0.02, 2);
    expect(sum((row) => row.decisionCount)).toBe(decided);
    expect(sum((row) => row.decisionMinutesHistogram.reduce((a, b) => a + b, 0))).toBe(decided);
    const onWeekday = (weekday: number): number => sum((row) => row.received, history.rows.filter((row) => weekdayOf(row.day) === weekday));
    expect(onWeekday(0)).toBeLessThan(onWeekday(1) * 0.6);
    const median = medianMinutesFromHistogram(
      history.rows.reduce((acc, row) => acc.map((count, i) => count + (row.decisionMinutesHistogram[i] ?? 0)), histogram({})),
    );
    expect(median).toBeGreaterThan(35);
    expect(median).toBeLessThan(60);
  });

  it('is deterministic per seed and multiplies the injected spike', () => {
    const spike = { topic: 'mosquito_breeding', fromDay: '2025-01-20', days: 2, multiplier: 4 } as const;
    const a = generateSyntheticHistory({ seed: 42, days: 30, spikes: [spike] });
    const b = generateSyntheticHistory({ seed: 42, days: 30, spikes: [spike] });
    const c = generateSyntheticHistory({ seed: 43, days: 30, spikes: [spike] });
    expect(a).toEqual(b);
    expect(a.rows).not.toEqual(c.rows);
    expect(a.spikes).toEqual([spike]);
    const mosquitoOn = (day: string): number => a.rows.filter((row) => row.topic === 'mosquito_breeding' && row.day === day).reduce((sum, row) => sum + row.received, 0);
    const base = a.baseDailyRates.mosquito_breeding ?? 0;
    // Monday 2025-01-20: 4x the ~1.1x weekday rate.
    expect(mosquitoOn('2025-01-20')).toBeGreaterThan(base * 3.5);
    expect(mosquitoOn('2025-01-22')).toBeLessThan(base * 1.6);
  });
});
