import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_DEFERRAL_SECONDS, type MessageDeferral } from '../../ports/message-deferral.ts';

/*
 * SQS counts the 12 hours from the receive, not from this call, and refuses more than what is left; a
 * minute's margin covers the time since the receive. A message hidden a minute short of a 12-hour window's
 * end is deferred again for that minute when it reappears.
 */
const MAX_VISIBILITY_SECONDS = MAX_DEFERRAL_SECONDS - 60;

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
