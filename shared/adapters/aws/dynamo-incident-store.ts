import { ConditionalCheckFailedException, TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import {
  bucketOf,
  incidentKeyId,
  newIncidentId,
  planGrouping,
  type BucketEntry,
  type Incident,
} from '../../domain/incidents/incident.ts';
import { TransientError } from '../../domain/errors.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter } from '../../domain/retention.ts';
import type { GroupingResult, IncidentMember, IncidentReport, IncidentStore } from '../../ports/incident-store.ts';
import { ENQUIRY_TABLE_KEYS, incidentKeyPk, incidentListPk, incidentOfPk, incidentPk } from './dynamo-table.ts';

const META = 'META';
const MARKER_SK = 'INCIDENT';
const bucketSk = (bucket: number) => `B#${bucket}`;
const memberSk = (member: IncidentMember) => `REPORT#${new Date(member.receivedAt).toISOString()}#${member.enquiryId}`;
const listSk = (lastReportAt: string, incidentId: string) => `${new Date(lastReportAt).toISOString()}#${incidentId}`;
/** Reads, conditional failures and conflicts before grouping gives up (the state machine retries TransientError). */
const ATTEMPTS = 8;

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

const BASE32 = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
const randomSuffix = () => [...randomBytes(10)].map((b) => BASE32[b & 31]).join('');

type Write = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/**
 * Incidents on the Enquiry table (single-table items, see dynamo-table.ts). Grouping one report is two
 * keyed reads (the key's item for the report's bucket and the previous one; the first report of a bucket
 * also reads the previous bucket's incident) and one TransactWriteItems of 3–4 small items: the incident
 * (created, or its count added to), the membership marker (the enquiry's idempotency key: a duplicated
 * delivery cancels the whole transaction, so nothing is counted twice), the member item (ids only, so an
 * incident of 500 reports stays a small item) and, for the first report of a bucket, the bucket's key item
 * (conditional, so two reports racing on a new key create one incident: the loser reads again and joins).
 * A join then moves the incident's last report forward (one conditional UpdateItem, never backward).
 */
export class DynamoIncidentStore implements IncidentStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly newSuffix: () => string = randomSuffix,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async group(report: IncidentReport): Promise<GroupingResult> {
    const keyId = incidentKeyId(report.key);
    const bucket = bucketOf(report.receivedAt);
    const at = new Date(report.receivedAt).toISOString();
    const expiresAt = expiryAfter(at, RETENTION.incidentDaysAfterLastReport);
    const closed = new Set<string>();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
      const [own, previous] = await Promise.all([this.bucketEntry(keyId, bucket), this.bucketEntry(keyId, bucket - 1)]);
      const ownOpen = own && !closed.has(own.incidentId) ? own : undefined;
      const previousOpen = previous && !closed.has(previous.incidentId) ? previous : undefined;
      // The previous bucket's incident is read only when this report is the first of its bucket (once per edge).
      const previousIncident = !ownOpen && previousOpen ? await this.get(previousOpen.incidentId) : undefined;
      if (previousIncident?.status === 'closed') closed.add(previousIncident.incidentId);
      const plan = planGrouping(at, ownOpen, previousIncident?.status === 'open' ? previousOpen : undefined, previousIncident?.lastReportAt);
      const incidentId = plan.kind === 'join' ? plan.incidentId : newIncidentId(at, this.newSuffix);
      const writes: Write[] = [];
      if (plan.kind === 'create') {
        const incident: Incident = { incidentId, ...report.key, firstReportAt: at, lastReportAt: at, reports: 1, status: 'open' };
        writes.push({
          Put: {
            TableName: this.tableName,
            Item: { pk: incidentPk(incidentId), sk: META, ...incident, keyId, ...this.listKeys('open', at, incidentId), [EXPIRES_AT_ATTRIBUTE]: expiresAt },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      } else {
        // ADD commutes: concurrent reports of one incident never fail each other's condition.
        writes.push({
          Update: {
            TableName: this.tableName,
            Key: { pk: incidentPk(incidentId), sk: META },
            UpdateExpression: 'ADD reports :one',
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':one': 1, ':open': 'open' },
          },
        });
      }
      const markerIndex = writes.length;
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { pk: incidentOfPk(report.enquiryId), sk: MARKER_SK, incidentId, [EXPIRES_AT_ATTRIBUTE]: expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      writes.push({
        Put: {
          TableName: this.tableName,
          Item: { pk: incidentPk(incidentId), sk: memberSk(report), enquiryId: report.enquiryId, receivedAt: at, [EXPIRES_AT_ATTRIBUTE]: expiresAt },
        },
      });
      // Register the incident in this report's bucket (first report of the bucket), or take over from a closed one.
      if (!ownOpen) {
        const item = { pk: incidentKeyPk(keyId), sk: bucketSk(bucket), incidentId, [EXPIRES_AT_ATTRIBUTE]: expiresAt };
        writes.push({
          Put: own
            ? { TableName: this.tableName, Item: item, ConditionExpression: 'incidentId = :was', ExpressionAttributeValues: { ':was': own.incidentId } }
            : { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
        });
      }
      const outcome = await this.transact(writes);
      if (outcome.ok) {
        if (plan.kind === 'join') await this.touchLastReport(incidentId, at, expiresAt);
        return { incidentId, created: plan.kind === 'create', duplicate: false };
      }
      if (outcome.reasons[markerIndex] === 'ConditionalCheckFailed') {
        const existing = await this.incidentOf(report.enquiryId);
        if (existing) {
          // A retry after a crash between the transaction and the touch: make the last report right (idempotent).
          await this.touchLastReport(existing, at, expiresAt);
          return { incidentId: existing, created: false, duplicate: true };
        }
      }
      if (plan.kind === 'join' && outcome.reasons[0] === 'ConditionalCheckFailed') closed.add(incidentId); // an agent closed it meanwhile
      // Otherwise another report registered the bucket first, or a transaction conflict: read again.
    }
    throw new TransientError('incident grouping kept conflicting with concurrent reports; retry');
  }

  /**
   * Moves the incident's last report (and its place in the open list, and its expiry) forward to `at`, never
   * back: out of the transaction, so that concurrent reports arriving out of order do not cancel each other.
   */
  private async touchLastReport(incidentId: string, at: string, expiresAt: number): Promise<void> {
    try {
      await this.guard(() => this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: incidentPk(incidentId), sk: META },
          UpdateExpression: 'SET lastReportAt = :at, #listSk = :listSk, #expiresAt = :expiresAt',
          ConditionExpression: 'attribute_exists(pk) AND lastReportAt < :at',
          ExpressionAttributeNames: { '#listSk': ENQUIRY_TABLE_KEYS.statusIndex.sortKey, '#expiresAt': EXPIRES_AT_ATTRIBUTE },
          ExpressionAttributeValues: { ':at': at, ':listSk': listSk(at, incidentId), ':expiresAt': expiresAt },
        }),
      ));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) && (error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  /** Every request: throttling (after the SDK's own retries) is a transient fault the state machine retries. */
  private async guard<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      if (THROTTLING_ERRORS.has((error as Error).name)) throw new TransientError('DynamoDB throttled incident grouping; retry', { cause: error });
      throw error;
    }
  }

  private listKeys(status: 'open' | 'closed', lastReportAt: string, incidentId: string) {
    return { [ENQUIRY_TABLE_KEYS.statusIndex.partitionKey]: incidentListPk(status), [ENQUIRY_TABLE_KEYS.statusIndex.sortKey]: listSk(lastReportAt, incidentId) };
  }

  private async transact(writes: Write[]): Promise<{ ok: true } | { ok: false; reasons: (string | undefined)[] }> {
    try {
      await this.guard(() => this.documents.send(new TransactWriteCommand({ TransactItems: writes })));
      return { ok: true };
    } catch (error) {
      if (error instanceof TransactionCanceledException || (error as Error).name === 'TransactionCanceledException') {
        return { ok: false, reasons: ((error as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code) };
      }
      if ((error as Error).name === 'TransactionConflictException') return { ok: false, reasons: [] };
      throw error;
    }
  }

  private async bucketEntry(keyId: string, bucket: number): Promise<BucketEntry | undefined> {
    const result = await this.guard(() => this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: incidentKeyPk(keyId), sk: bucketSk(bucket) }, ConsistentRead: true })));
    return result.Item ? { incidentId: String(result.Item['incidentId']) } : undefined;
  }

  async get(incidentId: string): Promise<Incident | undefined> {
    const result = await this.guard(() => this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: incidentPk(incidentId), sk: META }, ConsistentRead: true })));
    return result.Item ? incidentOf(result.Item) : undefined;
  }

  async incidentOf(enquiryId: string): Promise<string | undefined> {
    const result = await this.guard(() => this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: incidentOfPk(enquiryId), sk: MARKER_SK }, ConsistentRead: true })));
    return result.Item ? String(result.Item['incidentId']) : undefined;
  }

  async *members(incidentId: string): AsyncIterable<IncidentMember> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.guard(() => this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :report)',
          ExpressionAttributeValues: { ':pk': incidentPk(incidentId), ':report': 'REPORT#' },
          ConsistentRead: true,
          ...(cursor ? { ExclusiveStartKey: cursor } : {}),
        }),
      ));
      for (const item of page.Items ?? []) yield { enquiryId: String(item['enquiryId']), receivedAt: String(item['receivedAt']) };
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }

  async listOpen(since: string, options: { limit?: number } = {}): Promise<Incident[]> {
    const { name, partitionKey, sortKey } = ENQUIRY_TABLE_KEYS.statusIndex;
    const result = await this.guard(() => this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: name,
        KeyConditionExpression: '#pk = :open AND #sk >= :since',
        ExpressionAttributeNames: { '#pk': partitionKey, '#sk': sortKey },
        ExpressionAttributeValues: { ':open': incidentListPk('open'), ':since': new Date(since).toISOString() },
        ScanIndexForward: false,
        Limit: options.limit ?? 100,
      }),
    ));
    return (result.Items ?? []).map(incidentOf);
  }

  async close(incidentId: string, by: string, at: string): Promise<boolean> {
    try {
      await this.guard(() => this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: incidentPk(incidentId), sk: META },
          UpdateExpression: 'SET #status = :closed, closedAt = :at, closedBy = :by, #listPk = :closedList',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status', '#listPk': ENQUIRY_TABLE_KEYS.statusIndex.partitionKey },
          ExpressionAttributeValues: { ':closed': 'closed', ':open': 'open', ':at': at, ':by': by, ':closedList': incidentListPk('closed') },
        }),
      ));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

/** The stored item as an Incident: the fields the domain defines, no storage keys. */
function incidentOf(item: Record<string, unknown>): Incident {
  const place = item['place'] as Incident['place'];
  return {
    incidentId: String(item['incidentId']),
    topic: String(item['topic']),
    district: item['district'] as Incident['district'],
    place: { en: place.en, zh: place.zh, kind: place.kind },
    firstReportAt: String(item['firstReportAt']),
    lastReportAt: String(item['lastReportAt']),
    reports: Number(item['reports']),
    status: item['status'] === 'closed' ? 'closed' : 'open',
    ...(item['closedAt'] ? { closedAt: String(item['closedAt']) } : {}),
    ...(item['closedBy'] ? { closedBy: String(item['closedBy']) } : {}),
  };
}
