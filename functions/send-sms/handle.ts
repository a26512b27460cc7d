import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SmsOutboxMessageSchema } from '#domain/sms/message.ts';
import { parseJsonOrThrow } from '#domain/validation.ts';
import { sendFollowUpSms, SmsPermanentError, type SendFollowUpSmsDeps } from '#domain/sms/send.ts';
import { StatusConflictError, type EnquiryStore } from '#ports/enquiry-store.ts';
import type { MessageDeferral } from '#ports/message-deferral.ts';
import { logger, metrics } from '#powertools';

export interface SendSmsDeps extends Omit<SendFollowUpSmsDeps, 'callerNumberOf'> {
  store: EnquiryStore;
  deferral: MessageDeferral;
}

/** Thrown to keep a deferred message on the queue; it becomes visible again when quiet hours end. */
class DeferredUntilMorning extends Error {
  override readonly name = 'DeferredUntilMorning';
}

/** Records the delivery result once; a redelivery finding it already recorded leaves it alone. */
async function recordDelivery(deps: SendSmsDeps, enquiryId: string, to: 'sms_sent' | 'sms_failed', sms: Record<string, unknown>) {
  try {
    await deps.store.changeStatus({
      enquiryId,
      expectedStatus: 'sms_queued',
      to,
      actor: 'send-sms',
      at: deps.clock.now().toISOString(),
      patch: { sms: { ...sms, at: deps.clock.now().toISOString() } },
    });
  } catch (error) {
    if (!(error instanceof StatusConflictError)) throw error;
  }
}

async function handleRecord(record: SQSRecord, deps: SendSmsDeps): Promise<void> {
  const message = parseJsonOrThrow(SmsOutboxMessageSchema, record.body);
  const context = { enquiryId: message.enquiryId, decisionId: message.decisionId, correlationId: message.correlationId };
  let result;
  try {
    result = await sendFollowUpSms(message, { ...deps, callerNumberOf: async (id) => (await deps.store.getContact(id))?.callerNumber });
  } catch (error) {
    if (error instanceof SmsPermanentError) {
      // Recorded for the agent now; the message still goes to the DLQ (and its alarm) after its retries.
      await recordDelivery(deps, message.enquiryId, 'sms_failed', { failure: error.reason });
      metrics.addMetric('SmsFailed', MetricUnit.Count, 1);
    }
    throw error;
  }
  switch (result.outcome) {
    case 'sent':
      // A redelivery then finds the unfinished claim and reports delivery_unknown; it never resends.
      if (!result.ledgerRecorded) logger.warn('SMS sent but the ledger write failed', context);
      await recordDelivery(deps, message.enquiryId, 'sms_sent', { messageId: result.messageId, segments: result.segments, encoding: result.encoding });
      metrics.addMetric('SmsSent', MetricUnit.Count, 1);
      metrics.addMetric('SmsSegments', MetricUnit.Count, result.segments);
      break;
    case 'duplicate':
      // Sent by an earlier delivery whose status write may have failed: make sure the enquiry shows it.
      await recordDelivery(deps, message.enquiryId, 'sms_sent', { note: 'sent by an earlier delivery' });
      metrics.addMetric('SmsDuplicateSuppressed', MetricUnit.Count, 1);
      break;
    case 'delivery_unknown':
      // For the agent: check the provider's delivery record (or the caller) before sending again by hand.
      await recordDelivery(deps, message.enquiryId, 'sms_failed', { failure: result.outcome });
      metrics.addMetric('SmsDeliveryUnknown', MetricUnit.Count, 1);
      logger.warn('SMS may or may not have gone out (ambiguous provider answer or a crashed delivery); not resent', context);
      break;
    case 'skipped_opted_out':
    case 'skipped_not_callers_number':
      await recordDelivery(deps, message.enquiryId, 'sms_failed', { failure: result.outcome });
      break;
    case 'deferred_quiet_hours':
      await deps.deferral.defer(record, result.delaySeconds);
      logger.info('SMS deferred until quiet hours end', { ...context, notBefore: result.notBefore });
      throw new DeferredUntilMorning(`deferred until ${result.notBefore}`);
  }
  logger.info('SMS delivery handled', { ...context, outcome: result.outcome });
}

/** Consumes sms-outbox: each record sent at most once; failures and deferrals stay on the queue. */
export function handleSendSmsBatch(event: SQSEvent, context: Context, deps: SendSmsDeps): Promise<SQSBatchResponse> {
  return processPartialResponse(event, (record: SQSRecord) => handleRecord(record, deps), new BatchProcessor(EventType.SQS), { context });
}
