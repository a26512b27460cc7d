import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { acceptIntakeMessage, type IntakeDeps } from '#domain/accept-intake-message.ts';
import { logger, metrics } from '#powertools';

/** Correlation id: set by the producer as a message attribute, else the SQS message id. */
function correlationIdOf(record: SQSRecord): string {
  return record.messageAttributes?.correlationId?.stringValue ?? record.messageId;
}

async function handleIntakeRecord(record: SQSRecord, deps: IntakeDeps): Promise<void> {
  const correlationId = correlationIdOf(record);
  const result = await acceptIntakeMessage({ body: record.body, messageId: record.messageId, correlationId }, deps);
  if (result.outcome === 'rejected') {
    // Field names and problems only: the message itself may hold a phone number or text.
    logger.warn('intake message rejected to DLQ', { messageId: record.messageId, correlationId, problems: result.problems });
    metrics.addMetric('IntakeRejected', MetricUnit.Count, 1);
    return;
  }
  logger.info('enquiry accepted', { enquiryId: result.enquiryId, correlationId, outcome: result.outcome });
  metrics.addMetric(result.outcome === 'started' ? 'EnquiryStarted' : 'IntakeDuplicate', MetricUnit.Count, 1);
}

/**
 * One SQS batch. Invalid records are dead-lettered inside `acceptIntakeMessage` and count as handled;
 * a record that throws (throttling, network) is reported as a partial batch failure and redelivered.
 */
export function handleIntakeBatch(event: SQSEvent, context: Context, deps: IntakeDeps): Promise<SQSBatchResponse> {
  return processPartialResponse(event, (record: SQSRecord) => handleIntakeRecord(record, deps), new BatchProcessor(EventType.SQS), {
    context,
  });
}
