import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { NeedsManualInputSchema } from '#events/workflow.ts';
import type { Clock } from '#ports/clock.ts';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import { moveToNeedsManual } from '#domain/steps/needs-manual.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

export async function handleNeedsManual(event: unknown, deps: { store: EnquiryStore; clock: Clock }) {
  const input = parseOrThrow(NeedsManualInputSchema, event);
  const result = await moveToNeedsManual(input, deps);
  logger.warn('enquiry handed to agents for manual handling', {
    enquiryId: input.enquiryId,
    correlationId: input.correlationId,
    error: input.failure.Error,
  });
  metrics.addMetric('NeedsManual', MetricUnit.Count, 1);
  return result;
}
