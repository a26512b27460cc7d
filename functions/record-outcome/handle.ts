import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { StepInputSchema } from '#events/workflow.ts';
import { recordOutcome, type OutcomeRecorder } from '#domain/steps/outcome.ts';
import { parseOrThrow } from '#domain/validation.ts';
import type { Clock } from '#ports/clock.ts';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import { logger, metrics } from '#powertools';

export async function handleRecordOutcome(event: unknown, deps: { store: EnquiryStore; clock: Clock; outcomes: OutcomeRecorder }) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await recordOutcome(input, deps);
  logger.info('outcome recorded', { enquiryId: input.enquiryId, correlationId: input.correlationId, ...result });
  if (result.counted) metrics.addMetric('OutcomeRecorded', MetricUnit.Count, 1);
  return result;
}
