import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { StepInputSchema } from '#events/workflow.ts';
import { classifyEnquiry, type ClassifyDeps } from '#domain/steps/analysis.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

export async function handleClassify(event: unknown, deps: ClassifyDeps) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await classifyEnquiry(input, deps);
  logger.info('enquiry classified', { enquiryId: input.enquiryId, correlationId: input.correlationId, ...result });
  metrics.addMetric('EnquiryClassified', MetricUnit.Count, 1);
  return result;
}
