import { DeleteItemCommand, DescribeTableCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isExpired } from '../shared/domain/retention.ts';
import type { Clock } from '../shared/ports/clock.ts';

/**
 * The local stand-in for DynamoDB TTL (dynalite never expires items): deletes every item whose
 * `expiresAt` has passed on the given clock, by the same rule (`isExpired`) the AWS tables' TTL applies.
 * Local only: no function on AWS has Scan or DeleteItem.
 */
export async function sweepExpired(client: DynamoDBClient, tableNames: string[], clock: Clock): Promise<Record<string, number>> {
  const now = clock.now();
  const deleted: Record<string, number> = {};
  for (const tableName of tableNames) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const keyNames = (Table?.KeySchema ?? []).map((k) => k.AttributeName!);
    deleted[tableName] = 0;
    let cursor: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: tableName, ...(cursor ? { ExclusiveStartKey: cursor } : {}) }));
      for (const item of page.Items ?? []) {
        if (!isExpired(unmarshall(item), now)) continue;
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: Object.fromEntries(keyNames.map((name) => [name, item[name]!])) }));
        deleted[tableName] += 1;
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor);
  }
  return deleted;
}
