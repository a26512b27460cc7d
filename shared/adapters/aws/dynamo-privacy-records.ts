import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter } from '../../domain/retention.ts';
import type { PrivacyRecords, PrivacyRequestRecord } from '../../ports/privacy-records.ts';
import { ENQUIRY_TABLE_KEYS, contactPk, privacyAuditPk } from './dynamo-table.ts';

const THROTTLING_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (THROTTLING_ERRORS.has((error as { name?: string }).name ?? '')) throw new TransientError('DynamoDB throttled; retry', { cause: error });
    throw error;
  }
}

/**
 * The caller index (keys-only GSI on the Enquiry table's `callerHash`), erasure tombstones in the
 * restricted table, and the audit of privacy requests (`PRIVACY#<hash>` items of the Enquiry table).
 */
export class DynamoPrivacyRecords implements PrivacyRecords {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly restrictedTableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async enquiryIdsOfCaller(callerHash: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await guard(() =>
        this.documents.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: ENQUIRY_TABLE_KEYS.callerIndex.name,
            KeyConditionExpression: '#callerHash = :callerHash',
            ExpressionAttributeNames: { '#callerHash': ENQUIRY_TABLE_KEYS.callerIndex.partitionKey },
            ExpressionAttributeValues: { ':callerHash': callerHash },
            ...(cursor ? { ExclusiveStartKey: cursor } : {}),
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const pk = String(item[ENQUIRY_TABLE_KEYS.partitionKey] ?? '');
        if (pk.startsWith('ENQ#')) ids.push(pk.slice('ENQ#'.length));
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return ids;
  }

  async eraseContact(enquiryId: string, at: string, expiresAt: number): Promise<void> {
    // A whole-item put: every raw attribute is gone, only the fact and time of erasure remain.
    await guard(() =>
      this.documents.send(
        new PutCommand({ TableName: this.restrictedTableName, Item: { pk: contactPk(enquiryId), enquiryId, erasedAt: at, [EXPIRES_AT_ATTRIBUTE]: expiresAt } }),
      ),
    );
  }

  async recordRequest(record: PrivacyRequestRecord): Promise<void> {
    // Stored as `subjectHash`, not `callerHash`: an audit record must not land in the (sparse) caller index.
    const { callerHash, ...rest } = record;
    await guard(() =>
      this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [ENQUIRY_TABLE_KEYS.partitionKey]: privacyAuditPk(record.callerHash),
            [ENQUIRY_TABLE_KEYS.sortKey]: `${record.at}#${record.requestId}`,
            ...rest,
            subjectHash: callerHash,
            [EXPIRES_AT_ATTRIBUTE]: expiryAfter(record.at, RETENTION.privacyAuditDays),
          },
          // A request id is used once: never overwrite an audit record.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': ENQUIRY_TABLE_KEYS.partitionKey },
        }),
      ),
    );
  }

  async requestsFor(callerHash: string): Promise<PrivacyRequestRecord[]> {
    const page = await guard(() =>
      this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': ENQUIRY_TABLE_KEYS.partitionKey },
          ExpressionAttributeValues: { ':pk': privacyAuditPk(callerHash) },
          ConsistentRead: true,
        }),
      ),
    );
    return (page.Items ?? []).map(({ pk: _pk, sk: _sk, [EXPIRES_AT_ATTRIBUTE]: _expiresAt, subjectHash, ...record }) => ({ ...record, callerHash: subjectHash }) as PrivacyRequestRecord);
  }
}
