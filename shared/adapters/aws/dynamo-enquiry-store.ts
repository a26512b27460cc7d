import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, Enquiry, EnquiryContact } from '../../domain/enquiry.ts';
import type { EnquiryStatus } from '../../vocabulary/enquiry-statuses.ts';
import { TransientError, ValidationError } from '../../domain/errors.ts';
import { StatusConflictError, type DecidedEnquiry, type EnquiryStore, type StatusChange } from '../../ports/enquiry-store.ts';
import { ENQUIRY_TABLE_KEYS, contactPk, enquiryPk, statusPk, taskTokenPk } from './dynamo-table.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter, isSettled } from '../../domain/retention.ts';
import type { CallerHasher } from '../../ports/caller-hasher.ts';

const META = 'META';
/** The audit trail lives on the enquiry item so a status change and its event are one atomic write. */
const AUDIT = 'audit';
const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

function stripKeys<T>(item: Record<string, unknown>): T {
  const copy = { ...item };
  for (const key of KEY_ATTRIBUTES) delete copy[key];
  return copy as T;
}

/** Sorted by the instant received (as UTC), so "oldest first" holds across callers' time-zone offsets. */
function statusIndexKeys(enquiry: Pick<Enquiry, 'status' | 'receivedAt' | 'enquiryId'>) {
  return { gsi1pk: statusPk(enquiry.status), gsi1sk: `${new Date(enquiry.receivedAt).toISOString()}#${enquiry.enquiryId}` };
}

/** Where an enquiry with an agent's decision can be (needs_manual: decided, but the decision never resumed the workflow). */
const DECIDED_STATUSES: readonly EnquiryStatus[] = ['approved', 'edited', 'rejected', 'sms_queued', 'sms_sent', 'sms_failed', 'closed', 'needs_manual'];
/**
 * How long before a decision an enquiry can have been received: the review timeout (72 h) plus transcription
 * (2 h) and margin. `decidedSince` reads the status index from `since` minus this.
 */
const MAX_RECEIVED_TO_DECIDED_MS = 4 * 24 * 3600_000;

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

function isThrottling(error: unknown): boolean {
  return THROTTLING_ERRORS.has((error as { name?: string }).name ?? '');
}

export interface DynamoEnquiryStoreOptions {
  /**
   * `all` (default when a restricted table is named): read and write raw contact data and task tokens.
   * `expiry`: only start the retention clock of restricted items when the enquiry settles (IAM lets such a
   * function set `expiresAt` and nothing else, and read nothing).
   */
  restrictedAccess?: 'all' | 'expiry';
  /** Intake: indexes each enquiry under the keyed hash of its caller's number (never the number itself). */
  callerHasher?: CallerHasher;
}

/**
 * Enquiry store on DynamoDB (real AWS, or dynalite locally): the Enquiry table, and the restricted table
 * (raw contact data, task tokens) for the functions that are given it. Without `restrictedTableName` every
 * method that needs it throws: IAM would refuse it anyway, this says so by name.
 */
export class DynamoEnquiryStore implements EnquiryStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly restrictedTableName?: string,
    private readonly options: DynamoEnquiryStoreOptions = {},
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  private restricted(): string {
    if (!this.restrictedTableName || this.options.restrictedAccess === 'expiry') {
      throw new Error('this function is not given the restricted table (raw contact data, task tokens)');
    }
    return this.restrictedTableName;
  }

  async createIfAbsent(enquiry: Enquiry, contact: EnquiryContact): Promise<{ created: boolean; enquiry: Enquiry }> {
    const pk = enquiryPk(enquiry.enquiryId);
    const firstEvent: AuditEvent = { enquiryId: enquiry.enquiryId, at: enquiry.createdAt, from: null, to: enquiry.status, actor: 'intake' };
    // Contact first: it is derived from the same message, so rewriting it on a redelivery changes nothing,
    // and the enquiry never exists without its contact record.
    await this.guard(() => this.documents.send(new PutCommand({ TableName: this.restricted(), Item: { ...contact, pk: contactPk(enquiry.enquiryId) } })));
    // The caller index holds the keyed hash only: the number stays in the restricted table.
    const callerHash = contact.callerNumber && this.options.callerHasher ? await this.options.callerHasher.hash(contact.callerNumber) : undefined;
    try {
      await this.guard(() =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk, sk: META, ...statusIndexKeys(enquiry), ...enquiry, ...(callerHash ? { callerHash } : {}), [AUDIT]: [firstEvent] },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return { created: true, enquiry };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(enquiry.enquiryId);
      if (!existing) throw new TransientError(`enquiry ${enquiry.enquiryId} exists but could not be read yet`);
      return { created: false, enquiry: existing };
    }
  }

  async get(enquiryId: string, options: { withTaskToken?: boolean } = {}): Promise<Enquiry | undefined> {
    const enquiry = await this.getItem<Enquiry>(enquiryId, META);
    if (!enquiry || !options.withTaskToken) return enquiry;
    const token = await this.getRestricted<{ taskToken?: string }>(taskTokenPk(enquiryId));
    return token?.taskToken ? { ...enquiry, taskToken: token.taskToken } : enquiry;
  }

  async getContact(enquiryId: string): Promise<EnquiryContact | undefined> {
    return this.getRestricted<EnquiryContact>(contactPk(enquiryId));
  }

  async updateContact(enquiryId: string, patch: Partial<Omit<EnquiryContact, 'enquiryId'>>): Promise<void> {
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return;
    await this.guard(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.restricted(),
          Key: { pk: contactPk(enquiryId) },
          UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async changeStatus(change: StatusChange): Promise<Enquiry> {
    const current = await this.getItem<Enquiry & { [AUDIT]?: AuditEvent[] }>(change.enquiryId, META, false);
    if (!current) throw new StatusConflictError(change.enquiryId, undefined);
    const expected = change.expectedStatus === undefined ? undefined : [change.expectedStatus].flat();
    if (expected && !expected.includes(current.status)) throw new StatusConflictError(change.enquiryId, current.status);
    if (change.expectedRevision !== undefined && (current.revision ?? 0) !== change.expectedRevision) {
      throw new StatusConflictError(change.enquiryId, current.status);
    }
    // The task token never rests on the enquiry: it is parked in the restricted table before the change
    // (whoever sees the new status can find it) and cleared there after it.
    const { taskToken, ...patch } = change.patch ?? {};
    const tokenChange = change.patch !== undefined && 'taskToken' in change.patch;
    if (tokenChange && taskToken !== undefined) await this.putTaskToken(change.enquiryId, taskToken, change.at);
    const { [AUDIT]: trail = [], taskToken: _legacy, ...enquiry } = current;
    // Settling starts the retention clocks: raw contact data first (a retried settle finds the status
    // already settled and would not come back here), then the redacted record with the status change.
    const settling = isSettled(change.to) && current.settledAt === undefined;
    if (settling) await this.expireRestricted(change.enquiryId, change.at);
    const lifecycle = settling ? { settledAt: change.at, [EXPIRES_AT_ATTRIBUTE]: expiryAfter(change.at, RETENTION.enquiryRecordDaysAfterSettled) } : {};
    const next: Enquiry = { ...enquiry, ...patch, ...lifecycle, status: change.to, updatedAt: change.at, revision: (current.revision ?? 0) + 1 };
    const event: AuditEvent = {
      enquiryId: change.enquiryId,
      at: change.at,
      from: current.status,
      to: change.to,
      actor: change.actor,
      ...(change.note ? { note: change.note } : {}),
      ...(change.changes?.length ? { changes: change.changes } : {}),
      ...(change.previousDraft ? { previousDraft: change.previousDraft } : {}),
    };
    try {
      // One conditional put: the status change and its audit event land together or not at all, and only if
      // nobody changed the enquiry since we read it (optimistic concurrency on revision, status and time).
      await this.guard(() =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: enquiryPk(change.enquiryId), sk: META, ...statusIndexKeys(next), ...next, [AUDIT]: [...trail, event] },
            ConditionExpression: `#updatedAt = :readUpdatedAt AND #status = :readStatus AND ${
              current.revision === undefined ? 'attribute_not_exists(#revision)' : '#revision = :readRevision'
            }`,
            ExpressionAttributeNames: { '#updatedAt': 'updatedAt', '#status': 'status', '#revision': 'revision' },
            ExpressionAttributeValues: {
              ':readUpdatedAt': current.updatedAt,
              ':readStatus': current.status,
              ...(current.revision === undefined ? {} : { ':readRevision': current.revision }),
            },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const latest = await this.get(change.enquiryId);
      throw new StatusConflictError(change.enquiryId, latest?.status);
    }
    if (tokenChange && taskToken === undefined) await this.putTaskToken(change.enquiryId, undefined, change.at);
    return next;
  }

  async clearTaskToken(change: { enquiryId: string; at: string }): Promise<void> {
    await this.putTaskToken(change.enquiryId, undefined, change.at);
  }

  async *decidedSince(since: string): AsyncIterable<DecidedEnquiry> {
    const sinceMs = Date.parse(since);
    if (Number.isNaN(sinceMs)) throw new ValidationError([{ field: 'since', problem: 'must be an ISO 8601 instant' }]);
    const receivedFrom = new Date(sinceMs - MAX_RECEIVED_TO_DECIDED_MS).toISOString();
    for (const status of DECIDED_STATUSES) {
      let cursor: Record<string, unknown> | undefined;
      do {
        const page = await this.guard(() =>
          this.documents.send(
            new QueryCommand({
              TableName: this.tableName,
              IndexName: ENQUIRY_TABLE_KEYS.statusIndex.name,
              KeyConditionExpression: 'gsi1pk = :status AND gsi1sk >= :from',
              ExpressionAttributeValues: { ':status': statusPk(status), ':from': receivedFrom },
              ...(cursor ? { ExclusiveStartKey: cursor } : {}),
            }),
          ),
        );
        for (const item of page.Items ?? []) {
          const decided = decidedEnquiryOf(stripKeys<Enquiry>(item), sinceMs);
          if (decided) yield decided;
        }
        cursor = page.LastEvaluatedKey;
      } while (cursor);
    }
  }

  /** Sets (or, with undefined, clears) the parked task token: one PutItem, no DeleteItem needed; TTL removes the item. */
  private async putTaskToken(enquiryId: string, taskToken: string | undefined, at: string): Promise<void> {
    const item = { pk: taskTokenPk(enquiryId), updatedAt: at, [EXPIRES_AT_ATTRIBUTE]: expiryAfter(at, RETENTION.taskTokenDays), ...(taskToken ? { taskToken } : {}) };
    await this.guard(() => this.documents.send(new PutCommand({ TableName: this.restricted(), Item: item })));
  }

  /**
   * Starts the raw contact record's retention period: sets `expiresAt` on the `CONTACT#` item and nothing
   * else, returning nothing (IAM gives `expiry` stores exactly that). No contact item: nothing to expire.
   */
  private async expireRestricted(enquiryId: string, settledAt: string): Promise<void> {
    if (!this.restrictedTableName) throw new Error('settling an enquiry needs the restricted table (to start its raw contact data retention)');
    try {
      await this.guard(() =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.restrictedTableName,
            Key: { pk: contactPk(enquiryId) },
            UpdateExpression: 'SET #expiresAt = :expiresAt',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#expiresAt': EXPIRES_AT_ATTRIBUTE },
            ExpressionAttributeValues: { ':expiresAt': expiryAfter(settledAt, RETENTION.rawContactDaysAfterSettled) },
            ReturnValues: 'NONE',
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async getRestricted<T>(pk: string): Promise<T | undefined> {
    const result = await this.guard(() => this.documents.send(new GetCommand({ TableName: this.restricted(), Key: { pk }, ConsistentRead: true })));
    if (!result.Item) return undefined;
    const { pk: _pk, ...item } = result.Item;
    return item as T;
  }

  async auditTrail(enquiryId: string): Promise<AuditEvent[]> {
    const item = await this.getItem<{ [AUDIT]?: AuditEvent[] }>(enquiryId, META, false);
    return item?.[AUDIT] ?? [];
  }

  async listByStatus(
    status: Enquiry['status'],
    options: { limit?: number; cursor?: string; topic?: string; language?: string } = {},
  ): Promise<{ items: Enquiry[]; cursor?: string }> {
    const filters = [
      ...(options.topic ? [{ expression: '#topic.#topicId = :topic', names: { '#topic': 'topic', '#topicId': 'topic' }, values: { ':topic': options.topic } }] : []),
      ...(options.language ? [{ expression: '#language = :language', names: { '#language': 'language' }, values: { ':language': options.language } }] : []),
    ];
    const filter = filters.length
      ? {
          FilterExpression: filters.map((f) => f.expression).join(' AND '),
          ExpressionAttributeNames: Object.assign({}, ...filters.map((f) => f.names)) as Record<string, string>,
        }
      : {};
    const result = await this.guard(() =>
      this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ENQUIRY_TABLE_KEYS.statusIndex.name,
          KeyConditionExpression: 'gsi1pk = :status',
          ExpressionAttributeValues: Object.assign({ ':status': statusPk(status) }, ...filters.map((f) => f.values)) as Record<string, unknown>,
          ...filter,
          Limit: options.limit ?? 25,
          ...(options.cursor ? { ExclusiveStartKey: decodeCursor(options.cursor) } : {}),
        }),
      ),
    );
    return {
      items: (result.Items ?? []).map(({ [AUDIT]: _audit, ...item }) => stripKeys<Enquiry>(item)),
      ...(result.LastEvaluatedKey ? { cursor: encodeCursor(result.LastEvaluatedKey) } : {}),
    };
  }

  /** Reads one item; `withoutAudit` leaves the audit trail out of enquiries handed to callers. */
  private async getItem<T>(enquiryId: string, sk: string, withoutAudit = true): Promise<T | undefined> {
    const result = await this.guard(() =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: enquiryPk(enquiryId), sk }, ConsistentRead: true })),
    );
    if (!result.Item) return undefined;
    const item = stripKeys<Record<string, unknown>>(result.Item);
    if (withoutAudit) delete item[AUDIT];
    return item as T;
  }

  /** Throttling is a transient fault: the state machine and SQS retry it with backoff. */
  private async guard<R>(call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      if (isThrottling(error)) throw new TransientError('DynamoDB throttled; retry', { cause: error });
      throw error;
    }
  }
}

/** The retraining view of an enquiry decided at or after `sinceMs`; undefined for anything else. */
function decidedEnquiryOf(enquiry: Enquiry, sinceMs: number): DecidedEnquiry | undefined {
  const { decision } = enquiry;
  if (!decision || enquiry.redactedText === undefined || Date.parse(decision.decidedAt) < sinceMs) return undefined;
  const agentTopic = decision.topic?.topic ?? enquiry.topic?.topic;
  const agentDepartment = decision.topic?.department ?? enquiry.topic?.department;
  if (!agentTopic || !agentDepartment) return undefined;
  return {
    enquiryId: enquiry.enquiryId,
    decisionId: decision.decisionId,
    decidedAt: decision.decidedAt,
    action: decision.action,
    language: enquiry.language ?? enquiry.topic?.language ?? null,
    redactedText: enquiry.redactedText,
    aiTopic: enquiry.topic?.topic ?? null,
    aiConfidence: enquiry.topic?.confidence ?? null,
    agentTopic,
    agentDepartment,
    alsoInvolves: decision.topic?.alsoInvolves ?? [],
    topicCorrected: decision.topic?.topicCorrected ?? false,
  };
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
  throw new ValidationError([{ field: 'cursor', problem: 'is not a cursor this API returned' }]);
}
