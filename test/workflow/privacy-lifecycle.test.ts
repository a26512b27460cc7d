import { afterEach, describe, expect, it } from 'vitest';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LocalStack } from '../../local/stack.ts';
import { RETENTION } from '../../shared/domain/retention.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import { DynamoPrivacyRecords } from '../../shared/adapters/aws/dynamo-privacy-records.ts';
import { apiEvent, intakeUntil, startHarness, waitFor } from './harness.ts';
import { quiescent } from './fault-helpers.ts';

const DAY_MS = 86_400_000;
/** 14:00 Hong Kong time (outside SMS quiet hours); the tests move it forward to cross retention periods. */
const START = Date.parse('2026-11-24T06:00:00Z');
let nowMs = START;
const clock: Clock = { now: () => new Date(nowMs) };

const CALLER = '+85291234567';
const OTHER_CALLER = '+85298765432';

function written(id: string, phone: string, text = 'The restaurant downstairs runs its kitchen exhaust fan until 2am every night and the noise keeps my children awake.') {
  return { kind: 'written', messageId: id, channel: 'web', text, contact: { phone }, smsConsent: true, receivedAt: new Date(START - 3_600_000).toISOString() };
}

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  nowMs = START;
});

async function scan(tableName: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await stack!.dynamo.client.send(new ScanCommand({ TableName: tableName }));
  return Items.map((item) => unmarshall(item));
}

async function decide(id: string, body: unknown) {
  const response = await stack!.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id, groups: ['agent'], sub: 'agent-7', body }));
  expect(response.statusCode).toBe(200);
}

const statusOf = async (id: string) => (await stack!.store.get(id))?.status;
const settle = (id: string, statuses: string[]) => waitFor(() => statusOf(id), (status) => statuses.includes(status ?? ''));

async function restrictedItem(pk: string) {
  return (await scan(stack!.dynamo.restrictedTableName)).find((item) => item['pk'] === pk);
}
async function enquiryItem(id: string) {
  return (await scan(stack!.dynamo.tableName)).find((item) => item['pk'] === `ENQ#${id}` && item['sk'] === 'META');
}

async function privacy(route: 'POST /privacy/exports' | 'POST /privacy/erasures', body: unknown, groups = ['privacy']) {
  const response = await stack!.privacyApi(apiEvent(route, { groups, sub: 'privacy-officer-1', body }));
  return { status: response.statusCode, body: String(response.body), headers: response.headers ?? {} };
}

describe('retention: raw contact data and records expire by the TTL rule', () => {
  it('deletes raw contact data the retention period after the enquiry settles, the redacted record only after its own period', async () => {
    stack = await startHarness({ clock });
    const [closedOne, smsOne, openOne] = await intakeUntil(stack, [written('web-ret-1', CALLER), written('web-ret-2', CALLER), written('web-ret-3', OTHER_CALLER)]);
    const ids = [closedOne!, smsOne!, openOne!].map((e) => e.enquiryId);
    const [closedId, smsId, openId] = ids as [string, string, string];

    // Settled two ways: rejected → closed by RecordOutcome (which may only set expiry on raw items), approved with SMS → sms_sent by send-sms.
    await decide(closedId, { action: 'reject', reason: 'duplicate of an earlier report' });
    await decide(smsId, { action: 'approve', sendSms: true });
    await settle(closedId, ['closed']);
    await settle(smsId, ['sms_queued']);
    await stack.processSmsOutbox();
    await settle(smsId, ['sms_sent']);

    const settledAt = Math.floor(START / 1000);
    for (const id of [closedId, smsId]) {
      expect((await restrictedItem(`CONTACT#${id}`))?.['expiresAt']).toBe(settledAt + RETENTION.rawContactDaysAfterSettled * 86_400);
      expect((await enquiryItem(id))?.['expiresAt']).toBe(settledAt + RETENTION.enquiryRecordDaysAfterSettled * 86_400);
    }
    // Not settled: no retention clock yet, whatever the time.
    expect((await restrictedItem(`CONTACT#${openId}`))?.['expiresAt']).toBeUndefined();
    expect((await enquiryItem(openId))?.['expiresAt']).toBeUndefined();

    // One day before the raw period ends: everything is still there.
    nowMs = START + (RETENTION.rawContactDaysAfterSettled - 1) * DAY_MS;
    await stack.sweepExpired();
    for (const id of ids) expect(await restrictedItem(`CONTACT#${id}`)).toBeDefined();

    // The day after: raw contact data and task-token items of settled enquiries are gone; redacted records stay.
    nowMs = START + (RETENTION.rawContactDaysAfterSettled + 1) * DAY_MS;
    const swept = await stack.sweepExpired();
    expect(swept[stack.dynamo.restrictedTableName]).toBeGreaterThanOrEqual(2);
    for (const id of [closedId, smsId]) {
      expect(await restrictedItem(`CONTACT#${id}`)).toBeUndefined();
      expect(await restrictedItem(`TASK#${id}`)).toBeUndefined();
      expect((await stack.store.get(id))?.redactedText).toBeTruthy();
      expect((await stack.store.auditTrail(id)).length).toBeGreaterThan(3);
    }
    expect(await restrictedItem(`CONTACT#${openId}`)).toBeDefined();
    // The sent-SMS ledger entry has gone after its idempotency window too.
    expect((await scan(stack.smsTableName)).filter((item) => String(item['pk']).startsWith('SMS#'))).toEqual([]);

    // The day before the record's period ends it is still there; the day after, record and caller-index entry are gone.
    nowMs = START + (RETENTION.enquiryRecordDaysAfterSettled - 1) * DAY_MS;
    await stack.sweepExpired();
    expect(await stack.store.get(closedId)).toBeDefined();
    nowMs = START + (RETENTION.enquiryRecordDaysAfterSettled + 1) * DAY_MS;
    await stack.sweepExpired();
    for (const id of [closedId, smsId]) expect(await stack.store.get(id)).toBeUndefined();
    const records = new DynamoPrivacyRecords(stack.dynamo.client, stack.dynamo.tableName, stack.dynamo.restrictedTableName);
    expect(await records.enquiryIdsOfCaller(await stack.callerHasher.hash(CALLER))).toEqual([]);
    // The unsettled enquiry and its raw data are kept: its clock has not started.
    expect(await stack.store.get(openId)).toBeDefined();
    expect(await restrictedItem(`CONTACT#${openId}`)).toBeDefined();
  });
});

describe('data access requests: export through the keyed-hash index', () => {
  it('exports exactly the three enquiries from one number, not the other caller’s, and audits the export', async () => {
    stack = await startHarness({ clock });
    const mine = [written('web-dar-1', CALLER), written('web-dar-2', CALLER, '我屋企樓上漏水，滴落我廚房，已經一個禮拜。'), written('web-dar-3', CALLER)];
    const enquiries = await intakeUntil(stack, [...mine, written('web-dar-4', OTHER_CALLER)]);
    expect(enquiries).toHaveLength(4);
    const contacts = await Promise.all(enquiries.map(async (e) => ({ id: e.enquiryId, number: (await stack!.store.getContact(e.enquiryId))?.callerNumber })));
    const expectedIds = contacts.filter((c) => c.number === CALLER).map((c) => c.id).sort();
    expect(expectedIds).toHaveLength(3);

    const response = await privacy('POST /privacy/exports', { number: CALLER });
    expect(response.status).toBe(200);
    const data = JSON.parse(response.body) as { requestId: string; enquiries: { enquiryId: string; contact: { callerNumber: string; rawText: string } | null; redactedText: string | null }[] };
    expect(data.enquiries.map((e) => e.enquiryId).sort()).toEqual(expectedIds);
    for (const enquiry of data.enquiries) {
      expect(enquiry.contact?.callerNumber).toBe(CALLER);
      expect(enquiry.contact?.rawText).toBeTruthy();
      expect(enquiry.redactedText).toBeTruthy();
    }
    expect(response.body).not.toContain(OTHER_CALLER);

    const html = await privacy('POST /privacy/exports', { number: CALLER, format: 'html' });
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    for (const id of expectedIds) expect(html.body).toContain(id);
    expect(html.body).toContain('漏水');
    expect(html.body).not.toContain('<script');

    // Every export is audited: who, when, which number's hash (never the number).
    const records = new DynamoPrivacyRecords(stack.dynamo.client, stack.dynamo.tableName, stack.dynamo.restrictedTableName);
    const callerHash = await stack.callerHasher.hash(CALLER);
    const audits = await records.requestsFor(callerHash);
    expect(audits).toHaveLength(2); // the JSON and the HTML export
    const audit = audits.find((a) => a.requestId === data.requestId);
    expect(audit).toMatchObject({ action: 'export', actor: 'privacy:privacy-officer-1', callerHash, at: new Date(START).toISOString() });
    expect([...audit!.enquiryIds].sort()).toEqual(expectedIds);

    // The caller index and the audit hold the keyed hash only: no item of the Enquiry table holds either number.
    const digitsOf = (n: string) => n.slice(4); // 9123 4567 without the country code
    for (const item of await scan(stack.dynamo.tableName)) {
      const stored = JSON.stringify(item);
      for (const number of [CALLER, OTHER_CALLER]) expect(stored).not.toContain(digitsOf(number));
    }
    const indexed = (await scan(stack.dynamo.tableName)).filter((item) => item['callerHash'] !== undefined);
    expect(indexed).toHaveLength(4);
    for (const item of indexed) expect(item['callerHash']).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(indexed.map((item) => item['callerHash'])).size).toBe(2);
  });

  it('refuses a malformed number naming the field, and keeps agents and supervisors out', async () => {
    stack = await startHarness({ clock });
    const bad = await privacy('POST /privacy/exports', { number: '91234567' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('number: must be an E.164 phone number');
    const unknownField = await privacy('POST /privacy/exports', { number: CALLER, format: 'pdf' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body).toContain('format');

    for (const groups of [['agent'], ['supervisor'], ['agent', 'supervisor']]) {
      expect((await privacy('POST /privacy/exports', { number: CALLER }, groups)).status).toBe(403);
      expect((await privacy('POST /privacy/erasures', { number: CALLER }, groups)).status).toBe(403);
    }
    // A token with no staff group (an unknown role) is told what it lacks.
    const unknownRole = await privacy('POST /privacy/exports', { number: CALLER }, ['auditor']);
    expect(unknownRole.status).toBe(401);
    expect(unknownRole.body).toContain('no staff group (agent, supervisor, privacy)');

    // The privacy role cannot read agents' queues or decide reviews.
    const [enquiry] = await intakeUntil(stack, [written('web-auth-1', CALLER)]);
    const decision = await stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id: enquiry!.enquiryId, groups: ['privacy'], sub: 'p-1', body: { action: 'approve' } }));
    expect(decision.statusCode).toBe(403);
    expect((await stack.reviewApi(apiEvent('GET /enquiries', { groups: ['privacy'], query: { status: 'awaiting_review' } }))).statusCode).toBe(403);
    expect((await stack.store.get(enquiry!.enquiryId))?.status).toBe('awaiting_review');
  });
});

describe('erasure on request', () => {
  it('erases raw contact data of settled enquiries at once, leaves open ones and counters alone, and audits it', async () => {
    stack = await startHarness({ clock });
    const [a, b, c] = await intakeUntil(stack, [written('web-era-1', CALLER), written('web-era-2', CALLER), written('web-era-3', CALLER)]);
    await decide(a!.enquiryId, { action: 'reject', reason: 'not for 1823' });
    await decide(b!.enquiryId, { action: 'approve' });
    await settle(a!.enquiryId, ['closed']);
    await settle(b!.enquiryId, ['closed']);
    // RecordOutcome closes an enquiry before it counts it: wait for the executions to end before reading.
    await quiescent(stack);
    const day = new Date(START).toISOString().slice(0, 10);
    const countersBefore = await stack.counters.rows(day, day);
    expect(countersBefore.length).toBeGreaterThan(0);

    nowMs = START + DAY_MS;
    const response = await privacy('POST /privacy/erasures', { number: CALLER });
    expect(response.status).toBe(200);
    const result = JSON.parse(response.body) as { requestId: string; erased: string[]; skipped: { enquiryId: string; reason: string }[] };
    expect(result.erased.sort()).toEqual([a!.enquiryId, b!.enquiryId].sort());
    expect(result.skipped).toEqual([{ enquiryId: c!.enquiryId, reason: 'still being handled (awaiting_review); erase once it is settled' }]);

    for (const id of result.erased) {
      const tombstone = await restrictedItem(`CONTACT#${id}`);
      expect(Object.keys(tombstone!).sort()).toEqual(['enquiryId', 'erasedAt', 'expiresAt', 'pk']);
      expect(JSON.stringify(tombstone)).not.toContain('91234567');
      const enquiry = await stack.store.get(id);
      expect(enquiry?.status).toBe('closed');
      expect(enquiry?.contactErasedAt).toBe(new Date(nowMs).toISOString());
      expect(enquiry?.redactedText).toBeTruthy();
      const trail = await stack.store.auditTrail(id);
      expect(trail.at(-1)).toMatchObject({ actor: 'privacy:privacy-officer-1', note: 'raw contact data erased at the caller’s request', from: 'closed', to: 'closed' });
    }
    // The open enquiry keeps what a reply still needs.
    expect((await stack.store.getContact(c!.enquiryId))?.callerNumber).toBe(CALLER);
    // Counters are untouched.
    expect(await stack.counters.rows(day, day)).toEqual(countersBefore);

    const audits = await new DynamoPrivacyRecords(stack.dynamo.client, stack.dynamo.tableName, stack.dynamo.restrictedTableName).requestsFor(await stack.callerHasher.hash(CALLER));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ action: 'erasure', actor: 'privacy:privacy-officer-1', requestId: result.requestId, erased: result.erased });

    // An export afterwards shows the erasure and no raw data for those enquiries.
    const exported = JSON.parse((await privacy('POST /privacy/exports', { number: CALLER })).body) as { enquiries: { enquiryId: string; contact: unknown; contactErasedAt: string | null }[] };
    for (const enquiry of exported.enquiries.filter((e) => result.erased.includes(e.enquiryId))) {
      expect(enquiry.contact).toBeNull();
      expect(enquiry.contactErasedAt).toBe(new Date(nowMs).toISOString());
    }
  });
});
