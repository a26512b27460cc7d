import type { StepInput } from '../../../events/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { SmsOutbox } from '../../ports/sms-outbox.ts';
import type { Enquiry } from '../enquiry.ts';
import { ValidationError } from '../errors.ts';
import type { Language } from '../../vocabulary/languages.ts';
import type { Urgency } from '../../vocabulary/topics.ts';

/**
 * Steps after AwaitAgentReview prove the decision resumed the workflow: they drop the pending mark (the
 * review API clears the token itself; these steps have no access to where tokens are kept).
 */
const RESUMED = { resumePending: undefined };

async function decidedEnquiry(store: EnquiryStore, enquiryId: string): Promise<Enquiry & { decision: NonNullable<Enquiry['decision']> }> {
  const enquiry = await store.get(enquiryId);
  if (!enquiry?.decision) throw new ValidationError([{ field: 'decision', problem: `enquiry ${enquiryId} has no agent decision` }]);
  return enquiry as Enquiry & { decision: NonNullable<Enquiry['decision']> };
}

/**
 * Puts the approved reply on the sms-outbox queue, addressed to the number the enquiry came from (read
 * from the contact record here, never carried through the workflow). A retried step re-queues the same
 * enquiry + decision, which send-sms deduplicates.
 */
export async function queueFollowUpSms(
  input: StepInput,
  deps: { store: EnquiryStore; outbox: SmsOutbox; clock: Clock },
): Promise<{ queued: boolean }> {
  const enquiry = await decidedEnquiry(deps.store, input.enquiryId);
  const contact = await deps.store.getContact(input.enquiryId);
  const { decision } = enquiry;
  const text = decision.smsText ?? decision.finalText;
  if (!decision.sendSms || !text || !contact?.callerNumber || !enquiry.smsConsent) {
    throw new ValidationError([{ field: 'sendSms', problem: 'SMS was not requested, consented to, or addressable' }]);
  }
  await deps.outbox.enqueue({
    enquiryId: enquiry.enquiryId,
    decisionId: decision.decisionId,
    correlationId: input.correlationId,
    to: contact.callerNumber,
    text,
    urgency: (enquiry.topic?.urgency ?? 'routine') as Urgency,
    language: (enquiry.language ?? enquiry.languageHint ?? 'zh-HK') as Language,
  });
  if (enquiry.status !== 'sms_queued' && enquiry.status !== 'sms_sent') {
    await deps.store.changeStatus({
      enquiryId: enquiry.enquiryId,
      expectedStatus: ['approved', 'edited'],
      to: 'sms_queued',
      actor: 'workflow',
      at: deps.clock.now().toISOString(),
      // The workflow got here, so the review API's resume succeeded: the token can do nothing more.
      patch: RESUMED,
    });
  }
  return { queued: true };
}

export interface OutcomeRecorder {
  /** Adds the enquiry's outcome to the report counters, once per enquiry however often it is called. */
  record(enquiry: Enquiry): Promise<{ counted: boolean }>;
}

/**
 * Closes the enquiry when nothing more will happen to it (no SMS), and adds its outcome to the counters
 * that supervisors' reports read.
 */
export async function recordOutcome(
  input: StepInput,
  deps: { store: EnquiryStore; clock: Clock; outcomes: OutcomeRecorder },
): Promise<{ status: string; counted: boolean }> {
  let enquiry = await decidedEnquiry(deps.store, input.enquiryId);
  if (enquiry.status === 'approved' || enquiry.status === 'edited' || enquiry.status === 'rejected') {
    enquiry = {
      ...enquiry,
      ...(await deps.store.changeStatus({
        enquiryId: enquiry.enquiryId,
        expectedStatus: enquiry.status,
        to: 'closed',
        actor: 'workflow',
        at: deps.clock.now().toISOString(),
        note: enquiry.decision.action === 'reject' ? 'rejected by agent; no reply sent' : 'reply approved; no SMS requested',
        patch: RESUMED,
      })),
    };
  }
  const { counted } = await deps.outcomes.record(enquiry);
  return { status: enquiry.status, counted };
}
