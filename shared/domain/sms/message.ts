/**
 * Messages crossing the SMS boundaries: the sms-outbox queue (QueueSms → send-sms) and inbound replies
 * from AWS End User Messaging SMS two-way messaging (delivered through SNS).
 */
import * as z from 'zod/mini';
import { E164PhoneSchema } from '../../../events/phone-number.ts';
import { EnquiryIdSchema } from '../../../events/workflow.ts';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import { URGENCIES } from '../../vocabulary/topics.ts';
import { parseOrThrow } from '../validation.ts';

/** Longest reply text accepted on the queue; the segment ceiling is checked separately and is usually stricter. */
export const MAX_SMS_TEXT_CHARS = 1000;

export const SmsOutboxMessageSchema = z.object({
  enquiryId: EnquiryIdSchema,
  decisionId: z.string().check(z.minLength(8, 'must be 8 to 64 characters'), z.maxLength(64, 'must be 8 to 64 characters')),
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
  to: E164PhoneSchema,
  text: z.string().check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(MAX_SMS_TEXT_CHARS, `must be at most ${MAX_SMS_TEXT_CHARS} characters`),
    z.refine((text) => text.trim().length > 0, 'must not be blank'),
  ),
  urgency: z.enum(URGENCIES),
  language: z.enum(LANGUAGES),
});
export type SmsOutboxMessage = z.infer<typeof SmsOutboxMessageSchema>;

/** Parses a queue message, throwing a ValidationError that names each bad field. */
export const parseSmsOutboxMessage = (value: unknown): SmsOutboxMessage => parseOrThrow(SmsOutboxMessageSchema, value);

/**
 * At most one SMS per enquiry + decision: a redelivered message, a retried step and a re-queued decision
 * all map to the same key. Enquiry ids never contain '#', so the key is unambiguous.
 */
export const idempotencyKeyFor = (message: Pick<SmsOutboxMessage, 'enquiryId' | 'decisionId'>): string =>
  `${message.enquiryId}#${message.decisionId}`;

/**
 * The JSON AWS End User Messaging SMS publishes to the two-way SNS topic for each inbound SMS. Not strict:
 * AWS may add fields, and only these are used.
 */
export const SmsInboundSchema = z.object({
  originationNumber: E164PhoneSchema,
  destinationNumber: z.string().check(z.minLength(1)),
  messageBody: z.string(),
  inboundMessageId: z.string().check(z.minLength(1)),
  messageKeyword: z.optional(z.string()),
  previousPublishedMessageId: z.optional(z.string()),
});
export type SmsInbound = z.infer<typeof SmsInboundSchema>;

/** Parses an inbound notification (the SNS record's `Message` already JSON-decoded). */
export const parseSmsInbound = (value: unknown): SmsInbound => parseOrThrow(SmsInboundSchema, value);
