import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { StepInputSchema } from '#events/workflow.ts';
import { draftReply, type DraftDeps } from '#domain/steps/analysis.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

export async function handleDraft(event: unknown, deps: DraftDeps) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await draftReply(input, deps);
  logger.info('reply drafted', { enquiryId: input.enquiryId, correlationId: input.correlationId, ...result });
  metrics.addMetric('ReplyDrafted', MetricUnit.Count, 1);
  return result;
}
