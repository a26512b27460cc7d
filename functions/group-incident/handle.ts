import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { StepInputSchema } from '#events/workflow.ts';
import { groupIncident, type GroupIncidentDeps } from '#domain/steps/incident.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

export async function handleGroupIncident(event: unknown, deps: GroupIncidentDeps) {
  const input = parseOrThrow(StepInputSchema, event);
  const result = await groupIncident(input, deps);
  // Ids and the outcome only: the incident's place is public, but nothing here needs it.
  logger.info('enquiry grouped', { enquiryId: input.enquiryId, correlationId: input.correlationId, ...result });
  if (result.grouped && !result.duplicate) metrics.addMetric(result.created ? 'IncidentStarted' : 'IncidentReportAdded', MetricUnit.Count, 1);
  return result;
}
