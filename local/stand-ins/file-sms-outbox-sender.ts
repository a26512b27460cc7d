import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { analyseSms, splitSms, type SmsEncoding } from '../../shared/domain/sms/encoding.ts';
import { systemClock, type Clock } from '../../shared/ports/clock.ts';
import type { SmsSender, SmsSendOptions } from '../../shared/ports/sms.ts';

/** One SMS as the local provider "delivered" it: a line of the outbox file. */
export interface OutboxSms {
  messageId: string;
  to: string;
  text: string;
  /** What the handset would receive as separate segments. */
  parts: string[];
  encoding: SmsEncoding;
  segments: number;
  at: string;
  originationIdentity?: string;
  configurationSet?: string;
}

/**
 * The local SMS provider: appends each sent SMS as a JSON line to an outbox file (which `npm start`
 * shows) and keeps them in memory for tests. Local only: the file holds phone numbers and reply text.
 */
export class FileSmsOutboxSender implements SmsSender {
  private readonly records: OutboxSms[] = [];
  // Appends run one after another so lines keep the order sends were made in.
  private appending: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async send(to: string, text: string, options: SmsSendOptions = {}): Promise<{ messageId: string }> {
    const analysis = analyseSms(text);
    const record: OutboxSms = {
      messageId: `local-${randomUUID()}`,
      to,
      text,
      parts: splitSms(text),
      encoding: analysis.encoding,
      segments: analysis.segments,
      at: this.clock.now().toISOString(),
      ...(options.originationIdentity ? { originationIdentity: options.originationIdentity } : {}),
      ...(options.configurationSet ? { configurationSet: options.configurationSet } : {}),
    };
    const line = `${JSON.stringify(record)}\n`;
    const append = this.appending.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, line, 'utf8');
    });
    this.appending = append.catch(() => undefined);
    await append;
    this.records.push(record);
    return { messageId: record.messageId };
  }

  /** Every SMS sent so far, oldest first. */
  sent(): readonly OutboxSms[] {
    return [...this.records];
  }
}
