import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand, UpdateCommand, type BatchWriteCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Enquiry } from '../../domain/enquiry.ts';
import type { Language } from '../../domain/language.ts';
import {
  counterIncrementsFor,
  DECISION_HISTOGRAM_BUCKETS,
  emptyCounterValues,
  type Outcome,
  type TopicCounterRow,
} from '../../domain/reports/counters.ts';
import type { OutcomeRecorder } from '../../domain/steps/outcome.ts';
import { TOPIC_IDS, type DepartmentId, type TopicId } from '../../domain/topics.ts';

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
/** What a report reads of a counter item: everything but the idempotency set. */
const PROJECTED_FIELDS = [
  'day',
  'topic',
  'department',
  'language',
  ...NUMERIC_FIELDS,
  ...Array.from({ length: DECISION_HISTOGRAM_BUCKETS }, (_, i) => histogramField(i)),
  ...TOPIC_IDS.map(aiTopicField),
];

/** Counter rows are grouped by month so a month's report is one paged Query, sorted by day. */
const partitionOf = (day: string) => `COUNTERS#${day.slice(0, 7)}`;
const sortKeyOf = (row: Pick<TopicCounterRow, 'day' | 'topic' | 'department' | 'language'>) =>
  `${row.day}#${row.topic}#${row.department}#${row.language}`;

const OUTCOME_OF: Record<string, Outcome> = { approve: 'approved', edit: 'edited', reject: 'rejected' };

/**
 * Report counters in DynamoDB. Each enquiry's increments land in one atomic UpdateItem guarded by
 * `NOT contains(seen, :enquiryId)`: a retried RecordOutcome never counts twice, with no transaction
 * (so dynalite serves it locally too). Limit: ~14k enquiries per day × topic × department × language
 * before the `seen` set nears the 400 KB item limit; far above the hotline's volume per key.
 */
export class DynamoOutcomeCounters implements OutcomeRecorder {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client);
  }

  async record(enquiry: Enquiry): Promise<{ counted: boolean }> {
    const outcome = enquiry.status === 'needs_manual' ? 'needs_manual' : OUTCOME_OF[enquiry.decision?.action ?? ''];
    if (!outcome || !enquiry.topic) return { counted: false };
    // Reports count the agent-confirmed topic and department; the AI's topic is kept for correction figures.
    const confirmed = enquiry.decision?.topic;
    const row = counterIncrementsFor({
      enquiryId: enquiry.enquiryId,
      receivedAt: enquiry.receivedAt,
      topic: (confirmed?.topic ?? enquiry.topic.topic) as TopicId,
      department: (confirmed?.department ?? enquiry.topic.department) as DepartmentId,
      language: (enquiry.language ?? enquiry.topic.language) as Language,
      outcome,
      degraded: enquiry.degraded ?? false,
      smsSent: enquiry.decision?.sendSms ?? false,
      ...(enquiry.decision ? { decidedAt: enquiry.decision.decidedAt, aiTopic: enquiry.topic.topic as TopicId } : {}),
      ...(confirmed?.crossDepartmental ? { crossDepartmental: true } : {}),
    });
    const increments: [string, number][] = [
      ...NUMERIC_FIELDS.map((field) => [field, row[field]] as [string, number]),
      ...row.decisionMinutesHistogram.map((count, i) => [histogramField(i), count] as [string, number]),
      ...Object.entries(row.aiTopics).map(([topic, count]) => [aiTopicField(topic), count ?? 0] as [string, number]),
    ].filter(([, value]) => value !== 0);
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: partitionOf(row.day), sk: sortKeyOf(row) },
          UpdateExpression: `SET #day = :day, #topic = :topic, #department = :department, #language = :language ADD #seen :ids, ${increments
            .map((_, i) => `#f${i} :v${i}`)
            .join(', ')}`,
          ConditionExpression: 'attribute_not_exists(#seen) OR NOT contains(#seen, :id)',
          ExpressionAttributeNames: {
            '#seen': 'seen',
            '#day': 'day',
            '#topic': 'topic',
            '#department': 'department',
            '#language': 'language',
            ...Object.fromEntries(increments.map(([field], i) => [`#f${i}`, field])),
          },
          ExpressionAttributeValues: {
            ':id': enquiry.enquiryId,
            ':ids': new Set([enquiry.enquiryId]),
            ':day': row.day,
            ':topic': row.topic,
            ':department': row.department,
            ':language': row.language,
            ...Object.fromEntries(increments.map(([, value], i) => [`:v${i}`, value])),
          },
        }),
      );
      return { counted: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { counted: false };
      throw error;
    }
  }

  /**
   * Writes whole counter rows (demo and benchmark history from the synthetic generator). Not for live
   * outcomes: those go through `record`, which is idempotent per enquiry.
   */
  async seedRows(rows: readonly TopicCounterRow[]): Promise<void> {
    const items = rows.map((row) => ({
      pk: partitionOf(row.day),
      sk: sortKeyOf(row),
      day: row.day,
      topic: row.topic,
      department: row.department,
      language: row.language,
      ...Object.fromEntries(NUMERIC_FIELDS.map((field) => [field, row[field]])),
      ...Object.fromEntries(row.decisionMinutesHistogram.map((count, i) => [histogramField(i), count])),
      ...Object.fromEntries(Object.entries(row.aiTopics).map(([topic, count]) => [aiTopicField(topic), count])),
    }));
    for (let i = 0; i < items.length; i += 25) {
      let pending: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
        [this.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      // BatchWrite may leave items unprocessed under load; resend them until none remain.
      while (pending && Object.keys(pending).length > 0) {
        const result: BatchWriteCommandOutput = await this.documents.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = result.UnprocessedItems as typeof pending;
      }
    }
  }

  /** Counter rows for the Hong Kong days `from`..`to` inclusive (never reads enquiries). */
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
            // The idempotency set is not part of a report.
            ProjectionExpression: PROJECTED_FIELDS.map((_, i) => `#p${i}`).join(', '),
            ExpressionAttributeNames: Object.fromEntries(PROJECTED_FIELDS.map((name, i) => [`#p${i}`, name])),
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        );
        for (const item of page.Items ?? []) rows.push(rowFromItem(item));
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
    return rows;
  }
}

function rowFromItem(item: Record<string, unknown>): TopicCounterRow {
  const values = emptyCounterValues();
  for (const field of NUMERIC_FIELDS) values[field] = Number(item[field] ?? 0);
  values.decisionMinutesHistogram = values.decisionMinutesHistogram.map((_, i) => Number(item[histogramField(i)] ?? 0));
  for (const topic of TOPIC_IDS) {
    const count = Number(item[aiTopicField(topic)] ?? 0);
    if (count > 0) values.aiTopics[topic] = count;
  }
  return {
    day: String(item['day']),
    topic: item['topic'] as TopicId,
    department: item['department'] as DepartmentId,
    language: item['language'] as Language,
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
