import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { RetrainEventSchema } from '#events/retrain.ts';
import { retrainTopicModel, type RetrainDeps } from '#domain/retraining/retrain-topic-model.ts';
import { parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

/**
 * The weekly retrain (EventBridge Scheduler) or an on-demand one. Logs counts, versions and figures only:
 * never an example's text.
 */
export async function handleRetrain(event: unknown, deps: RetrainDeps) {
  const input = parseOrThrow(RetrainEventSchema, event ?? {});
  const result = await retrainTopicModel(deps, { ...(input.since ? { since: input.since } : {}), ...(input.dryRun ? { dryRun: true } : {}) });
  const { collection } = result;
  logger.info('labelled examples collected', {
    since: collection.since,
    read: collection.read,
    added: collection.added,
    alreadyStored: collection.alreadyStored,
    skipped: collection.skipped,
    reRedactedEntities: collection.reRedactedEntities,
    stored: collection.stored,
  });
  if (collection.reRedactedEntities > 0) logger.warn('the second redaction pass found personal data in redacted text', { entities: collection.reRedactedEntities });
  metrics.addMetric('LabelledExamplesAdded', MetricUnit.Count, collection.added);
  if (result.outcome === 'not_enough_new_examples') {
    logger.info('topic model not retrained', { current: result.current, agentExamples: result.agentExamples, heldOut: result.heldOut, reason: result.reason });
    return { outcome: result.outcome, serving: result.serving, reason: result.reason };
  }
  logger.info('topic model candidate compared', {
    outcome: result.outcome,
    candidate: result.version,
    current: result.current,
    serving: result.serving,
    agentExamples: result.agentExamples,
    trainingMs: Math.round(result.trainingMs),
    gold: result.comparison.gold,
    heldOut: result.comparison.heldOut,
    pValue: result.decision.pValue,
    reasons: result.decision.reasons,
    dryRun: input.dryRun ?? false,
  });
  metrics.addMetric(result.outcome === 'promoted' ? 'TopicModelPromoted' : 'TopicModelRefused', MetricUnit.Count, 1);
  return { outcome: result.outcome, version: result.version, serving: result.serving, reasons: result.decision.reasons };
}
