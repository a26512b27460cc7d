import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo } from '../../local/dynamo.ts';
import { DynamoOptOutRegistry, DynamoSentSmsLedger } from '../../shared/adapters/aws/dynamo-sms-tables.ts';
import { sendFollowUpSms } from '../../shared/domain/sms/send.ts';
import type { SmsSender } from '../../shared/ports/sms.ts';
import { LocalCallerHasher } from '../../local/stand-ins/local-caller-hasher.ts';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { RETENTION } from '../../shared/domain/retention.ts';

// A real DynamoDB API (dynalite) on loopback: conditional writes are evaluated for real.
let dynamo: Awaited<ReturnType<typeof startLocalDynamo>>;
let ledger: DynamoSentSmsLedger;
let optOuts: DynamoOptOutRegistry;

beforeAll(async () => {
  dynamo = await startLocalDynamo('assist-sms-control-test');
  ledger = new DynamoSentSmsLedger(dynamo.client, dynamo.tableName, { staleAfterSeconds: 300 });
  optOuts = new DynamoOptOutRegistry(dynamo.client, dynamo.tableName, LocalCallerHasher.random());
});

afterAll(async () => {
  await dynamo.close();
});

const T0 = '2026-11-24T02:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('DynamoDB sent-SMS ledger', () => {
  it('claims a key once, then reports it in progress, then already sent', async () => {
    const key = 'ENQ-20261124-AAAAAAAAAAAA#decision-1';
    await expect(ledger.claim(key, T0)).resolves.toBe('claimed');
    await expect(ledger.claim(key, later(1))).resolves.toBe('in_progress');
    await ledger.markSent(key, 'mid-1', later(2));
    await expect(ledger.claim(key, later(3))).resolves.toBe('already_sent');
    // A sent record is never given back, and never taken over however old.
    await ledger.release(key);
    await expect(ledger.claim(key, later(86_400))).resolves.toBe('already_sent');
  });

  it('lets a released claim be claimed again', async () => {
    const key = 'ENQ-20261124-BBBBBBBBBBBB#decision-1';
    await expect(ledger.claim(key, T0)).resolves.toBe('claimed');
    await ledger.release(key);
    await expect(ledger.claim(key, later(1))).resolves.toBe('claimed');
  });

  it('reports a claim unfinished for longer than the stale period as abandoned, and never hands it over', async () => {
    const key = 'ENQ-20261124-CCCCCCCCCCCC#decision-1';
    await expect(ledger.claim(key, T0)).resolves.toBe('claimed');
    await expect(ledger.claim(key, later(299))).resolves.toBe('in_progress');
    await expect(ledger.claim(key, later(301))).resolves.toBe('outcome_unknown');
    await expect(ledger.claim(key, later(3600))).resolves.toBe('outcome_unknown');
    await ledger.markSent(key, 'msg-late', later(3601));
    await expect(ledger.claim(key, later(3602))).resolves.toBe('already_sent');
  });

  it('records an ambiguous send at once, and never downgrades a sent record', async () => {
    const key = 'ENQ-20261124-GGGGGGGGGGGG#decision-1';
    await expect(ledger.claim(key, T0)).resolves.toBe('claimed');
    await ledger.markOutcomeUnknown(key, later(1));
    await expect(ledger.claim(key, later(2))).resolves.toBe('outcome_unknown');
    await ledger.release(key); // only an in-progress claim can be given back
    await expect(ledger.claim(key, later(3))).resolves.toBe('outcome_unknown');

    const sentKey = 'ENQ-20261124-HHHHHHHHHHHH#decision-1';
    await ledger.claim(sentKey, T0);
    await ledger.markSent(sentKey, 'msg-1', later(1));
    await ledger.markOutcomeUnknown(sentKey, later(2));
    await expect(ledger.claim(sentKey, later(3))).resolves.toBe('already_sent');
  });

  it('gives exactly one of many concurrent claims', async () => {
    const key = 'ENQ-20261124-DDDDDDDDDDDD#decision-1';
    const results = await Promise.all(Array.from({ length: 12 }, () => ledger.claim(key, T0)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in_progress')).toHaveLength(11);
  });

  it('sends once when the same outbox message is delivered concurrently and then again', async () => {
    const sent: string[] = [];
    const sender: SmsSender = {
      send: async (to) => {
        sent.push(to);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { messageId: `mid-${sent.length}` };
      },
    };
    const deps = {
      sender,
      ledger,
      optOuts,
      clock: { now: () => new Date(T0) },
      callerNumberOf: async () => '+85291234567',
      maxSegments: 4,
    };
    const message = {
      enquiryId: 'ENQ-20261124-EEEEEEEEEEEE',
      decisionId: 'decision-1',
      correlationId: 'corr-e',
      to: '+85291234567',
      text: 'Your report has been passed to the Highways Department.',
      urgency: 'routine' as const,
      language: 'en-US' as const,
    };
    const results = await Promise.allSettled([1, 2, 3].map(() => sendFollowUpSms({ ...message }, deps)));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value.outcome === 'sent')).toHaveLength(1);
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'duplicate' });
    expect(sent).toHaveLength(1);
  });
});

describe('DynamoDB opt-out registry', () => {
  it('records STOP and a later START for a number', async () => {
    const number = '+85290000001';
    await expect(optOuts.isOptedOut(number)).resolves.toBe(false);
    await optOuts.optOut(number, T0, 'inbound-sms:m1');
    await expect(optOuts.isOptedOut(number)).resolves.toBe(true);
    await optOuts.optIn(number, later(60));
    await expect(optOuts.isOptedOut(number)).resolves.toBe(false);
    await expect(optOuts.isOptedOut('+85290000002')).resolves.toBe(false);
  });

  it('keeps the latest keyword when notifications arrive out of order', async () => {
    const number = '+85290000003';
    await optOuts.optIn(number, later(60));
    await optOuts.optOut(number, T0, 'inbound-sms:late-delivery'); // older than the START: ignored
    await expect(optOuts.isOptedOut(number)).resolves.toBe(false);
    await optOuts.optOut(number, later(120), 'inbound-sms:m3');
    await expect(optOuts.isOptedOut(number)).resolves.toBe(true);
  });

  it('keys opt-outs by the keyed hash of the number: no stored item holds the number or its digits', async () => {
    const number = '+85290000004';
    await optOuts.optOut(number, T0, 'inbound-sms:m4');
    await expect(optOuts.isOptedOut(number)).resolves.toBe(true);
    const items = ((await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? []).map((item) => unmarshall(item));
    const optOutItems = items.filter((item) => String(item['pk']).startsWith('OPTOUT#'));
    expect(optOutItems.length).toBeGreaterThan(0);
    for (const item of optOutItems) {
      expect(JSON.stringify(item)).not.toContain('90000004');
      expect(item['pk']).toMatch(/^OPTOUT#[0-9a-f]{64}$/);
      expect(item['expiresAt']).toBeUndefined(); // honoured as long as the number may be texted
    }
  });
});

describe('SMS ledger retention', () => {
  it('writes the TTL attribute the idempotency window after the claim', async () => {
    const key = 'ENQ-20261124-TTLTTLTTLTTL#decision-1';
    await ledger.claim(key, T0);
    await ledger.markSent(key, 'mid-ttl', later(2));
    const items = ((await dynamo.client.send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? []).map((item) => unmarshall(item));
    const entry = items.find((item) => item['pk'] === `SMS#${key}`);
    expect(entry?.['state']).toBe('sent');
    expect(entry?.['expiresAt']).toBe(Date.parse(T0) / 1000 + RETENTION.smsLedgerDays * 86_400);
  });
});
