import { StepInputSchema } from '#events/workflow.ts';
import { queueFollowUpSms } from '#domain/steps/outcome.ts';
import { parseOrThrow } from '#domain/validation.ts';
import type { Clock } from '#ports/clock.ts';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import type { SmsOutbox } from '#ports/sms-outbox.ts';
import { logger } from '#powertools';

export async function handleQueueSms(event: unknown, deps: { store: EnquiryStore; outbox: SmsOutbox; clock: Clock }) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await queueFollowUpSms(input, deps);
  logger.info('follow-up SMS queued', { enquiryId: input.enquiryId, correlationId: input.correlationId });
  return result;
}
