import {
  DeleteItemCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type AttributeValue,
  type CancellationReason,
  type DynamoDBClient,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';

/**
 * TransactWriteItems for a client talking to dynalite, which has no transactions. Installed as client
 * middleware, so adapters send exactly the request they send to AWS and get AWS's answers: success, or
 * TransactionCanceledException whose CancellationReasons say `ConditionalCheckFailed` at the failing
 * item and `None` elsewhere.
 *
 * How it keeps AWS's guarantees in one process:
 * - isolation: transactions of this client that share an item run one after the other (KeyLocks), and
 *   the items they touch (report counters and their markers) are written by nothing else;
 * - all or nothing: items with a condition run first, so a failed condition usually cancels before
 *   anything is written; any item that fails after others were written makes those roll back to the
 *   images read just before they were written.
 * ConditionCheck items (no write) are refused with a clear error: nothing here uses them.
 */
export function installLocalTransactions(client: DynamoDBClient): void {
  const locks = new KeyLocks();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      // At the build step the request is serialized: its body is the wire JSON (marshalled values), whichever
      // client (low-level or lib-dynamodb's document client) built it.
      const body = (args.request as { body?: unknown }).body;
      const text = typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : '{}';
      const items = (JSON.parse(text) as TransactWriteItemsCommandInput).TransactItems ?? [];
      if (items.length === 0 || items.length > 100) throw validation('TransactItems must hold 1 to 100 items');
      const targets = await Promise.all(items.map((item) => targetOf(client, item)));
      await locks.holding(
        targets.map((target) => `${target.table}\u0000${JSON.stringify(target.key)}`),
        () => runTransaction(client, items, targets),
      );
      return { output: { $metadata: {} }, response: {} } as Awaited<ReturnType<typeof next>>;
    },
    { step: 'build', name: 'localTransactWriteItems' },
  );
}

/**
 * Per-item locks: a transaction waits for every earlier transaction that touches one of its items (as
 * DynamoDB serializes them; it cancels with TransactionConflict instead of waiting), while transactions
 * on different items (other counter shards) run side by side.
 */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async holding<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const earlier = unique.map((key) => this.tails.get(key) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of unique) this.tails.set(key, done);
    await Promise.all(earlier);
    try {
      return await work();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}

interface Written {
  table: string;
  key: Record<string, AttributeValue>;
  before: Record<string, AttributeValue> | undefined;
}

type Target = { table: string; key: Record<string, AttributeValue> };

async function runTransaction(client: DynamoDBClient, items: TransactWriteItem[], targets: Target[]): Promise<void> {
  const order = items.map((_, index) => index).sort((a, b) => Number(!hasCondition(items[a])) - Number(!hasCondition(items[b])) || a - b);
  const written: Written[] = [];
  for (const [position, index] of order.entries()) {
    const item = items[index] as TransactWriteItem;
    const target = targets[index] as Target;
    // Images to roll back to. The last write needs none (nothing after it can fail), nor does a put that
    // succeeds only if its item did not exist.
    const before = position < order.length - 1 && !createsOnly(item) ? await imageOf(client, target.table, target.key) : undefined;
    try {
      await write(client, item);
    } catch (error) {
      await rollBack(client, written);
      if ((error as Error).name === 'ConditionalCheckFailedException') throw cancelled(items.length, index);
      throw error;
    }
    written.push({ ...target, before });
  }
}

/** A put conditioned on `attribute_not_exists(<key attribute>)`: if it is written, nothing was there before. */
function createsOnly(item: TransactWriteItem): boolean {
  return /^attribute_not_exists\(\s*[#\w]+\s*\)$/.test(item.Put?.ConditionExpression?.trim() ?? '');
}

function hasCondition(item: TransactWriteItem | undefined): boolean {
  return Boolean(item?.Put?.ConditionExpression ?? item?.Update?.ConditionExpression ?? item?.Delete?.ConditionExpression);
}

const keyNames = new WeakMap<DynamoDBClient, Map<string, Promise<string[]>>>();

/** The key attribute names of a table (read once per client and table). */
function keyNamesOf(client: DynamoDBClient, table: string): Promise<string[]> {
  let tables = keyNames.get(client);
  if (!tables) keyNames.set(client, (tables = new Map()));
  let names = tables.get(table);
  if (!names) {
    names = client.send(new DescribeTableCommand({ TableName: table })).then(({ Table }) => (Table?.KeySchema ?? []).map((key) => key.AttributeName ?? ''));
    tables.set(table, names);
  }
  return names;
}

async function targetOf(client: DynamoDBClient, item: TransactWriteItem): Promise<Target> {
  if (item.Put) {
    const table = item.Put.TableName ?? '';
    const names = await keyNamesOf(client, table);
    const key = Object.fromEntries(Object.entries(item.Put.Item ?? {}).filter(([name]) => names.includes(name)));
    return { table, key };
  }
  if (item.Update) return { table: item.Update.TableName ?? '', key: item.Update.Key ?? {} };
  if (item.Delete) return { table: item.Delete.TableName ?? '', key: item.Delete.Key ?? {} };
  throw validation('local TransactWriteItems supports Put, Update and Delete items (no ConditionCheck)');
}

async function write(client: DynamoDBClient, item: TransactWriteItem): Promise<void> {
  if (item.Put) await client.send(new PutItemCommand({ ...item.Put, TableName: item.Put.TableName ?? '', Item: item.Put.Item ?? {} }));
  else if (item.Update) await client.send(new UpdateItemCommand({ ...item.Update, TableName: item.Update.TableName ?? '', Key: item.Update.Key ?? {} }));
  else if (item.Delete) await client.send(new DeleteItemCommand({ ...item.Delete, TableName: item.Delete.TableName ?? '', Key: item.Delete.Key ?? {} }));
}

async function imageOf(client: DynamoDBClient, table: string, key: Record<string, AttributeValue>) {
  const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

async function rollBack(client: DynamoDBClient, written: Written[]): Promise<void> {
  for (const { table, key, before } of written.reverse()) {
    if (before) await client.send(new PutItemCommand({ TableName: table, Item: before }));
    else await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
  }
}

function cancelled(count: number, failedIndex: number): TransactionCanceledException {
  const reasons: CancellationReason[] = Array.from({ length: count }, (_, i) =>
    i === failedIndex ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' },
  );
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
}

function validation(message: string): Error {
  const error = new Error(message);
  error.name = 'ValidationException';
  return error;
}
