import { CallbackStepInputSchema } from '#events/workflow.ts';
import { startTranscription, type StartTranscriptionDeps } from '#domain/steps/transcription.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger } from '#powertools';

/** `.waitForTaskToken` step: returns at once; the workflow resumes when the Transcribe job ends. */
export async function handleStartTranscription(event: unknown, deps: StartTranscriptionDeps) {
  const input = parseOrThrow(CallbackStepInputSchema, event);
  const { jobName } = await startTranscription(input, deps);
  logger.info('transcription job started', { enquiryId: input.enquiryId, correlationId: input.correlationId, jobName });
  return { jobName };
}
