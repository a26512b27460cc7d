import { describe, expect, it } from 'vitest';
import { addDays, emptyCounterValues, type TopicCounterRow } from '../../shared/domain/reports/counters.ts';
import { reportToHtml } from '../../shared/domain/reports/html.ts';
import { buildTopicReport } from '../../shared/domain/reports/report.ts';
import { expectedBand, poissonQuantile } from '../../shared/domain/reports/trend-context.ts';
import type { TopicId } from '../../shared/vocabulary/topics.ts';

const REPORT_DAY = '2026-11-24';

function hourRow(day: string, hour: number, topic: TopicId, received: number): TopicCounterRow {
  return { day, hour, topic, department: topic === 'blocked_drain_flooding' ? 'DSD' : 'FEHD', language: 'zh-HK', district: 'unknown', ...emptyCounterValues(), received };
}

/**
 * 28 quiet days of hourly counters (flooding: 2 an hour in the daytime, none at night; hygiene: 3 an
 * hour all day), then a report day on which flooding surges from 14:00 to 16:59 (a black rainstorm).
 */
function rainstormHistory(): TopicCounterRow[] {
  const rows: TopicCounterRow[] = [];
  for (let d = -28; d <= 0; d++) {
    const day = addDays(REPORT_DAY, d);
    for (let hour = 0; hour < 24; hour++) {
      const daytime = hour >= 8 && hour < 20;
      const surge = d === 0 && hour >= 14 && hour < 17;
      if (daytime || surge) rows.push(hourRow(day, hour, 'blocked_drain_flooding', surge ? 150 : 2));
      rows.push(hourRow(day, hour, 'street_cleanliness', 3));
    }
  }
  return rows;
}

describe('Poisson expected bands', () => {
  it('matches known Poisson quantiles', () => {
    expect(poissonQuantile(0.5, 10)).toBe(10);
    expect(poissonQuantile(0.005, 10)).toBe(3);
    expect(poissonQuantile(0.995, 10)).toBe(19);
    expect(poissonQuantile(0.995, 0)).toBe(0);
    expect(expectedBand(1000)).toEqual({ mean: 1000, low: 919, high: 1082 }); // P(X ≤ 1082) = 0.99505, P(X ≤ 919) = 0.00500
  });
});

describe('report context: baseline, band and the surge day by hour', () => {
  const report = buildTopicReport({ counters: rainstormHistory(), from: REPORT_DAY, to: REPORT_DAY, granularity: 'day' });

  it('flags the surge and keeps the daily totals whole (hours add up to the day)', () => {
    expect(report.spikes.map((spike) => spike.topic)).toEqual(['blocked_drain_flooding']);
    expect(report.byTopic.find((row) => row.topic === 'blocked_drain_flooding')?.count).toBe(9 * 2 + 3 * 150);
    expect(report.byTopic.find((row) => row.topic === 'street_cleanliness')?.count).toBe(72);
  });

  it('spans the 28 baseline days and the report day, with the band spike detection uses', () => {
    const { buckets, topics } = report.context;
    expect(buckets).toHaveLength(29);
    expect(buckets[0]).toEqual({ start: addDays(REPORT_DAY, -28), end: addDays(REPORT_DAY, -28), days: 1, inPeriod: false });
    expect(buckets.at(-1)).toEqual({ start: REPORT_DAY, end: REPORT_DAY, days: 1, inPeriod: true });
    const flooding = topics.find((topic) => topic.topic === 'blocked_drain_flooding')!;
    expect(flooding.spike).toBe(true);
    expect(flooding.counts.slice(0, 28)).toEqual(new Array(28).fill(24));
    expect(flooding.counts[28]).toBe(468);
    const spike = report.spikes[0]!;
    expect(flooding.expected[28]?.mean).toBeCloseTo(spike.baselineDailyMean, 9);
    expect(flooding.expected[28]).toMatchObject({ low: expect.any(Number), high: expect.any(Number) });
    expect(flooding.expected[28]!.high).toBeLessThan(468);
    expect(flooding.expected[28]!.low).toBeLessThanOrEqual(24);
  });

  it('shows the report day hour by hour against the baseline hour-of-day shape, naming the surge hours', () => {
    const hourly = report.context.hourly!;
    expect(hourly.day).toBe(REPORT_DAY);
    const [flooding] = hourly.topics;
    expect(flooding?.topic).toBe('blocked_drain_flooding');
    expect(flooding?.profile).toBe('hour-of-day');
    expect(flooding?.counts).toHaveLength(24);
    expect(flooding?.counts.slice(14, 17)).toEqual([150, 150, 150]);
    expect(flooding?.unknownHour).toBe(0);
    expect([...(flooding?.surgeHours ?? [])].sort((a, b) => a - b)).toEqual([14, 15, 16]);
    // Night hours had no calls in the baseline: their expected mean is just the small prior.
    expect(flooding?.expected[3]?.mean).toBeLessThan(0.01);
    expect(flooding?.expected[10]?.mean).toBeCloseTo(2, 1);
  });

  it('draws the hourly chart with the surge hours ringed, and lists them in the spike table', () => {
    const html = reportToHtml(report);
    const start = html.indexOf('<svg class="chart chart-hourly"');
    expect(start).toBeGreaterThan(0);
    const svg = html.slice(start, html.indexOf('</svg>', start));
    expect(svg).toContain(`Surge day by hour 激增當日每小時 ${REPORT_DAY}`);
    expect(svg.match(/class="point spike-point"/g)).toHaveLength(3);
    expect(html).toMatch(/<tr class="spike" data-topic="blocked_drain_flooding">.*11-24 14:00, 15:00, 16:00<\/td><\/tr>/);
    expect(html).toContain('Report day 報告日');
  });

  it('has no hourly view on a quiet day', () => {
    const quiet = buildTopicReport({ counters: rainstormHistory(), from: addDays(REPORT_DAY, -1), to: addDays(REPORT_DAY, -1), granularity: 'day' });
    expect(quiet.spikes).toEqual([]);
    expect(quiet.context.hourly).toBeNull();
    expect(quiet.context.buckets).toHaveLength(29);
  });

  it('keeps the weekly report in weeks: four baseline weeks and the report week', () => {
    const weekly = buildTopicReport({ counters: rainstormHistory(), from: '2026-11-23', to: '2026-11-29', granularity: 'week' });
    expect(weekly.context.buckets.map((bucket) => [bucket.start, bucket.days, bucket.inPeriod])).toEqual([
      ['2026-10-26', 7, false],
      ['2026-11-02', 7, false],
      ['2026-11-09', 7, false],
      ['2026-11-16', 7, false],
      ['2026-11-23', 7, true],
    ]);
    const flooding = weekly.context.topics.find((topic) => topic.topic === 'blocked_drain_flooding')!;
    expect(flooding.expected[4]?.mean).toBeCloseTo(flooding.expected[0]!.mean, 9); // both 7 days at the same baseline rate
  });
});

describe('hourly surges: a surge within a day that the day total hides', () => {
  /** Two topics at 8 calls every hour for 28 days; on the report day flooding gets +20 in each of 14:00–16:59. */
  function hiddenSurge(): TopicCounterRow[] {
    const rows: TopicCounterRow[] = [];
    for (let d = -28; d <= 0; d++) {
      const day = addDays(REPORT_DAY, d);
      for (let hour = 0; hour < 24; hour++) {
        rows.push(hourRow(day, hour, 'blocked_drain_flooding', d === 0 && hour >= 14 && hour < 17 ? 28 : 8));
        rows.push(hourRow(day, hour, 'street_cleanliness', 8));
      }
    }
    return rows;
  }
  const report = buildTopicReport({ counters: hiddenSurge(), from: REPORT_DAY, to: REPORT_DAY, granularity: 'day' });

  it('is no spike by the day total (252 vs 192 expected) but three surge hours', () => {
    expect(report.spikes).toEqual([]);
    expect(report.hourlySurges.map((surge) => [surge.topic, surge.day, surge.hour, surge.count])).toEqual(
      expect.arrayContaining([
        ['blocked_drain_flooding', REPORT_DAY, 14, 28],
        ['blocked_drain_flooding', REPORT_DAY, 15, 28],
        ['blocked_drain_flooding', REPORT_DAY, 16, 28],
      ]),
    );
    expect(report.hourlySurges).toHaveLength(3);
    for (const surge of report.hourlySurges) expect(surge.pValue).toBeLessThan(surge.threshold);
  });

  it('shows that day by hour and lists the surges', () => {
    expect(report.context.hourly?.topics.map((topic) => topic.topic)).toEqual(['blocked_drain_flooding']);
    const html = reportToHtml(report);
    expect(html).toContain('<svg class="chart chart-hourly"');
    expect(html.match(/<tr class="hourly-surge" data-topic="blocked_drain_flooding"/g)).toHaveLength(3);
    expect(html).toContain('No spikes detected');
  });

  it('tests no hour of a topic whose baseline was counted by the whole day', () => {
    const wholeDays = hiddenSurge().map((row) => (row.day < REPORT_DAY ? { ...row, hour: undefined } : row));
    const legacy = buildTopicReport({ counters: wholeDays, from: REPORT_DAY, to: REPORT_DAY, granularity: 'day' });
    expect(legacy.hourlySurges).toEqual([]);
  });

  it('raises no hourly surge on steady hourly history', () => {
    const steady = buildTopicReport({ counters: hiddenSurge(), from: addDays(REPORT_DAY, -1), to: addDays(REPORT_DAY, -1), granularity: 'day' });
    expect(steady.hourlySurges).toEqual([]);
    expect(steady.context.hourly).toBeNull();
  });
});

describe('hourly surges on quiet synthetic history', () => {
  it('raises none over 20 report days of 4 000 calls a day counted by the hour (weekly seasonality included)', async () => {
    const { generateSyntheticHistory } = await import('../../local/synthetic-history.ts');
    const history = generateSyntheticHistory({ seed: 11, days: 60, startDay: '2026-09-01', dailyEnquiries: 4000, hourlyFrom: '2026-09-01' });
    const surges = [];
    for (let d = 40; d < 60; d++) {
      const day = addDays('2026-09-01', d);
      surges.push(...buildTopicReport({ counters: history.rows, from: day, to: day, granularity: 'day' }).hourlySurges);
    }
    expect(surges).toEqual([]);
  });
});
