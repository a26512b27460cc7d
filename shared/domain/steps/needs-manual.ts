import type { NeedsManualInput } from '../../../events/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import { StatusConflictError, type EnquiryStore } from '../../ports/enquiry-store.ts';
import type { Enquiry } from '../enquiry.ts';
import type { EnquiryStatus } from '../../vocabulary/enquiry-statuses.ts';

/** Agents act on the reason, so it names what failed in plain words; causes are cut short and carry no text. */
const MAX_CAUSE_CHARS = 300;

const REASONS: Record<string, string> = {
  'States.Timeout': 'a step did not finish in time',
  TranscriptionFailed: 'the voicemail could not be transcribed',
  NoLocalSpeechRecogniser: 'no transcript is available for this voicemail',
  ValidationError: 'the enquiry record failed validation',
};

export function manualReasonFor(failure: NeedsManualInput['failure']): string {
  const headline = REASONS[failure.Error] ?? `processing failed (${failure.Error})`;
  const cause = (failure.Cause ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_CAUSE_CHARS);
  return cause ? `${headline}: ${cause}` : headline;
}

/** Statuses from which nothing more is automated; moving them to needs_manual would lose a decision. */
const SETTLED: readonly EnquiryStatus[] = ['approved', 'edited', 'rejected', 'sms_queued', 'sms_sent', 'closed', 'needs_manual'];
const DECIDED: readonly EnquiryStatus[] = ['approved', 'edited', 'rejected'];

/**
 * The Catch target of every step: the enquiry goes to the agents' manual queue with the reason,
 * keeping whatever it already has (transcript, topic). Nothing is lost; repeated calls are harmless.
 */
export async function moveToNeedsManual(
  input: NeedsManualInput,
  deps: { store: EnquiryStore; clock: Clock },
): Promise<{ status: EnquiryStatus; reason: string }> {
  const reason = manualReasonFor(input.failure);
  const enquiry: Enquiry | undefined = await deps.store.get(input.enquiryId);
  if (!enquiry) throw new StatusConflictError(input.enquiryId, undefined);
  // The review step timing out although an agent's decision is recorded: the decision never resumed the
  // workflow (its SendTaskSuccess kept failing), so it never took effect. The enquiry goes to agents,
  // keeping the decision on the record.
  const unresumed = input.failure.Error === 'States.Timeout' && enquiry.resumePending !== undefined && DECIDED.includes(enquiry.status);
  if (SETTLED.includes(enquiry.status) && !unresumed) {
    // A later step failed after the decision resumed the workflow: the status stays, the pending mark goes.
    if (enquiry.resumePending) {
      await deps.store.changeStatus({
        enquiryId: input.enquiryId,
        expectedStatus: enquiry.status,
        to: enquiry.status,
        actor: 'workflow',
        at: deps.clock.now().toISOString(),
        note: reason,
        patch: { resumePending: undefined },
      });
    }
    return { status: enquiry.status, reason: enquiry.manualReason ?? reason };
  }
  const manualReason = unresumed ? `${reason} (the agent's decision ${enquiry.resumePending!.decisionId} never resumed the workflow)` : reason;
  const updated = await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: enquiry.status,
    to: 'needs_manual',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    note: manualReason,
    patch: { manualReason, ...(unresumed ? { resumePending: undefined } : {}) },
  });
  return { status: updated.status, reason: manualReason };
}
