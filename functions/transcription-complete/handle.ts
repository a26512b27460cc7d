import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TranscribeJobStateChangeSchema } from '#events/transcribe.ts';
import { completeTranscription, type CompleteTranscriptionDeps } from '#domain/steps/transcription.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

/** EventBridge "Transcribe Job State Change" → resume (or fail) the parked StartTranscription task. */
export async function handleTranscriptionEvent(event: unknown, deps: CompleteTranscriptionDeps) {
  const change = parseOrThrow(TranscribeJobStateChangeSchema, event);
  const result = await completeTranscription(change, deps);
  logger.info('transcription job ended', {
    enquiryId: result.enquiryId,
    jobName: change.detail.TranscriptionJobName,
    jobStatus: change.detail.TranscriptionJobStatus,
    outcome: result.outcome,
  });
  metrics.addMetric(`Transcription_${result.outcome}`, MetricUnit.Count, 1);
  return result;
}
