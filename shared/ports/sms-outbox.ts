import type { SmsOutboxMessage } from '../domain/sms/message.ts';

/** The sms-outbox queue: QueueSms puts approved replies here; send-sms consumes them. */
export interface SmsOutbox {
  enqueue(message: SmsOutboxMessage): Promise<void>;
}
