import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Enquiry } from '../../domain/enquiry.ts';
import { TransientError } from '../../domain/errors.ts';
import {
  aggregateCounters,
  COUNTER_DIMENSIONS,
  counterDistrictFrom,
  DECISION_HISTOGRAM_BUCKETS,
  emptyCounterValues,
  hourKeyPart,
  type CounterDimensions,
  type CounterKey,
  type TopicCounterRow,
} from '../../domain/reports/counters.ts';
import { countingPlanFor, outcomeEventOf } from '../../domain/reports/counting.ts';
import type { OutcomeRecorder } from '../../domain/steps/outcome.ts';
import { TOPIC_IDS } from '../../vocabulary/topics.ts';
import type { CounterSource } from '../../ports/reports.ts';
import { COUNTER_TABLE_KEYS } from './counter-table.ts';

const NUMERIC_FIELDS = [
  'received',
  'approved',
  'edited',
  'rejected',
  'needsManual',
  'degraded',
  'smsSent',
  'decisionMinutesTotal',
  'decisionCount',
  'corrected',
  'crossDepartmental',
] as const;
const histogramField = (i: number) => `h${i}`;
/** Decided enquiries by the AI's topic: one number attribute per topic (ADD needs no map to exist first). */
const aiTopicField = (topic: string) => `ai_${topic}`;
/** What a report reads of a counter item (legacy day items also hold a `seen` set, never read). */
const PROJECTED_FIELDS = [
  'day',
  'hour',
  ...COUNTER_DIMENSIONS,
  ...NUMERIC_FIELDS,
  ...Array.from({ length: DECISION_HISTOGRAM_BUCKETS }, (_, i) => histogramField(i)),
  ...TOPIC_IDS.map(aiTopicField),
];

/** Counter rows are grouped by month so a month's report is one paged Query, sorted by day. */
const partitionOf = (day: string) => `COUNTERS#${day.slice(0, 7)}`;
/**
 * `2026-11-24#07#pest_rodent#FEHD#zh-HK#kwun-tong#s3`: day, hour, the dimensions, the shard. Items written
 * before hourly counting have `day#topic#department#language`, and before district counting
 * `day#hour#topic#department#language#shard`; they sort in the same day range and read as whole-day
 * rows (no `hour` attribute) or as district `unknown` (no `district` attribute).
 */
const sortKeyOf = (key: CounterKey, shard: number | undefined) =>
  [key.day, hourKeyPart(key.hour), ...COUNTER_DIMENSIONS.map((dimension) => key[dimension]), ...(shard === undefined ? [] : [`s${shard}`])].join('#');
/** Counted markers: one item per counted enquiry, each its own partition (no hot key however many). */
const markerKeyOf = (markerId: string) => ({ pk: `COUNTED#${markerId}`, sk: 'COUNTED' });

/** Attempts when another transaction holds the same shard item (TransactionConflict), before giving up. */
const CONFLICT_ATTEMPTS = 4;

/**
 * Report counters in DynamoDB: a counted marker + a sharded hour counter per outcome, written together by
 * TransactWriteItems (why: shared/domain/reports/counting.ts). Locally the same requests go to dynalite,
 * whose client runs TransactWriteItems through local/dynamo-transactions.ts.
 */
export class DynamoOutcomeCounters implements OutcomeRecorder, CounterSource {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  async record(enquiry: Enquiry): Promise<{ counted: boolean }> {
    const event = outcomeEventOf(enquiry);
    if (!event) return { counted: false };
    const plan = countingPlanFor(event);
    const row = plan.increments;
    const increments: [string, number][] = [
      ...NUMERIC_FIELDS.map((field) => [field, row[field]] as [string, number]),
      ...row.decisionMinutesHistogram.map((count, i) => [histogramField(i), count] as [string, number]),
      ...Object.entries(row.aiTopics).map(([topic, count]) => [aiTopicField(topic), count ?? 0] as [string, number]),
    ].filter(([, value]) => value !== 0);
    const keyFields: [string, string | number][] = [
      ['day', row.day],
      ...(row.hour === undefined ? [] : [['hour', row.hour] as [string, number]]),
      ...COUNTER_DIMENSIONS.map((dimension) => [dimension, row[dimension]] as [string, string]),
    ];
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...markerKeyOf(plan.markerId), [COUNTER_TABLE_KEYS.ttlAttribute]: plan.markerExpiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: { pk: partitionOf(row.day), sk: sortKeyOf(row, plan.shard) },
            UpdateExpression: `SET ${keyFields.map((_, i) => `#k${i} = :k${i}`).join(', ')} ADD ${increments.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
            ExpressionAttributeNames: {
              ...Object.fromEntries(keyFields.map(([field], i) => [`#k${i}`, field])),
              ...Object.fromEntries(increments.map(([field], i) => [`#f${i}`, field])),
            },
            ExpressionAttributeValues: {
              ...Object.fromEntries(keyFields.map(([, value], i) => [`:k${i}`, value])),
              ...Object.fromEntries(increments.map(([, value], i) => [`:v${i}`, value])),
            },
          },
        },
      ],
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.documents.send(command);
        return { counted: true };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        // The marker exists: this enquiry was counted before (a retry or a duplicate). Nothing was written.
        if (codes[0] === 'ConditionalCheckFailed') return { counted: false };
        // Another transaction held the shard item: nothing was written, try again after a jittered pause.
        if (codes.includes('TransactionConflict') && attempt < CONFLICT_ATTEMPTS) {
          await this.sleep(Math.random() * 25 * 2 ** attempt);
          continue;
        }
        throw new TransientError(`counting cancelled (${codes.join(', ')})`, { cause: error });
      }
    }
  }

  /** Counter rows for the Hong Kong days `from`..`to` inclusive, shards summed (never reads enquiries). */
  async rows(from: string, to: string): Promise<TopicCounterRow[]> {
    const rows: TopicCounterRow[] = [];
    for (const month of monthsBetween(from, to)) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': `COUNTERS#${month}`, ':from': `${from}#`, ':to': `${to}#\uffff` },
            // Only counter fields: legacy items' `seen` sets are not part of a report.
            ProjectionExpression: PROJECTED_FIELDS.map((_, i) => `#p${i}`).join(', '),
            ExpressionAttributeNames: Object.fromEntries(PROJECTED_FIELDS.map((name, i) => [`#p${i}`, name])),
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        for (const item of page.Items ?? []) rows.push(rowFromItem(item));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
    return aggregateCounters(rows);
  }
}

/**
 * The stored item of a whole counter row: the layout `record` builds up with ADDs and `rows` reads back.
 * For writing history that was never counted live (the local demo's synthetic history, local/demo-history.ts).
 */
export function counterItemOf(row: TopicCounterRow): Record<string, unknown> {
  return {
    pk: partitionOf(row.day),
    sk: sortKeyOf(row, undefined),
    day: row.day,
    ...(row.hour === undefined ? {} : { hour: row.hour }),
    ...Object.fromEntries(COUNTER_DIMENSIONS.map((dimension) => [dimension, row[dimension]])),
    ...Object.fromEntries(NUMERIC_FIELDS.map((field) => [field, row[field]])),
    ...Object.fromEntries(row.decisionMinutesHistogram.map((count, i) => [histogramField(i), count])),
    ...Object.fromEntries(Object.entries(row.aiTopics).map(([topic, count]) => [aiTopicField(topic), count])),
  };
}

function rowFromItem(item: Record<string, unknown>): TopicCounterRow {
  const values = emptyCounterValues();
  for (const field of NUMERIC_FIELDS) values[field] = Number(item[field] ?? 0);
  values.decisionMinutesHistogram = values.decisionMinutesHistogram.map((_, i) => Number(item[histogramField(i)] ?? 0));
  for (const topic of TOPIC_IDS) {
    const count = Number(item[aiTopicField(topic)] ?? 0);
    if (count > 0) values.aiTopics[topic] = count;
  }
  // Dimension values were validated (zod, taxonomy) before they were counted; stored as written.
  const dimensions = Object.fromEntries(COUNTER_DIMENSIONS.map((dimension) => [dimension, String(item[dimension])])) as unknown as CounterDimensions;
  // Items written before districts were counted have no district attribute: they count as unknown.
  dimensions.district = counterDistrictFrom(item['district']);
  return {
    day: String(item['day']),
    ...(item['hour'] === undefined ? {} : { hour: Number(item['hour']) }),
    ...dimensions,
    ...values,
  };
}

function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const end = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= end) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}
