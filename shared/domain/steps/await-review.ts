import type { CallbackStepInput } from '../../../events/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';

/** `.waitForTaskToken` step: parks the enquiry in the agents' queue with the token the API resumes it with. */
export async function awaitAgentReview(input: CallbackStepInput, deps: { store: EnquiryStore; clock: Clock }): Promise<void> {
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: ['drafted', 'awaiting_review'],
    to: 'awaiting_review',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: { taskToken: input.taskToken },
  });
}
