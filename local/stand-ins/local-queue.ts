import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { DeadLetterSink } from '../../shared/ports/dead-letters.ts';
import type { SmsOutbox } from '../../shared/ports/sms-outbox.ts';
import type { SmsOutboxMessage } from '../../shared/domain/sms/message.ts';
import { describeProblems } from '../../shared/adapters/aws/sqs-dead-letters.ts';

export interface QueuedMessage {
  messageId: string;
  body: string;
  attributes: Record<string, string>;
  receiveCount: number;
  /** Epoch ms before which the message is invisible (a deferral, like ChangeMessageVisibility). */
  visibleAt?: number;
}

export interface LocalQueueOptions {
  name: string;
  batchSize?: number;
  /** Like an SQS redrive policy: after this many failed receives a message moves to `deadLetterQueue`. */
  maxReceiveCount?: number;
  deadLetterQueue?: LocalQueue;
}

/**
 * In-process stand-in for an SQS queue with the semantics our consumers rely on: batches of SQS records,
 * partial batch failures (failed records are redelivered), redrive to a dead-letter queue after
 * `maxReceiveCount` receives, and a whole batch failing when the consumer throws.
 */
export class LocalQueue {
  private readonly messages: QueuedMessage[] = [];
  private readonly deferrals = new Map<string, number>();
  readonly name: string;
  private readonly batchSize: number;
  private readonly maxReceiveCount: number;
  private readonly deadLetterQueue: LocalQueue | undefined;

  constructor(options: LocalQueueOptions) {
    this.name = options.name;
    this.batchSize = options.batchSize ?? 10;
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.deadLetterQueue = options.deadLetterQueue;
  }

  send(body: string, attributes: Record<string, string> = {}): string {
    const messageId = randomUUID();
    this.messages.push({ messageId, body, attributes, receiveCount: 0 });
    return messageId;
  }

  get depth(): number {
    return this.messages.length;
  }

  /** A copy of what is queued (for the console's outbox and DLQ views, and for tests). */
  peek(): QueuedMessage[] {
    return this.messages.map((m) => ({ ...m, attributes: { ...m.attributes } }));
  }

  /** Hides a message until `seconds` from now, as SQS ChangeMessageVisibility does for a received one. */
  async defer(message: { messageId: string }, seconds: number): Promise<void> {
    this.deferrals.set(message.messageId, Date.now() + seconds * 1000);
  }

  /** Delivers batches of visible messages until none are left. Returns how many receives happened. */
  async drain(consumer: (event: SQSEvent) => Promise<SQSBatchResponse | void>): Promise<number> {
    let receives = 0;
    for (;;) {
      const now = Date.now();
      const visible = this.messages.filter((m) => (m.visibleAt ?? 0) <= now);
      if (visible.length === 0) return receives;
      const batch = visible.slice(0, this.batchSize);
      for (const message of batch) this.messages.splice(this.messages.indexOf(message), 1);
      for (const message of batch) message.receiveCount += 1;
      receives += batch.length;
      let failedIds: Set<string>;
      try {
        const response = await consumer({ Records: batch.map((m) => this.toRecord(m)) });
        failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failedIds = new Set(batch.map((m) => m.messageId));
      }
      for (const message of batch.filter((m) => failedIds.has(m.messageId))) {
        const visibleAt = this.deferrals.get(message.messageId);
        this.deferrals.delete(message.messageId);
        this.redeliverOrRedrive(visibleAt ? { ...message, visibleAt } : message);
      }
    }
  }

  private redeliverOrRedrive(message: QueuedMessage): void {
    if (message.receiveCount >= this.maxReceiveCount && this.deadLetterQueue) {
      this.deadLetterQueue.messages.push({ ...message, receiveCount: 0 });
      return;
    }
    this.messages.push(message);
  }

  private toRecord(message: QueuedMessage): SQSRecord {
    const messageAttributes: SQSMessageAttributes = Object.fromEntries(
      Object.entries(message.attributes).map(([name, value]) => [
        name,
        { stringValue: value, dataType: 'String', stringListValues: [], binaryListValues: [] },
      ]),
    );
    return {
      messageId: message.messageId,
      receiptHandle: `${message.messageId}#${message.receiveCount}`,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(Date.now()),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes,
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.name}`,
      awsRegion: 'local',
    };
  }
}

/** The intake DLQ as a DeadLetterSink: same attributes as the SQS adapter writes. */
export class LocalQueueDeadLetterSink implements DeadLetterSink {
  constructor(private readonly queue: LocalQueue) {}

  async reject(message: Parameters<DeadLetterSink['reject']>[0]): Promise<void> {
    this.queue.send(message.body, { validationError: describeProblems(message.problems), sourceMessageId: message.sourceMessageId });
  }
}

/** The sms-outbox queue locally. */
export class LocalQueueSmsOutbox implements SmsOutbox {
  constructor(private readonly queue: LocalQueue) {}

  async enqueue(message: SmsOutboxMessage): Promise<void> {
    this.queue.send(JSON.stringify(message), { correlationId: message.correlationId });
  }
}
