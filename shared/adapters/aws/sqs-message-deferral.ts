import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageDeferral } from '../../ports/message-deferral.ts';

/** SQS allows hiding a received message for up to 12 hours, longer than the 10-hour quiet window. */
const MAX_VISIBILITY_SECONDS = 12 * 3600;

export class SqsMessageDeferral implements MessageDeferral {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async defer(message: { receiptHandle: string }, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: message.receiptHandle,
        VisibilityTimeout: Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds))),
      }),
    );
  }
}
