import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileSmsOutboxSender } from '../../local/stand-ins/file-sms-outbox-sender.ts';
import { describe, expect, it } from 'vitest';
import { TransientError, ValidationError } from '../../shared/domain/errors.ts';
import { SmsTooLongError } from '../../shared/domain/sms/encoding.ts';
import { idempotencyKeyFor, type SmsOutboxMessage } from '../../shared/domain/sms/message.ts';
import { handleInboundSms, sendFollowUpSms, SmsOutcomeUnknownError, SmsPermanentError, type SendFollowUpSmsDeps } from '../../shared/domain/sms/send.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { LedgerClaim, OptOutRegistry, SentSmsLedger, SmsSender } from '../../shared/ports/sms.ts';

// ----- in-memory ports, with the same semantics the DynamoDB adapters give -----

class InMemoryLedger implements SentSmsLedger {
  readonly records = new Map<string, { state: 'in_progress' | 'sent' | 'unknown'; claimedAt: string; messageId?: string }>();
  failMarkSent = false;

  // No await before the check-and-set: atomic on the event loop, like a conditional put.
  async claim(key: string, at: string): Promise<LedgerClaim> {
    const record = this.records.get(key);
    if (!record) {
      this.records.set(key, { state: 'in_progress', claimedAt: at });
      return 'claimed';
    }
    if (record.state === 'sent') return 'already_sent';
    if (record.state === 'unknown') return 'outcome_unknown';
    return Date.parse(at) - Date.parse(record.claimedAt) > 300_000 ? 'outcome_unknown' : 'in_progress';
  }

  async markOutcomeUnknown(key: string): Promise<void> {
    const record = this.records.get(key);
    if (record?.state === 'in_progress') this.records.set(key, { ...record, state: 'unknown' });
  }

  async markSent(key: string, messageId: string, at: string): Promise<void> {
    if (this.failMarkSent) throw new TransientError('ledger unavailable');
    this.records.set(key, { state: 'sent', claimedAt: at, messageId });
  }

  async release(key: string): Promise<void> {
    if (this.records.get(key)?.state === 'in_progress') this.records.delete(key);
  }
}

class InMemoryOptOuts implements OptOutRegistry {
  readonly numbers = new Map<string, { optedOut: boolean; source?: string }>();
  async isOptedOut(number: string) {
    return this.numbers.get(number)?.optedOut === true;
  }
  async optOut(number: string, _at: string, source: string) {
    this.numbers.set(number, { optedOut: true, source });
  }
  async optIn(number: string) {
    this.numbers.set(number, { optedOut: false });
  }
}

/** Records every SMS handed to it; can be told to fail the next sends or to take a while. */
class RecordingSender implements SmsSender {
  readonly delivered: { to: string; text: string }[] = [];
  attempts = 0;
  failures: Error[] = [];
  delayMs = 0;

  async send(to: string, text: string) {
    this.attempts++;
    if (this.delayMs) await sleep(this.delayMs);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.delivered.push({ to, text });
    return { messageId: `msg-${this.delivered.length}` };
  }
}

const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });
const OFFICE_HOURS = '2026-11-24T02:00:00Z'; // 10:00 HKT
const LATE_NIGHT = '2026-11-24T15:00:00Z'; // 23:00 HKT
const CALLER = '+85291234567';

const message: SmsOutboxMessage = {
  enquiryId: 'ENQ-20261124-ABCDEFGHJKMN',
  decisionId: '5f0c6d0e-8a0b-4f7e-9a57-1f6c3a1e2b44',
  correlationId: 'corr-1',
  to: CALLER,
  text: '多謝您致電1823。水務署已安排人員於今日下午跟進食水問題。',
  urgency: 'routine',
  language: 'zh-HK',
};

function setup(overrides: Partial<SendFollowUpSmsDeps> = {}) {
  const sender = new RecordingSender();
  const ledger = new InMemoryLedger();
  const optOuts = new InMemoryOptOuts();
  const deps: SendFollowUpSmsDeps = {
    sender,
    ledger,
    optOuts,
    clock: fixedClock(OFFICE_HOURS),
    callerNumberOf: async (enquiryId) => (enquiryId === message.enquiryId ? CALLER : undefined),
    maxSegments: 4,
    ...overrides,
  };
  return { sender, ledger, optOuts, deps };
}

describe('sending a follow-up SMS', () => {
  it('sends the reply to the caller and records it under enquiry id + decision id', async () => {
    const { sender, ledger, deps } = setup();
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({
      outcome: 'sent',
      messageId: 'msg-1',
      encoding: 'UCS-2',
      segments: 1,
      ledgerRecorded: true,
    });
    expect(sender.delivered).toEqual([{ to: CALLER, text: message.text }]);
    expect(ledger.records.get(`${message.enquiryId}#${message.decisionId}`)).toMatchObject({ state: 'sent', messageId: 'msg-1' });
    expect(idempotencyKeyFor(message)).toBe('ENQ-20261124-ABCDEFGHJKMN#5f0c6d0e-8a0b-4f7e-9a57-1f6c3a1e2b44');
  });

  it('never sends twice when the same message is delivered again', async () => {
    const { sender, deps } = setup();
    await sendFollowUpSms(message, deps);
    await expect(sendFollowUpSms({ ...message }, deps)).resolves.toEqual({ outcome: 'duplicate' });
    expect(sender.delivered).toHaveLength(1);
  });

  it('never sends twice when two deliveries of the same message run at once', async () => {
    const { sender, deps } = setup();
    sender.delayMs = 20;
    const results = await Promise.allSettled([sendFollowUpSms(message, deps), sendFollowUpSms({ ...message }, deps)]);
    expect(sender.delivered).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.outcome)).toEqual(['sent']);
    // The loser is told to retry (SQS redelivers it), and the retry finds the SMS already sent.
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(TransientError);
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'duplicate' });
    expect(sender.attempts).toBe(1);
  });

  it('sends a different decision on the same enquiry separately', async () => {
    const { sender, deps } = setup();
    await sendFollowUpSms(message, deps);
    await expect(sendFollowUpSms({ ...message, decisionId: 'decision-2b' }, deps)).resolves.toMatchObject({ outcome: 'sent' });
    expect(sender.delivered).toHaveLength(2);
  });

  it('skips an opted-out number without claiming or sending', async () => {
    const { sender, ledger, optOuts, deps } = setup();
    await optOuts.optOut(CALLER, OFFICE_HOURS, 'test');
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'skipped_opted_out' });
    expect(sender.attempts).toBe(0);
    expect(ledger.records.size).toBe(0);
  });

  it('skips a number that is not the one the enquiry came from', async () => {
    const { sender, deps } = setup();
    await expect(sendFollowUpSms({ ...message, to: '+85298765432' }, deps)).resolves.toEqual({ outcome: 'skipped_not_callers_number' });
    const { deps: noCaller } = setup({ callerNumberOf: async () => undefined });
    await expect(sendFollowUpSms(message, noCaller)).resolves.toEqual({ outcome: 'skipped_not_callers_number' });
    expect(sender.attempts).toBe(0);
  });

  it('defers a routine reply in quiet hours without holding a claim, but sends an urgent one', async () => {
    const { sender, ledger, deps } = setup({ clock: fixedClock(LATE_NIGHT) });
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({
      outcome: 'deferred_quiet_hours',
      delaySeconds: 9 * 3600,
      notBefore: '2026-11-25T00:00:00.000Z',
    });
    expect(ledger.records.size).toBe(0);
    await expect(sendFollowUpSms({ ...message, urgency: 'urgent' }, deps)).resolves.toMatchObject({ outcome: 'sent' });
    expect(sender.delivered).toHaveLength(1);
  });

  it('releases the claim after a transient provider error so the retry sends exactly once', async () => {
    const { sender, ledger, deps } = setup();
    sender.failures.push(new TransientError('ThrottlingException'));
    await expect(sendFollowUpSms(message, deps)).rejects.toBeInstanceOf(TransientError);
    expect(ledger.records.size).toBe(0);
    await expect(sendFollowUpSms(message, deps)).resolves.toMatchObject({ outcome: 'sent' });
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'duplicate' });
    expect(sender.delivered).toHaveLength(1);
    expect(sender.attempts).toBe(2);
  });

  it('surfaces a permanent provider refusal as SmsPermanentError, with nothing claimed', async () => {
    const { sender, ledger, deps } = setup();
    sender.failures.push(new SmsPermanentError('ValidationException', 'invalid_request'));
    await expect(sendFollowUpSms(message, deps)).rejects.toMatchObject({ name: 'SmsPermanentError', reason: 'invalid_request' });
    expect(ledger.records.size).toBe(0);
  });

  it('reports sent (not a retryable failure) when only the ledger write after the send fails', async () => {
    const { sender, ledger, deps } = setup();
    ledger.failMarkSent = true;
    await expect(sendFollowUpSms(message, deps)).resolves.toMatchObject({ outcome: 'sent', ledgerRecorded: false });
    // The claim is still held, so a redelivery does not send again: not while it could be live...
    await expect(sendFollowUpSms(message, deps)).rejects.toBeInstanceOf(TransientError);
    // ...and not once it is abandoned either: the outcome is unknown to this delivery, so it is reported.
    await expect(sendFollowUpSms(message, { ...deps, clock: fixedClock('2026-11-24T03:00:00Z') })).resolves.toEqual({ outcome: 'delivery_unknown' });
    expect(sender.delivered).toHaveLength(1);
  });

  it('keeps the claim and reports delivery_unknown when the provider may have accepted the SMS; redeliveries do not send', async () => {
    const { sender, deps } = setup();
    sender.failures.push(new SmsOutcomeUnknownError('SMS provider outcome unknown: TimeoutError'));
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'delivery_unknown' });
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'delivery_unknown' });
    expect(sender.attempts).toBe(1);
  });

  it('never takes over a claim left by a delivery that crashed mid-send: reports delivery_unknown, sends nothing', async () => {
    const { sender, ledger, deps } = setup();
    // A delivery claimed at 10:00 and died (Lambda timeout or crash) before recording anything.
    await ledger.claim(idempotencyKeyFor(message), OFFICE_HOURS);
    await expect(sendFollowUpSms(message, { ...deps, clock: fixedClock('2026-11-24T02:03:00Z') })).rejects.toBeInstanceOf(TransientError);
    await expect(sendFollowUpSms(message, { ...deps, clock: fixedClock('2026-11-24T02:10:00Z') })).resolves.toEqual({ outcome: 'delivery_unknown' });
    expect(sender.attempts).toBe(0);
  });

  it('rejects a reply over the segment limit and an invalid message before anything else', async () => {
    const { sender, deps } = setup({ maxSegments: 2 });
    await expect(sendFollowUpSms({ ...message, text: '字'.repeat(135) }, deps)).rejects.toBeInstanceOf(SmsTooLongError);
    const invalid = sendFollowUpSms({ ...message, to: '91234567' }, deps);
    await expect(invalid).rejects.toBeInstanceOf(ValidationError);
    await expect(invalid).rejects.toMatchObject({ problems: [{ field: 'to', problem: 'must be an E.164 phone number such as +85291234567' }] });
    expect(sender.attempts).toBe(0);
  });
});

describe('inbound replies', () => {
  const inbound = {
    originationNumber: CALLER,
    destinationNumber: '+85264500000',
    messageBody: '停止',
    inboundMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
    messageKeyword: 'KEYWORD_123456789012',
    previousPublishedMessageId: 'wJ0z3u7zG6bj6vLSJu7DjqYQ',
  };

  it('opts the number out on 停止 / STOP, after which nothing is sent to it', async () => {
    const { sender, optOuts, deps } = setup();
    await expect(handleInboundSms(inbound, { optOuts, clock: deps.clock })).resolves.toEqual({ action: 'opted_out' });
    expect(optOuts.numbers.get(CALLER)).toEqual({ optedOut: true, source: `inbound-sms:${inbound.inboundMessageId}` });
    await expect(sendFollowUpSms(message, deps)).resolves.toEqual({ outcome: 'skipped_opted_out' });
    expect(sender.attempts).toBe(0);
  });

  it('opts back in on START / 開始 and ignores any other reply', async () => {
    const { optOuts, deps } = setup();
    await handleInboundSms({ ...inbound, messageBody: 'ＳＴＯＰ' }, { optOuts, clock: deps.clock });
    await expect(handleInboundSms({ ...inbound, messageBody: '開始' }, { optOuts, clock: deps.clock })).resolves.toEqual({ action: 'opted_in' });
    expect(await optOuts.isOptedOut(CALLER)).toBe(false);
    await expect(handleInboundSms({ ...inbound, messageBody: '多謝' }, { optOuts, clock: deps.clock })).resolves.toEqual({ action: 'ignored' });
    expect(await optOuts.isOptedOut(CALLER)).toBe(false);
  });

  it('rejects a notification without an E.164 origination number', async () => {
    const { optOuts, deps } = setup();
    await expect(handleInboundSms({ ...inbound, originationNumber: 'unknown' }, { optOuts, clock: deps.clock })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('the local SMS provider (outbox file)', () => {
  it('appends each sent SMS as a JSON line with its parts and encoding, and keeps it in memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assist-sms-'));
    try {
      const outbox = new FileSmsOutboxSender(join(dir, 'nested', 'outbox.jsonl'), fixedClock(OFFICE_HOURS));
      const { sender: _unused, deps } = setup();
      const longText = '多謝您致電1823，有關您反映的食水問題，水務署已安排人員跟進。'.repeat(3);
      await sendFollowUpSms({ ...message, text: longText }, { ...deps, sender: outbox });
      await sendFollowUpSms(message, { ...deps, sender: outbox });
      const lines = (await readFile(outbox.path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(1); // the second is a duplicate of the same enquiry + decision
      expect(lines[0]).toMatchObject({ to: CALLER, text: longText, encoding: 'UCS-2', segments: 2, at: '2026-11-24T02:00:00.000Z' });
      expect((lines[0]!.parts as string[]).join('')).toBe(longText);
      expect(outbox.sent()).toEqual(lines);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
