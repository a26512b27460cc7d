/*
 * The report counters' real adapter (DynamoOutcomeCounters: counted marker + sharded hour counter in one
 * TransactWriteItems) against dynalite, with faults injected into the DynamoDB client: requests that fail
 * before reaching the table and transactions that commit but whose answer is lost. The 20 000-outcome run
 * of the same fault pattern is in test/unit/outcome-counting.test.ts (in-memory adapter, same plan); here
 * 2 000 keep the file at a few seconds.
 */
import { GetItemCommand, PutItemCommand, QueryCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamo.ts';
import { DynamoOutcomeCounters } from '../../shared/adapters/aws/dynamo-outcome-counters.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { hongKongHour } from '../../shared/domain/reports/counters.ts';
import { COUNTER_SHARDS, countedMarkerOf } from '../../shared/domain/reports/counting.ts';
import { seededRandom } from '../../shared/domain/random.ts';

const OUTCOMES = 2_000;

function decided(n: number): Enquiry {
  const receivedAt = new Date(Date.parse('2026-11-24T00:00:00+08:00') + ((n * 4_321) % 86_400) * 1000).toISOString();
  return {
    enquiryId: `ENQ-20261124-${n.toString(32).toUpperCase().padStart(12, '0')}`,
    sourceId: `web:m-${n}`,
    channel: 'web',
    status: 'closed',
    smsConsent: false,
    hasAudio: false,
    receivedAt,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    correlationId: `c-${n}`,
    language: 'zh-HK',
    topic: { topic: 'blocked_drain_flooding', department: 'DSD', urgency: 'urgent', confidence: 0.95, language: 'zh-HK', rationale: 'test', source: 'local' },
    decision: { decisionId: 'D1', action: n % 4 === 0 ? 'reject' : 'approve', agentId: 'agent-1', decidedAt: receivedAt, sendSms: n % 2 === 0 },
  } as Enquiry;
}

let dynamo: LocalDynamo;
let table: string;
const random = seededRandom(2021);
const injected = { before: 0, lostAnswer: 0 };

beforeAll(async () => {
  dynamo = await startLocalDynamo('counters-faults-enquiries');
  table = await dynamo.createTable('counters-faults');
  // Outside the local transaction middleware: a fault before the request reaches the table, or after it committed.
  dynamo.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      const fault = random();
      if (fault < 0.05) {
        injected.before += 1;
        throw Object.assign(new Error('socket hang up before the request was sent'), { name: 'TimeoutError' });
      }
      const result = await next(args);
      if (fault < 0.15) {
        injected.lostAnswer += 1;
        throw Object.assign(new Error('Lambda timed out after the write committed'), { name: 'TimeoutError' });
      }
      return result;
    },
    { step: 'build', priority: 'high', name: 'injectFaults' },
  );
});
afterAll(() => dynamo?.close());

describe('DynamoOutcomeCounters on dynalite', () => {
  it(`counts ${OUTCOMES} outcomes of one key exactly once through lost answers, failed requests, retries and duplicates`, async () => {
    const counters = new DynamoOutcomeCounters(dynamo.client, table);
    let counted = 0;
    // As the state machine's Retry: run the step again after a transient failure.
    const recordUntilDone = async (enquiry: Enquiry): Promise<void> => {
      for (;;) {
        try {
          if ((await counters.record(enquiry)).counted) counted += 1;
          return;
        } catch (error) {
          if ((error as Error).name !== 'TimeoutError') throw error;
        }
      }
    };
    const enquiries = Array.from({ length: OUTCOMES }, (_, n) => decided(n));
    const deliveries = enquiries.flatMap((enquiry, i) => (i % 10 === 0 ? [enquiry, enquiry] : [enquiry]));
    for (let i = 0; i < deliveries.length; i += 16) await Promise.all(deliveries.slice(i, i + 16).map(recordUntilDone));
    expect(injected.before).toBeGreaterThan(50);
    expect(injected.lostAnswer).toBeGreaterThan(100);

    const rows = await counters.rows('2026-11-24', '2026-11-24');
    const sum = (field: 'received' | 'approved' | 'rejected' | 'smsSent') => rows.reduce((total, row) => total + row[field], 0);
    expect(sum('received')).toBe(OUTCOMES);
    expect(sum('rejected')).toBe(OUTCOMES / 4);
    expect(sum('approved')).toBe((3 * OUTCOMES) / 4);
    expect(sum('smsSent')).toBe(OUTCOMES / 2);
    expect(rows).toHaveLength(24); // one row per hour: the shards are summed on read
    // "counted" is reported at most once per enquiry (less when the answer of the counting write was lost).
    expect(counted).toBeLessThanOrEqual(OUTCOMES);
    expect(counted).toBeGreaterThan(OUTCOMES * 0.8);

    // Storage grows by a marker per outcome and at most hours × shards counter items, never a bigger item.
    const items = await dynamo.client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'COUNTERS#2026-11' } } }));
    expect(items.Count).toBeLessThanOrEqual(24 * COUNTER_SHARDS);
    expect(Math.max(...(items.Items ?? []).map((item) => JSON.stringify(item).length))).toBeLessThan(1024);
  }, 120_000);

  it('stores markers with a hashed key and an expiry only: no enquiry id, no personal data', async () => {
    const counters = new DynamoOutcomeCounters(dynamo.client, table);
    const enquiry = { ...decided(99_999), enquiryId: 'ENQ-20261124-MARKERCHECK1' };
    await counters.record(enquiry);
    const counterItems = await dynamo.client.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'COUNTERS#2026-11' } } }));
    expect(JSON.stringify(counterItems.Items)).not.toContain('MARKERCHECK1');
    const marker = await dynamo.client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: `COUNTED#${countedMarkerOf(enquiry.enquiryId).markerId}` }, sk: { S: 'COUNTED' } } }));
    expect(Object.keys(marker.Item ?? {}).sort()).toEqual(['expiresAt', 'pk', 'sk']);
    expect(JSON.stringify(marker.Item)).not.toContain('MARKERCHECK1');
  });

  it('reads counter items written before hourly counting as whole-day rows, added to the hourly ones', async () => {
    const legacy = await dynamo.createTable('counters-legacy');
    await dynamo.client.send(new PutItemCommand({
      TableName: legacy,
      Item: {
        pk: { S: 'COUNTERS#2026-11' },
        sk: { S: '2026-11-24#blocked_drain_flooding#DSD#zh-HK' },
        day: { S: '2026-11-24' }, topic: { S: 'blocked_drain_flooding' }, department: { S: 'DSD' }, language: { S: 'zh-HK' },
        received: { N: '3' }, approved: { N: '3' }, seen: { SS: ['ENQ-20261124-OLD000000001', 'ENQ-20261124-OLD000000002', 'ENQ-20261124-OLD000000003'] },
      },
    }));
    const counters = new DynamoOutcomeCounters(dynamo.client, legacy);
    await counters.record(decided(1));
    const rows = await counters.rows('2026-11-24', '2026-11-24');
    const byHour = Object.fromEntries(rows.map((row) => [String(row.hour), row.received]));
    expect(byHour).toEqual({ undefined: 3, [String(hongKongHour(decided(1).receivedAt))]: 1 });
    expect(JSON.stringify(rows)).not.toContain('OLD00000');
  });

  it('counts a found location under its district id only (never the place), and items written before districts as unknown', async () => {
    const districts = await dynamo.createTable('counters-districts');
    // An hourly item from before district counting: no district attribute, no district in its sort key.
    await dynamo.client.send(new PutItemCommand({
      TableName: districts,
      Item: {
        pk: { S: 'COUNTERS#2026-11' },
        sk: { S: '2026-11-24#09#water_main_burst#WSD#zh-HK#s1' },
        day: { S: '2026-11-24' }, hour: { N: '9' }, topic: { S: 'water_main_burst' }, department: { S: 'WSD' }, language: { S: 'zh-HK' },
        received: { N: '2' }, approved: { N: '2' },
      },
    }));
    const counters = new DynamoOutcomeCounters(dynamo.client, districts);
    const place = { en: 'Ngau Tau Kok Road', zh: '牛頭角道', kind: 'street' as const };
    const about = (n: number, location: Enquiry['location']): Enquiry => ({
      ...decided(n),
      topic: { topic: 'water_main_burst', department: 'WSD', urgency: 'urgent', confidence: 0.95, language: 'zh-HK', rationale: 'test', source: 'local' },
      redactedText: '牛頭角道有水管爆裂',
      ...(location ? { location } : {}),
    }) as Enquiry;
    await counters.record(about(1, { status: 'found', district: 'kwun-tong', place }));
    await counters.record(about(2, { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'], place }));
    await counters.record(about(3, undefined));
    const rows = await counters.rows('2026-11-24', '2026-11-24');
    const byDistrict: Record<string, number> = {};
    for (const row of rows) byDistrict[row.district] = (byDistrict[row.district] ?? 0) + row.received;
    expect(byDistrict).toEqual({ 'kwun-tong': 1, unknown: 4 });
    const items = await dynamo.client.send(new QueryCommand({ TableName: districts, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'COUNTERS#2026-11' } } }));
    const kwunTong = (items.Items ?? []).find((item) => item['district']?.S === 'kwun-tong');
    expect(kwunTong?.['sk']?.S).toMatch(/^2026-11-24#\d{2}#water_main_burst#WSD#zh-HK#kwun-tong#s\d$/);
    expect(JSON.stringify(items.Items)).not.toMatch(/牛頭角|Ngau Tau Kok|水管爆裂/);
  });
});

describe('local TransactWriteItems (dynalite has none)', () => {
  let name: string;
  beforeAll(async () => {
    name = await dynamo.createTable('tx-semantics');
  });

  it('cancels with AWS reasons and writes nothing when a condition fails', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { S: 'a' } } }));
    const error = await dynamo.client
      .send(new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: name, Key: { pk: { S: 'b' }, sk: { S: 'b' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Put: { TableName: name, Item: { pk: { S: 'a' }, sk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    expect((error as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect((await dynamo.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'b' }, sk: { S: 'b' } } }))).Item).toBeUndefined();
  });

  it('rolls back items already written when a later one fails', async () => {
    await dynamo.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'c' }, sk: { S: 'c' }, n: { S: 'not a number' } } }));
    await dynamo.client.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'd' }, sk: { S: 'd' }, n: { N: '5' } } }));
    const error = await dynamo.client
      .send(new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: name, Item: { pk: { S: 'm' }, sk: { S: 'm' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: name, Key: { pk: { S: 'd' }, sk: { S: 'd' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Update: { TableName: name, Key: { pk: { S: 'c' }, sk: { S: 'c' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
        ],
      }))
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('ValidationException');
    const get = async (key: string) => (await dynamo.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: key }, sk: { S: key } } }))).Item;
    expect(await get('m')).toBeUndefined();
    expect((await get('d'))?.['n']).toEqual({ N: '5' });
  });
});
