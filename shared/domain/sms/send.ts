/**
 * Sending an approved follow-up SMS (the send-sms consumer of the sms-outbox queue) and honouring inbound
 * STOP/START replies. Pure orchestration over ports: the handler picks the adapters.
 */
import type { Clock } from '../../ports/clock.ts';
import type { OptOutRegistry, SentSmsLedger, SmsSender, SmsSendOptions } from '../../ports/sms.ts';
import { TransientError, ValidationError } from '../errors.ts';
import { assertSmsWithinSegments, type SmsEncoding } from './encoding.ts';
import { idempotencyKeyFor, parseSmsInbound, parseSmsOutboxMessage, type SmsOutboxMessage } from './message.ts';
import { canSendTo, HONG_KONG_QUIET_HOURS, keywordIntent, quietHoursDecision, type QuietHours } from './policy.ts';

export type SmsPermanentReason = 'invalid_request' | 'access_denied' | 'opted_out_at_carrier' | 'not_found' | 'rejected';

/** The provider refused the SMS for good (bad request, no permission, opted out at the carrier): retrying cannot help. */
export class SmsPermanentError extends Error {
  override readonly name = 'SmsPermanentError';
  constructor(
    message: string,
    readonly reason: SmsPermanentReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider may or may not have accepted the SMS (a server error or timeout after the request went
 * out). Retrying could text the caller twice, so the send is recorded as delivery_unknown instead.
 */
export class SmsOutcomeUnknownError extends Error {
  override readonly name = 'SmsOutcomeUnknownError';
}

export interface SendFollowUpSmsDeps {
  sender: SmsSender;
  optOuts: OptOutRegistry;
  ledger: SentSmsLedger;
  clock: Clock;
  /** The number the enquiry came from (E.164), read from the contact record; undefined if it has none. */
  callerNumberOf(enquiryId: string): Promise<string | undefined>;
  maxSegments: number;
  sendOptions?: SmsSendOptions;
  quietHours?: QuietHours;
}

export type SendFollowUpOutcome =
  | {
      outcome: 'sent';
      messageId: string;
      encoding: SmsEncoding;
      segments: number;
      /** False if the ledger write after a successful send failed; the SMS did go out, so do not retry. */
      ledgerRecorded: boolean;
    }
  | { outcome: 'duplicate' }
  /** The provider's answer was ambiguous, or an earlier delivery crashed mid-send: the SMS may have gone out. Not resent. */
  | { outcome: 'delivery_unknown' }
  | { outcome: 'skipped_opted_out' }
  | { outcome: 'skipped_not_callers_number' }
  | { outcome: 'deferred_quiet_hours'; delaySeconds: number; notBefore: string };

/**
 * Sends the message at most once per enquiry + decision.
 *
 * Order: validate → opt-out → caller's number → quiet hours → claim → send → mark sent. Every check runs
 * before the claim so a skipped or deferred message holds nothing. A failed send releases the claim (nothing
 * went out, so a retry may send) and rethrows: TransientError for SQS to retry, SmsPermanentError for the DLQ;
 * an ambiguous one (SmsOutcomeUnknownError) keeps the claim and reports delivery_unknown.
 * Another delivery holding a fresh claim is a TransientError too: by the retry it is sent (→ duplicate) or
 * released (→ sent here). A claim abandoned by a crashed delivery is reported, not taken over: a second SMS
 * to a caller is worse than an agent checking whether the first one arrived.
 */
export async function sendFollowUpSms(input: SmsOutboxMessage, deps: SendFollowUpSmsDeps): Promise<SendFollowUpOutcome> {
  const message = parseSmsOutboxMessage(input);
  const analysis = assertSmsWithinSegments(message.text, deps.maxSegments);

  const optedOut = await deps.optOuts.isOptedOut(message.to);
  if (optedOut) return { outcome: 'skipped_opted_out' };

  // Consent was required to queue the message at all (queueFollowUpSms); here the number is what can change.
  const permission = canSendTo({
    enquiryCallerNumber: await deps.callerNumberOf(message.enquiryId),
    requestedNumber: message.to,
    consent: true,
    optedOut,
  });
  if (!permission.allowed) {
    if (permission.reason === 'not_callers_number') return { outcome: 'skipped_not_callers_number' };
    throw new ValidationError([{ field: 'to', problem: `cannot be sent to: ${permission.reason}` }]);
  }

  const now = deps.clock.now();
  const timing = quietHoursDecision(now, message.urgency, deps.quietHours ?? HONG_KONG_QUIET_HOURS);
  if (!timing.sendNow) {
    return { outcome: 'deferred_quiet_hours', delaySeconds: timing.delaySeconds, notBefore: timing.notBefore.toISOString() };
  }

  const key = idempotencyKeyFor(message);
  const claim = await deps.ledger.claim(key, now.toISOString());
  if (claim === 'already_sent') return { outcome: 'duplicate' };
  if (claim === 'in_progress') throw new TransientError(`SMS ${key} is being sent by another delivery; retry later`);
  if (claim === 'outcome_unknown') return { outcome: 'delivery_unknown' };

  let messageId: string;
  try {
    ({ messageId } = await deps.sender.send(permission.to, message.text, deps.sendOptions ?? {}));
  } catch (error) {
    if (error instanceof SmsOutcomeUnknownError) {
      // It may have gone out: the claim stays, so no redelivery sends it again. If this write fails, the
      // claim still counts as outcome_unknown once it is older than any live send.
      await deps.ledger.markOutcomeUnknown(key, deps.clock.now().toISOString()).catch(() => undefined);
      return { outcome: 'delivery_unknown' };
    }
    // Nothing went out. Best effort: if the release fails too, the claim goes stale and a retry
    // reports delivery_unknown rather than sending.
    await deps.ledger.release(key).catch(() => undefined);
    throw error;
  }
  const ledgerRecorded = await deps.ledger.markSent(key, messageId, deps.clock.now().toISOString()).then(
    () => true,
    // Never rethrow after a send: the SMS went out; the enquiry status still records it.
    () => false,
  );
  return { outcome: 'sent', messageId, encoding: analysis.encoding, segments: analysis.segments, ledgerRecorded };
}

export interface HandleInboundSmsDeps {
  optOuts: OptOutRegistry;
  clock: Clock;
}

export type InboundSmsOutcome = { action: 'opted_out' | 'opted_in' } | { action: 'ignored' };

/**
 * Honours a reply from a caller: STOP/停止/… opts the number out, START/開始 opts it back in, anything else
 * changes nothing. The provider's matched keyword counts as well as the body.
 */
export async function handleInboundSms(input: unknown, deps: HandleInboundSmsDeps): Promise<InboundSmsOutcome> {
  const inbound = parseSmsInbound(input);
  const intent = keywordIntent(inbound.messageBody) ?? (inbound.messageKeyword ? keywordIntent(inbound.messageKeyword) : undefined);
  const at = deps.clock.now().toISOString();
  switch (intent) {
    case 'opt_out':
      await deps.optOuts.optOut(inbound.originationNumber, at, `inbound-sms:${inbound.inboundMessageId}`);
      return { action: 'opted_out' };
    case 'opt_in':
      await deps.optOuts.optIn(inbound.originationNumber, at);
      return { action: 'opted_in' };
    case undefined:
      return { action: 'ignored' };
  }
}
