import { addDays, hongKongDay, type TopicCounterRow } from '../shared/domain/reports/counters.ts';
import { generateSyntheticHistory, type InjectedSpike } from './synthetic-history.ts';
import { BASELINE_DAYS } from '../shared/domain/reports/produce-report.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import { counterItemOf } from '../shared/adapters/aws/dynamo-outcome-counters.ts';

/** Where the local counters live: the table DynamoOutcomeCounters reads (local/stack.ts). */
export interface CounterTable {
  client: DynamoDBClient;
  tableName: string;
}

/**
 * Writes whole counter rows (demo and test history from the synthetic generator) in the layout the
 * counters adapter reads. Never for live outcomes: those go through `record`, which counts each enquiry once.
 */
export async function seedCounterRows(table: CounterTable, rows: readonly TopicCounterRow[]): Promise<void> {
  const documents = DynamoDBDocumentClient.from(table.client);
  const items = rows.map(counterItemOf);
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
      [table.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    // BatchWrite may leave items unprocessed under load; resend them until none remain.
    while (pending && Object.keys(pending).length > 0) {
      const result: BatchWriteCommandOutput = await documents.send(new BatchWriteCommand({ RequestItems: pending }));
      pending = result.UnprocessedItems as typeof pending;
    }
  }
}

/**
 * Gives the local supervisor dashboard 60 days of SYNTHETIC history (seeded, so every run shows the same),
 * ending yesterday, split over the 18 districts, with one injected burst of flooding complaints (its extra
 * calls in the afternoon, as a rainstorm would bring them) that hits Wong Tai Sin hardest, on top of which
 * real local outcomes are counted. The last 29 days (the
 * spike baseline and yesterday) are by the hour, as hourly counters record them, so the report can show
 * the surge day hour by hour. Labelled synthetic wherever it is shown.
 */
export async function seedDemoHistory(counters: CounterTable, now: Date): Promise<{ from: string; to: string; spikes: InjectedSpike[] }> {
  const yesterday = addDays(hongKongDay(now.toISOString()), -1);
  const startDay = addDays(yesterday, -59);
  const burst = { topic: 'blocked_drain_flooding', fromDay: addDays(yesterday, -1), days: 2, hours: [13, 19] } as const;
  // Everywhere 4× the usual flooding calls; in Wong Tai Sin 6× that again: a topic spike and a district spike.
  const spikes: InjectedSpike[] = [
    { ...burst, multiplier: 4 },
    { ...burst, multiplier: 6, district: 'wong-tai-sin' },
  ];
  const history = generateSyntheticHistory({ seed: 1823, days: 60, startDay, dailyEnquiries: 900, spikes, hourlyFrom: addDays(yesterday, -BASELINE_DAYS), districts: true });
  await seedCounterRows(counters, history.rows);
  return { from: history.from, to: history.to, spikes };
}
