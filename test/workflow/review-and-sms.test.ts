import { afterEach, describe, expect, it } from 'vitest';
import { Duration } from 'aws-cdk-lib';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import { apiEvent, enquiriesIn, intakeUntil, startHarness, waitFor } from './harness.ts';

const samples = loadSamples();
const bodyOf = (file: string) => JSON.parse(samples.find((s) => s.file === file)!.body) as Record<string, unknown>;
/** 14:00 Hong Kong time: outside SMS quiet hours, so sends are not deferred. */
const afternoon: Clock = { now: () => new Date('2026-11-24T06:00:00Z') };

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function oneAwaiting(file: string, overrides: Record<string, unknown> = {}) {
  stack = await startHarness({ clock: afternoon });
  const [enquiry] = await intakeUntil(stack, [{ ...bodyOf(file), ...overrides }]);
  expect(enquiry?.status).toBe('awaiting_review');
  return enquiry!;
}

async function decide(id: string, body: unknown, sub = 'agent-7') {
  const response = await stack!.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id, groups: ['agent'], sub, body }));
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
}

async function finalStatus(id: string, statuses: string[]) {
  return waitFor(
    async () => (await stack!.store.get(id))?.status,
    (status) => statuses.includes(status ?? ''),
  );
}

describe('agent review and SMS on the synthesized workflow', () => {
  it('approve with SMS: one message to the caller, enquiry sms_sent, counters updated once', async () => {
    const enquiry = await oneAwaiting('written-en-noise.json');
    const decision = await decide(enquiry.enquiryId, { action: 'approve', sendSms: true });
    expect(decision.status).toBe(200);
    await finalStatus(enquiry.enquiryId, ['sms_queued']);
    await stack!.processSmsOutbox();
    await stack!.processSmsOutbox(); // a second delivery pass must not send again
    expect(await finalStatus(enquiry.enquiryId, ['sms_sent'])).toBe('sms_sent');
    const sent = stack!.smsSent();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe('+85291234567');
    const stored = await stack!.store.get(enquiry.enquiryId);
    expect(stored?.decision).toMatchObject({ action: 'approve', agentId: 'agent-7', editDistance: 0, sendSms: true });
    expect(stored?.sms?.messageId).toBeDefined();
    const rows = await stack!.counters.rows('2026-11-24', '2026-11-24');
    expect(rows.reduce((n, r) => n + r.approved, 0)).toBe(1);
  });

  it('edit: the agent text is what is recorded, with its edit distance, and no SMS without sendSms', async () => {
    const enquiry = await oneAwaiting('written-zhhk-housing.json');
    const draft = (await stack!.store.get(enquiry.enquiryId))!.draft!.text;
    const decision = await decide(enquiry.enquiryId, { action: 'edit', text: `${draft}\n已安排跟進。` });
    expect(decision.status).toBe(200);
    expect(await finalStatus(enquiry.enquiryId, ['closed'])).toBe('closed');
    const stored = await stack!.store.get(enquiry.enquiryId);
    expect(stored?.decision?.finalText?.endsWith('已安排跟進。')).toBe(true);
    expect(stored?.decision?.editDistance).toBe(7);
    expect(stack!.smsSent()).toHaveLength(0);
  });

  it('reject: closed with the reason in the audit trail, nothing sent', async () => {
    const enquiry = await oneAwaiting('written-zhcn-tax.json');
    expect((await decide(enquiry.enquiryId, { action: 'reject', reason: 'Refer to IRD correspondence team' })).status).toBe(200);
    expect(await finalStatus(enquiry.enquiryId, ['closed'])).toBe('closed');
    const audit = await stack!.store.auditTrail(enquiry.enquiryId);
    expect(audit.map((e) => e.to)).toEqual(expect.arrayContaining(['awaiting_review', 'rejected', 'closed']));
    expect(audit.find((e) => e.to === 'rejected')?.note).toBe('Refer to IRD correspondence team');
    expect(stack!.smsSent()).toHaveLength(0);
  });

  it('approve with SMS for a caller without consent is refused with 422 naming sendSms', async () => {
    const enquiry = await oneAwaiting('written-en-streetlight.json');
    const decision = await decide(enquiry.enquiryId, { action: 'approve', sendSms: true });
    expect(decision.status).toBe(422);
    expect(decision.body['problems']).toEqual([{ field: 'sendSms', problem: 'the caller did not consent to SMS' }]);
    expect((await stack!.store.get(enquiry.enquiryId))?.status).toBe('awaiting_review');
  });

  it('an opted-out number is never sent to; the enquiry records why', async () => {
    const enquiry = await oneAwaiting('written-en-parking.json');
    await stack!.optOuts.optOut('+85251234567', '2026-11-24T05:00:00Z', 'inbound-sms:test');
    expect((await decide(enquiry.enquiryId, { action: 'approve', sendSms: true })).status).toBe(200);
    await finalStatus(enquiry.enquiryId, ['sms_queued']);
    await stack!.processSmsOutbox();
    expect(await finalStatus(enquiry.enquiryId, ['sms_failed'])).toBe('sms_failed');
    expect((await stack!.store.get(enquiry.enquiryId))?.sms?.failure).toBe('skipped_opted_out');
    expect(stack!.smsSent()).toHaveLength(0);
  });

  it('two agents deciding at once: exactly one 200 and one 409', async () => {
    const enquiry = await oneAwaiting('written-zhhk-hygiene.json');
    const results = await Promise.all([
      decide(enquiry.enquiryId, { action: 'approve' }, 'agent-a'),
      decide(enquiry.enquiryId, { action: 'reject', reason: 'duplicate' }, 'agent-b'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body['currentStatus']).toBeDefined();
  });

  it('a review that times out moves the enquiry to needs_manual with the reason', async () => {
    stack = await startHarness({ clock: afternoon, reviewTimeout: Duration.seconds(1) });
    await intakeUntil(stack, [bodyOf('written-zhcn-tree.json')], ['awaiting_review']);
    const [enquiry] = await waitFor(() => enquiriesIn(stack!, ['needs_manual']), (items) => items.length === 1);
    expect(enquiry?.manualReason).toMatch(/did not finish in time/);
    const decision = await decide(enquiry!.enquiryId, { action: 'approve' });
    expect(decision).toMatchObject({ status: 409, body: { currentStatus: 'needs_manual' } });
  });
});
