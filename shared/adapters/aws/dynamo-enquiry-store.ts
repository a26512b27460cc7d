import { randomBytes } from 'node:crypto';
import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Enquiry, EnquiryContact } from '../../domain/enquiry.ts';
import { TransientError } from '../../domain/errors.ts';
import { StatusConflictError, type EnquiryStore, type StatusChange } from '../../ports/enquiry-store.ts';
import { ENQUIRY_TABLE_KEYS, enquiryPk, statusPk } from './dynamo-table.ts';

const META = 'META';
const CONTACT = 'CONTACT';
const AUDIT_PREFIX = 'AUDIT#';
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function stripKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
}

function statusIndexKeys(enquiry: Pick<Enquiry, 'status' | 'receivedAt' | 'enquiryId'>) {
  return { gsi1pk: statusPk(enquiry.status), gsi1sk: `${enquiry.receivedAt}#${enquiry.enquiryId}` };
}

// The random suffix keeps two changes within one millisecond from overwriting each other.
function auditItem(event: AuditEvent) {
  return { pk: enquiryPk(event.enquiryId), sk: `${AUDIT_PREFIX}${event.at}#${randomBytes(4).toString('hex')}`, ...event };
}

/** True when a transaction failed only because one of its conditions did not hold. */
function conditionFailed(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}

function isThrottling(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'ThrottlingException' ||
    name === 'RequestLimitExceeded' ||
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError'))
  );
}

/** Enquiry store on the single DynamoDB table (real AWS, or dynalite locally). */
export class DynamoEnquiryStore implements EnquiryStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async createIfAbsent(enquiry: Enquiry, contact: EnquiryContact): Promise<{ created: boolean; enquiry: Enquiry }> {
    const pk = enquiryPk(enquiry.enquiryId);
    const firstEvent: AuditEvent = { enquiryId: enquiry.enquiryId, at: enquiry.createdAt, from: null, to: enquiry.status, actor: 'intake' };
    try {
      await this.write(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk, sk: META, ...statusIndexKeys(enquiry), ...enquiry },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: { pk, sk: CONTACT, ...contact } } },
            { Put: { TableName: this.tableName, Item: auditItem(firstEvent) } },
          ],
        }),
      );
      return { created: true, enquiry };
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const existing = await this.get(enquiry.enquiryId);
      if (!existing) throw new TransientError(`enquiry ${enquiry.enquiryId} exists but could not be read yet`);
      return { created: false, enquiry: existing };
    }
  }

  async get(enquiryId: string): Promise<Enquiry | undefined> {
    return this.getItem<Enquiry>(enquiryId, META);
  }

  async getContact(enquiryId: string): Promise<EnquiryContact | undefined> {
    return this.getItem<EnquiryContact>(enquiryId, CONTACT);
  }

  async updateContact(enquiryId: string, patch: Partial<Omit<EnquiryContact, 'enquiryId'>>): Promise<void> {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: enquiryPk(enquiryId), sk: CONTACT },
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async changeStatus(change: StatusChange): Promise<Enquiry> {
    const current = await this.get(change.enquiryId);
    if (!current) throw new StatusConflictError(change.enquiryId, undefined);
    const expected = change.expectedStatus === undefined ? undefined : [change.expectedStatus].flat();
    if (expected && !expected.includes(current.status)) throw new StatusConflictError(change.enquiryId, current.status);
    const next: Enquiry = { ...current, ...change.patch, status: change.to, updatedAt: change.at };
    const event: AuditEvent = {
      enquiryId: change.enquiryId,
      at: change.at,
      from: current.status,
      to: change.to,
      actor: change.actor,
      ...(change.note ? { note: change.note } : {}),
    };
    try {
      await this.write(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: enquiryPk(change.enquiryId), sk: META, ...statusIndexKeys(next), ...next },
                // Optimistic concurrency: the write only lands if nobody changed the enquiry since we read it.
                ConditionExpression: '#updatedAt = :readUpdatedAt AND #status = :readStatus',
                ExpressionAttributeNames: { '#updatedAt': 'updatedAt', '#status': 'status' },
                ExpressionAttributeValues: { ':readUpdatedAt': current.updatedAt, ':readStatus': current.status },
              },
            },
            { Put: { TableName: this.tableName, Item: auditItem(event) } },
          ],
        }),
      );
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      const latest = await this.get(change.enquiryId);
      throw new StatusConflictError(change.enquiryId, latest?.status);
    }
    return next;
  }

  async auditTrail(enquiryId: string): Promise<AuditEvent[]> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': enquiryPk(enquiryId), ':audit': AUDIT_PREFIX },
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((item) => stripKeys<AuditEvent>(item));
  }

  async listByStatus(
    status: Enquiry['status'],
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: Enquiry[]; cursor?: string }> {
    const result = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ENQUIRY_TABLE_KEYS.statusIndex.name,
        KeyConditionExpression: 'gsi1pk = :status',
        ExpressionAttributeValues: { ':status': statusPk(status) },
        Limit: options.limit ?? 25,
        ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor) } : {}),
      }),
    );
    return {
      items: (result.Items ?? []).map((item) => stripKeys<Enquiry>(item)),
      ...(result.LastEvaluatedKey ? { cursor: encodeCursor(result.LastEvaluatedKey) } : {}),
    };
  }

  private async getItem<T>(enquiryId: string, sk: string): Promise<T | undefined> {
    const result = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: enquiryPk(enquiryId), sk }, ConsistentRead: true }),
    );
    return result.Item ? stripKeys<T>(result.Item) : undefined;
  }

  private async write(command: TransactWriteCommand): Promise<void> {
    try {
      await this.documents.send(command);
    } catch (error) {
      if (isThrottling(error)) throw new TransientError('DynamoDB throttled or conflicted; retry', { cause: error });
      throw error;
    }
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new Error('cursor is not a cursor this API returned');
}
