import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ReportQuerySchema, ScheduledReportEventSchema } from '#events/reports.ts';
import { publishTopicReport, scheduledPeriod, type PublishReportDeps } from '#domain/reports/produce-report.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

/** EventBridge Scheduler ({ schedule: daily | weekly }) or an on-demand { from, to, granularity }. */
export async function handleTopicReport(event: unknown, deps: PublishReportDeps) {
  const scheduled = ScheduledReportEventSchema.safeParse(event);
  const query = scheduled.success ? scheduledPeriod(scheduled.data.schedule, deps.clock.now()) : parseOrThrow(ReportQuerySchema, event);
  const result = await publishTopicReport(query, deps);
  logger.info('topic report published', { period: `${query.from}..${query.to}`, keys: result.keys, spikes: result.spikes, districtSpikes: result.districtSpikes });
  metrics.addMetric('TopicSpikes', MetricUnit.Count, result.spikes);
  metrics.addMetric('DistrictSpikes', MetricUnit.Count, result.districtSpikes);
  return { keys: result.keys, spikes: result.spikes, districtSpikes: result.districtSpikes };
}
