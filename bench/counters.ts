/**
 * Surge: 100 → 100 000 outcomes of one topic (one department, one language) in one Hong Kong day, counted
 * through the real adapter (DynamoOutcomeCounters: counted marker + sharded hour counter in one
 * TransactWriteItems) on dynalite. What it shows: the bytes DynamoDB would bill per outcome do not grow
 * with how many came before, next to the seen-set design it replaced, whose item grew by one enquiry id
 * per outcome (computed, not run: it cannot pass 400 KB).
 *
 * Bytes are DynamoDB item sizes (attribute names + values, AWS's rules): a write is billed 1 write unit
 * per started KB of the larger of the item before and after, twice for a transactional write. The counter
 * item is measured as it stands after the last outcome, the largest it has been (counters only grow).
 */
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '../local/dynamo.ts';
import { DynamoOutcomeCounters } from '../shared/adapters/aws/dynamo-outcome-counters.ts';
import { InMemoryOutcomeCounters } from '../local/stand-ins/in-memory-outcome-counters.ts';
import type { Enquiry } from '../shared/domain/enquiry.ts';
import { COUNTER_SHARDS, countedMarkerOf, COUNTED_MARKER_RETENTION_DAYS } from '../shared/domain/reports/counting.ts';
import type { OutcomeRecorder } from '../shared/domain/steps/outcome.ts';
import { round, sig, timed, type BenchOptions, type Scale, type Table } from './lib.ts';

const SIZES: Record<Scale, number[]> = { tiny: [100, 1_000], quick: [100, 1_000, 10_000], full: [100, 1_000, 10_000, 100_000] };
/** Outcomes in flight at once: RecordOutcome runs as many concurrent Lambdas in a surge. */
const CONCURRENCY = 16;
const DAY = '2026-11-24';
const ITEM_LIMIT_BYTES = 400 * 1024;

export interface SurgePoint {
  outcomes: number;
  counted: number;
  /** What one outcome writes: the marker item and the counter item it adds to. */
  markerBytes: number;
  counterItemBytes: number;
  bytesPerOutcome: number;
  writeUnitsPerOutcome: number;
  counterItems: number;
  dynaliteSeconds: number;
  dynalitePerSecond: number;
  inMemoryPerSecond: number;
  /** The replaced design at the same count: mean billed bytes and write units per outcome, or null past 400 KB. */
  seenSetBytesPerOutcome: number | null;
  seenSetWriteUnitsPerOutcome: number | null;
  seenSetLastItemBytes: number;
}

/** The n-th enquiry of the surge: decided (approved), blocked-drain flooding reports to DSD in Cantonese, 06:00–23:59 HKT. */
export function surgeEnquiry(n: number): Enquiry {
  const hour = 6 + (n % 18);
  const minute = Math.floor(n / 18) % 60;
  const receivedAt = `${DAY}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;
  return {
    enquiryId: `ENQ-${DAY.replaceAll('-', '')}-${n.toString(32).toUpperCase().padStart(12, '0')}`,
    sourceId: `web:surge-${n}`,
    channel: 'web',
    status: 'closed',
    smsConsent: false,
    hasAudio: false,
    receivedAt,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    correlationId: `surge-${n}`,
    language: 'zh-HK',
    topic: { topic: 'blocked_drain_flooding', department: 'DSD', urgency: 'urgent', confidence: 0.97, language: 'zh-HK', rationale: 'bench', source: 'local' },
    decision: { decisionId: 'D1', action: 'approve', agentId: 'agent-1', decidedAt: receivedAt, sendSms: n % 3 === 0 },
  } as Enquiry;
}

/** DynamoDB's size of an attribute value (strings and numbers as AWS counts them; sets and maps summed). */
export function attributeValueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) {
    const digits = value.N.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
    return Math.ceil(Math.max(1, digits.length) / 2) + 1;
  }
  if (value.SS) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + attributeValueBytes(v) + 1, 0);
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + attributeValueBytes(v) + 1, 0);
  return 0;
}

export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + attributeValueBytes(value), 0);
}

const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

async function countAll(recorder: OutcomeRecorder, outcomes: number): Promise<number> {
  let counted = 0;
  for (let i = 0; i < outcomes; i += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, outcomes - i) }, (_, j) => recorder.record(surgeEnquiry(i + j)));
    counted += (await Promise.all(batch)).filter((result) => result.counted).length;
  }
  return counted;
}

/** The seen-set item after n outcomes: the same counter fields as one hour shard, plus n enquiry ids. */
function seenSetDesign(outcomes: number, counterFieldsBytes: number): Pick<SurgePoint, 'seenSetBytesPerOutcome' | 'seenSetWriteUnitsPerOutcome' | 'seenSetLastItemBytes'> {
  const idBytes = Buffer.byteLength(surgeEnquiry(0).enquiryId);
  const base = counterFieldsBytes + Buffer.byteLength('seen');
  const last = base + outcomes * idBytes;
  if (last > ITEM_LIMIT_BYTES) return { seenSetBytesPerOutcome: null, seenSetWriteUnitsPerOutcome: null, seenSetLastItemBytes: last };
  let bytes = 0;
  let units = 0;
  for (let n = 1; n <= outcomes; n++) {
    const size = base + n * idBytes;
    bytes += size;
    units += writeUnits(size);
  }
  return { seenSetBytesPerOutcome: round(bytes / outcomes, 0), seenSetWriteUnitsPerOutcome: round(units / outcomes, 1), seenSetLastItemBytes: last };
}

async function measure(outcomes: number): Promise<SurgePoint> {
  const dynamo = await startLocalDynamo('bench-surge-enquiries');
  try {
    const table = await dynamo.createTable('bench-surge-counters');
    const counters = new DynamoOutcomeCounters(dynamo.client, table);
    const run = await timed(() => countAll(counters, outcomes));
    const { Items = [] } = await dynamo.client.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `COUNTERS#${DAY.slice(0, 7)}` } } }),
    );
    const counterItemBytes = Math.max(...Items.map(itemBytes));
    const { markerId } = countedMarkerOf(surgeEnquiry(0).enquiryId);
    const markerBytes = itemBytes({
      pk: { S: `COUNTED#${markerId}` },
      sk: { S: 'COUNTED' },
      expiresAt: { N: String(Math.floor(Date.parse(`${DAY}T00:00:00Z`) / 1000) + COUNTED_MARKER_RETENTION_DAYS * 86_400) },
    });
    const memory = new InMemoryOutcomeCounters();
    const inMemory = await timed(() => countAll(memory, outcomes));
    const bytesPerOutcome = markerBytes + counterItemBytes;
    return {
      outcomes,
      counted: run.value,
      markerBytes,
      counterItemBytes,
      bytesPerOutcome,
      // Transactional writes cost two write units per started KB of each item.
      writeUnitsPerOutcome: 2 * (writeUnits(markerBytes) + writeUnits(counterItemBytes)),
      counterItems: Items.length,
      dynaliteSeconds: round(run.ms / 1000, 1),
      dynalitePerSecond: round((1000 * outcomes) / run.ms, 0),
      inMemoryPerSecond: sig((1000 * outcomes) / inMemory.ms, 3),
      ...seenSetDesign(outcomes, counterItemBytes),
    };
  } finally {
    await dynamo.close();
  }
}

export async function benchCounters(options: BenchOptions): Promise<{ tables: Table[]; data: { points: SurgePoint[]; shards: number; concurrency: number } }> {
  const points: SurgePoint[] = [];
  for (const outcomes of SIZES[options.scale]) points.push(await measure(outcomes));
  return { tables: [surgeTable(points)], data: { points, shards: COUNTER_SHARDS, concurrency: CONCURRENCY } };
}

function surgeTable(points: SurgePoint[]): Table {
  return {
    title: 'Surge: outcomes of one topic in one day, counted exactly once (marker + sharded hour counter, TransactWriteItems)',
    columns: [
      'outcomes',
      'counted',
      'bytes / outcome',
      'write units / outcome',
      'marker B',
      'counter item B',
      'counter items',
      'local outcomes/s (dynalite)',
      'in-memory outcomes/s',
      'seen-set design: bytes / outcome',
      'seen-set WCU / outcome',
    ],
    rows: points.map((p) => [
      p.outcomes.toLocaleString('en'),
      p.counted.toLocaleString('en'),
      p.bytesPerOutcome,
      p.writeUnitsPerOutcome,
      p.markerBytes,
      p.counterItemBytes,
      p.counterItems,
      p.dynalitePerSecond,
      p.inMemoryPerSecond,
      p.seenSetBytesPerOutcome ?? `fails: item ${Math.round(p.seenSetLastItemBytes / 1024)} KB > 400 KB`,
      p.seenSetWriteUnitsPerOutcome ?? 'fails',
    ]),
    notes: [
      `${CONCURRENCY} outcomes in flight; ${COUNTER_SHARDS} shards per hour counter; outcomes spread over 18 hours of the day`,
      'bytes: DynamoDB item sizes; write units: 2 per started KB of each item of a transaction (marker + counter item)',
      'seen-set design: computed from the same counter fields plus a set of 25-byte enquiry ids (the design this replaced)',
    ],
  };
}
