import { addDays, hongKongDay } from '../shared/domain/reports/counters.ts';
import { generateSyntheticHistory, type InjectedSpike } from './synthetic-history.ts';
import { BASELINE_DAYS } from '../shared/domain/reports/produce-report.ts';
import type { DynamoOutcomeCounters } from '../shared/adapters/aws/dynamo-outcome-counters.ts';

/**
 * Gives the local supervisor dashboard 60 days of SYNTHETIC history (seeded, so every run shows the same),
 * ending yesterday, with one injected burst of flooding complaints (its extra calls in the afternoon, as a
 * rainstorm would bring them), on top of which real local outcomes are counted. The last 29 days (the
 * spike baseline and yesterday) are by the hour, as hourly counters record them, so the report can show
 * the surge day hour by hour. Labelled synthetic wherever it is shown.
 */
export async function seedDemoHistory(counters: DynamoOutcomeCounters, now: Date): Promise<{ from: string; to: string; spikes: InjectedSpike[] }> {
  const yesterday = addDays(hongKongDay(now.toISOString()), -1);
  const startDay = addDays(yesterday, -59);
  const spikes: InjectedSpike[] = [{ topic: 'blocked_drain_flooding', fromDay: addDays(yesterday, -1), days: 2, multiplier: 4, hours: [13, 19] }];
  const history = generateSyntheticHistory({ seed: 1823, days: 60, startDay, dailyEnquiries: 900, spikes, hourlyFrom: addDays(yesterday, -BASELINE_DAYS) });
  await counters.seedRows(history.rows);
  return { from: history.from, to: history.to, spikes };
}
