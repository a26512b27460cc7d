/**
 * The SMS control table (pk/sk strings), holding two kinds of item whose keys never collide:
 *   pk = OPTOUT#<hmac>  sk = OPTOUT   the number's latest opt-out / opt-in, keyed by the keyed hash of the
 *                                     number (CallerHasher), never the number; kept while it must be honoured
 *   pk = SMS#<key>      sk = SMS      the sent-SMS ledger entry for enquiry id + decision id; expires
 *                                     (`expiresAt`, DynamoDB TTL) after the idempotency window
 * Single-item conditional writes only (no transactions): they are atomic on their own, and dynalite
 * (the local DynamoDB) supports them.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import type { LedgerClaim, OptOutRegistry, SentSmsLedger } from '../../ports/sms.ts';
import type { CallerHasher } from '../../ports/caller-hasher.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter } from '../../domain/retention.ts';

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/** Throttling becomes a TransientError so the SQS retry handles it; conditional failures pass through to the caller. */
async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (THROTTLING_ERRORS.has((error as { name?: string }).name ?? '')) {
      throw new TransientError('SMS control table is throttling', { cause: error });
    }
    throw error;
  }
}

const documentsFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const optOutKey = (numberHash: string) => ({ pk: `OPTOUT#${numberHash}`, sk: 'OPTOUT' });
export const sentSmsKey = (key: string) => ({ pk: `SMS#${key}`, sk: 'SMS' });

export class DynamoOptOutRegistry implements OptOutRegistry {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly hasher: CallerHasher,
  ) {
    this.documents = documentsFor(client);
  }

  async isOptedOut(number: string): Promise<boolean> {
    const { Item } = await guard(async () =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: optOutKey(await this.hasher.hash(number)), ConsistentRead: true })),
    );
    return Item?.state === 'opted_out';
  }

  async optOut(number: string, at: string, source: string): Promise<void> {
    await this.record(number, at, { state: 'opted_out', optedOutAt: at, source });
  }

  async optIn(number: string, at: string): Promise<void> {
    await this.record(number, at, { state: 'opted_in', optedInAt: at });
  }

  /**
   * The latest keyword wins whatever order SNS delivers them in: a write older than the stored change is
   * dropped. ISO timestamps from the same clock compare correctly as strings.
   */
  private async record(number: string, at: string, change: Record<string, string>): Promise<void> {
    const key = optOutKey(await this.hasher.hash(number));
    const names: Record<string, string> = { '#changedAt': 'changedAt' };
    const values: Record<string, string> = { ':at': at };
    const sets = ['#changedAt = :at'];
    for (const [field, value] of Object.entries(change)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    try {
      await guard(() =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(pk) OR #changedAt <= :at',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

export interface SentSmsLedgerOptions {
  /**
   * How old an unfinished claim must be to count as abandoned (a crashed send) rather than in progress.
   * Longer than the send-sms function timeout, so a live send is never reported as abandoned.
   */
  staleAfterSeconds?: number;
}

export class DynamoSentSmsLedger implements SentSmsLedger {
  private readonly documents: DynamoDBDocumentClient;
  private readonly staleAfterMs: number;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    options: SentSmsLedgerOptions = {},
  ) {
    this.documents = documentsFor(client);
    this.staleAfterMs = (options.staleAfterSeconds ?? 300) * 1000;
  }

  async claim(key: string, at: string): Promise<LedgerClaim> {
    const staleBefore = new Date(Date.parse(at) - this.staleAfterMs).toISOString();
    try {
      await guard(() =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...sentSmsKey(key), state: 'in_progress', claimedAt: at, [EXPIRES_AT_ATTRIBUTE]: expiryAfter(at, RETENTION.smsLedgerDays) },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Read back (consistently) why the claim failed. If the holder released it in between, report
    // 'in_progress' anyway: the caller retries later rather than racing here.
    const { Item } = await guard(() =>
      this.documents.send(new GetCommand({ TableName: this.tableName, Key: sentSmsKey(key), ConsistentRead: true })),
    );
    if (Item?.state === 'sent') return 'already_sent';
    if (Item?.state === 'unknown') return 'outcome_unknown';
    return typeof Item?.claimedAt === 'string' && Item.claimedAt < staleBefore ? 'outcome_unknown' : 'in_progress';
  }

  async markSent(key: string, messageId: string, at: string): Promise<void> {
    // Unconditional: the SMS went out, so the record must say so whatever happened to the claim meanwhile.
    await guard(() =>
      this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sentSmsKey(key),
          UpdateExpression: 'SET #state = :sent, #messageId = :messageId, #sentAt = :at',
          ExpressionAttributeNames: { '#state': 'state', '#messageId': 'messageId', '#sentAt': 'sentAt' },
          ExpressionAttributeValues: { ':sent': 'sent', ':messageId': messageId, ':at': at },
        }),
      ),
    );
  }

  async markOutcomeUnknown(key: string, at: string): Promise<void> {
    try {
      await guard(() =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sentSmsKey(key),
            UpdateExpression: 'SET #state = :unknown, #unknownAt = :at',
            // Never downgrade a 'sent' record (a concurrent markSent knows better).
            ConditionExpression: '#state = :inProgress',
            ExpressionAttributeNames: { '#state': 'state', '#unknownAt': 'unknownAt' },
            ExpressionAttributeValues: { ':unknown': 'unknown', ':inProgress': 'in_progress', ':at': at },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async release(key: string): Promise<void> {
    try {
      await guard(() =>
        this.documents.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: sentSmsKey(key),
            ConditionExpression: '#state = :inProgress',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':inProgress': 'in_progress' },
          }),
        ),
      );
    } catch (error) {
      // Already sent (never undone) or already released: nothing to give back.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
