import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { StepInputSchema } from '#events/workflow.ts';
import { redactEnquiry, type RedactDeps } from '#domain/steps/redact-enquiry.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

export async function handleRedact(event: unknown, deps: RedactDeps) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await redactEnquiry(input, deps);
  // Counts only: never the text or the values found.
  logger.info('personal data redacted', { enquiryId: input.enquiryId, correlationId: input.correlationId, ...result });
  metrics.addMetric('PersonalDataEntitiesRedacted', MetricUnit.Count, result.entityCount);
  return result;
}
