import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { handleInboundSms, type HandleInboundSmsDeps } from '#domain/sms/send.ts';
import { parseJsonOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';

/**
 * Two-way SMS replies arrive on an SNS topic. STOP/停止 opts the number out, START/開始 back in. Each record
 * is handled on its own; a bad one throws after the others are done, so SNS retries and then dead-letters it.
 */
export async function handleInboundSmsEvent(event: SNSEvent, deps: HandleInboundSmsDeps): Promise<{ handled: number }> {
  const failures: Error[] = [];
  for (const record of event.Records) {
    try {
      const result = await handleInboundSms(parseJsonOrThrow(z.unknown(), record.Sns.Message), deps);
      // The action only: never the number or the message text.
      logger.info('inbound SMS handled', { snsMessageId: record.Sns.MessageId, action: result.action });
      if (result.action !== 'ignored') metrics.addMetric(result.action === 'opted_out' ? 'SmsOptOut' : 'SmsOptIn', MetricUnit.Count, 1);
    } catch (error) {
      logger.error('inbound SMS rejected', { snsMessageId: record.Sns.MessageId, error: (error as Error).message });
      failures.push(error as Error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} inbound SMS record(s) failed`);
  return { handled: event.Records.length };
}
