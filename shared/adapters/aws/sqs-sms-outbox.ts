import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SmsOutboxMessage } from '../../domain/sms/message.ts';
import type { SmsOutbox } from '../../ports/sms-outbox.ts';

export class SqsSmsOutbox implements SmsOutbox {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: SmsOutboxMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { correlationId: { DataType: 'String', StringValue: message.correlationId } },
      }),
    );
  }
}
