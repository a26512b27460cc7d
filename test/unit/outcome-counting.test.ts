import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoOutcomeCounters } from '../../shared/adapters/aws/dynamo-outcome-counters.ts';
import { InMemoryOutcomeCounters } from '../../local/stand-ins/in-memory-outcome-counters.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { TransientError } from '../../shared/domain/errors.ts';
import { COUNTED_MARKER_RETENTION_DAYS, COUNTER_SHARDS, countedMarkerOf, countingPlanFor, outcomeEventOf } from '../../shared/domain/reports/counting.ts';
import { seededRandom } from '../../shared/domain/random.ts';
import type { OutcomeRecorder } from '../../shared/domain/steps/outcome.ts';

/** The n-th decided enquiry of one key: flooding × DSD × Cantonese, all received in one Hong Kong day. */
function decided(n: number, overrides: Partial<Enquiry> = {}): Enquiry {
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
    decision: { decisionId: 'D1', action: n % 5 === 0 ? 'reject' : 'approve', agentId: 'agent-1', decidedAt: receivedAt, sendSms: false },
    ...overrides,
  } as Enquiry;
}

/**
 * How RecordOutcome meets the counters in production: Step Functions retries a step whose Lambda crashed
 * (before or after its write landed) and duplicate deliveries run it again, sometimes at the same moment.
 * `crashAfter` lets the write land, then throws as a timed-out Lambda would; the caller retries.
 */
async function recordWithFaults(recorder: OutcomeRecorder, enquiries: Enquiry[], seed: number): Promise<{ attempts: number; crashes: number }> {
  const random = seededRandom(seed);
  let attempts = 0;
  let crashes = 0;
  const flaky = async (enquiry: Enquiry): Promise<void> => {
    for (;;) {
      attempts += 1;
      const fault = random();
      try {
        if (fault < 0.05) throw new TransientError('crashed before writing');
        await recorder.record(enquiry);
        if (fault < 0.15) throw new TransientError('crashed after writing');
        return;
      } catch (error) {
        if (!(error instanceof TransientError)) throw error;
        crashes += 1; // the state machine's Retry runs the step again
      }
    }
  };
  const deliveries = enquiries.flatMap((enquiry, i) => (i % 10 === 0 ? [enquiry, enquiry] : [enquiry])); // duplicates
  for (let i = 0; i < deliveries.length; i += 50) await Promise.all(deliveries.slice(i, i + 50).map(flaky));
  // Late replays of some already-finished executions.
  for (let i = 0; i < enquiries.length; i += 97) await flaky(enquiries[i] as Enquiry);
  return { attempts, crashes };
}

describe('counting outcomes exactly once', () => {
  it('counts 20 000 outcomes of one key exactly once through crashes before and after writing, retries and duplicate deliveries', async () => {
    const counters = new InMemoryOutcomeCounters();
    const enquiries = Array.from({ length: 20_000 }, (_, n) => decided(n));
    const { attempts, crashes } = await recordWithFaults(counters, enquiries, 21);
    expect(crashes).toBeGreaterThan(2_000);
    expect(attempts).toBeGreaterThan(24_000);

    const rows = await counters.rows('2026-11-24', '2026-11-24');
    const sum = (field: 'received' | 'approved' | 'rejected' | 'decisionCount') => rows.reduce((total, row) => total + row[field], 0);
    expect(sum('received')).toBe(20_000);
    expect(sum('rejected')).toBe(4_000);
    expect(sum('approved')).toBe(16_000);
    expect(sum('decisionCount')).toBe(20_000);
    expect(new Set(rows.map((row) => `${row.topic}/${row.department}/${row.language}`))).toEqual(new Set(['blocked_drain_flooding/DSD/zh-HK']));
    // One row per Hong Kong hour (shards summed), and storage bounded by hours × shards, not by outcomes.
    expect(rows.map((row) => row.hour).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(counters.size).toEqual({ shards: 24 * COUNTER_SHARDS, markers: 20_000 });
  });

  it('says an outcome was counted only the first time', async () => {
    const counters = new InMemoryOutcomeCounters();
    expect(await counters.record(decided(7))).toEqual({ counted: true });
    expect(await counters.record(decided(7))).toEqual({ counted: false });
    expect(await counters.record(decided(7, { status: 'awaiting_review', decision: undefined }))).toEqual({ counted: false });
  });
});

describe('the counting plan', () => {
  const enquiry = decided(42);
  const plan = countingPlanFor(outcomeEventOf(enquiry)!);

  it('keys the marker by a hash that holds no part of the enquiry id', () => {
    expect(plan.markerId).toMatch(/^[0-9a-f]{32}$/);
    expect(plan.markerId).not.toContain(enquiry.enquiryId.slice(-12).toLowerCase());
    expect(countedMarkerOf(enquiry.enquiryId)).toEqual({ markerId: plan.markerId, shard: plan.shard });
    expect(countedMarkerOf(decided(43).enquiryId).markerId).not.toBe(plan.markerId);
  });

  it('expires the marker after the longest a workflow could still retry, counted from receipt', () => {
    expect(plan.markerExpiresAt).toBe(Date.parse(enquiry.receivedAt) / 1000 + COUNTED_MARKER_RETENTION_DAYS * 86_400);
    expect(COUNTED_MARKER_RETENTION_DAYS).toBeGreaterThan(365); // a Standard execution lives at most one year
  });

  it('spreads enquiries over every shard', () => {
    const shards = new Set(Array.from({ length: 400 }, (_, n) => countedMarkerOf(decided(n).enquiryId).shard));
    expect([...shards].sort()).toEqual(Array.from({ length: COUNTER_SHARDS }, (_, s) => s));
  });

  it('counts the agent-confirmed topic, in the hour of receipt', () => {
    const corrected = decided(1, {
      receivedAt: '2026-11-24T13:20:00+08:00',
      decision: { decisionId: 'D2', action: 'approve', agentId: 'a', decidedAt: '2026-11-24T14:00:00+08:00', topic: { topic: 'road_damage', department: 'HyD' } } as Enquiry['decision'],
    });
    expect(countingPlanFor(outcomeEventOf(corrected)!).increments).toMatchObject({ day: '2026-11-24', hour: 13, topic: 'road_damage', department: 'HyD', corrected: 1 });
  });
});

describe('DynamoDB counting under transaction conflicts', () => {
  const documents = mockClient(DynamoDBDocumentClient);
  afterEach(() => documents.reset());
  const conflict = () =>
    new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });

  it('retries when another transaction held the shard item, then counts once', async () => {
    documents.on(TransactWriteCommand).rejectsOnce(conflict()).resolves({});
    const counters = new DynamoOutcomeCounters(new DynamoDBClient({ region: 'ap-east-1' }), 'counters', async () => undefined);
    expect(await counters.record(decided(3))).toEqual({ counted: true });
    expect(documents.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('gives up with a TransientError (retried by the state machine) when conflicts persist', async () => {
    documents.on(TransactWriteCommand).rejects(conflict());
    const counters = new DynamoOutcomeCounters(new DynamoDBClient({ region: 'ap-east-1' }), 'counters', async () => undefined);
    await expect(counters.record(decided(3))).rejects.toBeInstanceOf(TransientError);
  });

  it('writes the marker only if absent, with its TTL and nothing else, and adds to a sharded hour counter', async () => {
    documents.on(TransactWriteCommand).resolves({});
    const counters = new DynamoOutcomeCounters(new DynamoDBClient({ region: 'ap-east-1' }), 'counters');
    const enquiry = decided(9, { receivedAt: '2026-11-24T21:05:00+08:00' });
    await counters.record(enquiry);
    const [put, update] = documents.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put?.Put?.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(Object.keys(put?.Put?.Item ?? {}).sort()).toEqual(['expiresAt', 'pk', 'sk']);
    expect(JSON.stringify(put)).not.toContain(enquiry.enquiryId);
    expect(update?.Update?.Key).toEqual({ pk: 'COUNTERS#2026-11', sk: `2026-11-24#21#blocked_drain_flooding#DSD#zh-HK#unknown#s${countedMarkerOf(enquiry.enquiryId).shard}` });
    expect(update?.Update?.UpdateExpression).toMatch(/ADD /);
  });
});
