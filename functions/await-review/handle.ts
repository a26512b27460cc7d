import { CallbackStepInputSchema } from '#events/workflow.ts';
import { awaitAgentReview } from '#domain/steps/await-review.ts';
import { parseOrThrow } from '#domain/validation.ts';
import type { Clock } from '#ports/clock.ts';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import { logger } from '#powertools';

/** `.waitForTaskToken` step: the workflow resumes when an agent decides through the review API. */
export async function handleAwaitReview(event: unknown, deps: { store: EnquiryStore; clock: Clock }) {
  const input = parseOrThrow(CallbackStepInputSchema, event);
  await awaitAgentReview(input, deps);
  logger.info('draft awaiting agent review', { enquiryId: input.enquiryId, correlationId: input.correlationId });
  return { awaiting: true };
}
