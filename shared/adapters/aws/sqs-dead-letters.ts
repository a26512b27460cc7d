import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterSink } from '../../ports/dead-letters.ts';
import type { FieldProblem } from '../../domain/errors.ts';

/** SQS attribute values are capped at 256 KiB with the body; reasons are short, but keep them bounded. */
const MAX_REASON_CHARS = 1000;

export function describeProblems(problems: FieldProblem[]): string {
  return problems
    .map((p) => `${p.field}: ${p.problem}`)
    .join('; ')
    .slice(0, MAX_REASON_CHARS);
}

/** Sends an invalid message straight to the DLQ, with the validation reason as a message attribute. */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async reject(message: { body: string; sourceMessageId: string; problems: FieldProblem[] }): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: message.body,
        MessageAttributes: {
          validationError: { DataType: 'String', StringValue: describeProblems(message.problems) },
          sourceMessageId: { DataType: 'String', StringValue: message.sourceMessageId },
        },
      }),
    );
  }
}
