import * as z from 'zod/mini';
import { LANGUAGES } from '../shared/vocabulary/languages.ts';
import { E164PhoneSchema } from './phone-number.ts';

/**
 * Messages on the intake queue. Two producers: the IVR/telephony system after it stores a voicemail,
 * and the written-enquiry channels (web form, email gateway, mobile app).
 */


const IsoTimestampSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp with a time zone' });

/** Upper bound on written enquiries: the longest real 1823 web-form text is well under this. */
export const MAX_ENQUIRY_TEXT_CHARS = 5000;

export const VoicemailReceivedSchema = z.strictObject({
  kind: z.literal('voicemail'),
  callId: z.string().check(z.regex(/^[A-Za-z0-9._-]{6,64}$/, 'must be 6-64 letters, digits, dots, hyphens or underscores')),
  audio: z.strictObject({
    bucket: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name')),
    key: z.string().check(z.minLength(1), z.maxLength(1024)),
  }),
  callerNumber: E164PhoneSchema,
  languageHint: z.optional(z.enum(LANGUAGES)),
  smsConsent: z.boolean(),
  receivedAt: IsoTimestampSchema,
});
export type VoicemailReceived = z.infer<typeof VoicemailReceivedSchema>;

export const WRITTEN_CHANNELS = ['web', 'email', 'app'] as const;

export const WrittenEnquirySchema = z.strictObject({
  kind: z.literal('written'),
  messageId: z.string().check(z.regex(/^[A-Za-z0-9._-]{6,64}$/, 'must be 6-64 letters, digits, dots, hyphens or underscores')),
  channel: z.enum(WRITTEN_CHANNELS),
  text: z.string().check(
    // A JSON escape like \ud800 decodes to a lone surrogate: not encodable as UTF-8, so it would be mangled downstream.
    z.refine((value) => value.isWellFormed(), 'must be valid Unicode text (no lone surrogates)'),
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(MAX_ENQUIRY_TEXT_CHARS, `must be at most ${MAX_ENQUIRY_TEXT_CHARS} characters`),
  ),
  contact: z
    .strictObject({
      phone: z.optional(E164PhoneSchema),
      email: z.optional(z.email('must be an email address')),
    })
    .check(z.refine((c) => c.phone !== undefined || c.email !== undefined, 'must include a phone or an email')),
  languageHint: z.optional(z.enum(LANGUAGES)),
  smsConsent: z.boolean(),
  receivedAt: IsoTimestampSchema,
});
export type WrittenEnquiry = z.infer<typeof WrittenEnquirySchema>;

export const IntakeMessageSchema = z.discriminatedUnion('kind', [VoicemailReceivedSchema, WrittenEnquirySchema], {
  error: (issue) => (issue.code === 'invalid_union' ? 'must be "voicemail" or "written"' : undefined),
});
export type IntakeMessage = z.infer<typeof IntakeMessageSchema>;
