import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { ENQUIRY_TABLE_KEYS, RESTRICTED_TABLE_KEYS } from '../shared/adapters/aws/dynamo-table.ts';

export interface LocalDynamo {
  client: DynamoDBClient;
  endpoint: string;
  tableName: string;
  /** Raw contact data and task tokens: its own table, as in AWS. */
  restrictedTableName: string;
  /** Creates another pk/sk table (SMS control, report counters) and returns its name. */
  createTable(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real DynamoDB API (dynalite: in-memory LevelDB, real request validation and conditional writes) on
 * loopback, with the Enquiry and restricted tables created from the same key designs the CDK constructs use.
 */
export async function startLocalDynamo(tableName = 'assist-enquiries', options: { path?: string } = {}): Promise<LocalDynamo> {
  // In memory by default; with `path`, LevelDB files that a later process (the report CLI) can open.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const createIfMissing = async (send: Promise<unknown>) => {
    try {
      await send;
    } catch (error) {
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
  };
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 3,
  });
  const { partitionKey, sortKey, statusIndex, callerIndex } = ENQUIRY_TABLE_KEYS;
  await createIfMissing(
    client.send(new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, statusIndex.partitionKey, statusIndex.sortKey, callerIndex.partitionKey].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: statusIndex.name,
          KeySchema: [
            { AttributeName: statusIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: statusIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: callerIndex.name,
          KeySchema: [{ AttributeName: callerIndex.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  ));
  const restrictedTableName = `${tableName}-restricted`;
  await createIfMissing(
    client.send(new CreateTableCommand({
      TableName: restrictedTableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: RESTRICTED_TABLE_KEYS.partitionKey, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: RESTRICTED_TABLE_KEYS.partitionKey, KeyType: 'HASH' }],
    }),
  ));
  return {
    client,
    endpoint,
    tableName,
    restrictedTableName,
    createTable: async (name: string) => {
      await createIfMissing(
        client.send(new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [partitionKey, sortKey].map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: partitionKey, KeyType: 'HASH' },
            { AttributeName: sortKey, KeyType: 'RANGE' },
          ],
        }),
      ));
      return name;
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve())));
    },
  };
}
