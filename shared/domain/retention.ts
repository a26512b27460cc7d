import * as z from 'zod/mini';
import type { EnquiryStatus } from '../vocabulary/enquiry-statuses.ts';
import { parseOrThrow } from './validation.ts';

/**
 * How long each class of personal data is kept (PDPO DPP2: no longer than necessary). Defined once here;
 * CDK derives the TTL attribute of every table and the buckets' lifecycle from it, and the adapters that
 * write items derive each item's expiry from it. SECURITY.md's retention table says the same in words.
 */
const RetentionSchema = z
  .strictObject({
    /** Raw caller number, email, raw text, audio location (`CONTACT#` items): after the enquiry settles. */
    rawContactDaysAfterSettled: z.int().check(z.gte(1), z.lte(365)),
    /** Voicemail audio and Transcribe output (S3): after upload; never longer than the contact record. */
    rawObjectsDays: z.int().check(z.gte(1), z.lte(365)),
    /** The redacted enquiry record with its audit trail (and its caller-index entry): after it settles. */
    enquiryRecordDaysAfterSettled: z.int().check(z.gte(30), z.lte(3650)),
    /** Parked task tokens (`TASK#` items): after written; Step Functions refuses them once the wait ended. */
    taskTokenDays: z.int().check(z.gte(7), z.lte(365)),
    /** Sent-SMS ledger entries: the idempotency window (longer than any redelivery: SQS keeps messages ≤ 14 days). */
    smsLedgerDays: z.int().check(z.gte(15), z.lte(365)),
    /** Records of data access and erasure requests (who, when, which caller hash). */
    privacyAuditDays: z.int().check(z.gte(365), z.lte(3650)),
    /**
     * Incidents (grouped reports of one problem at one place): the incident, its per-bucket key items and
     * its membership items, after the incident's last report. They hold ids, a topic, a district and a
     * public place name, no personal data; an incident is operational (agents reply within hours or days),
     * so a quarter covers follow-up questions and the quarterly review of repeated faults at one place.
     */
    incidentDaysAfterLastReport: z.int().check(z.gte(7), z.lte(365)),
  })
  .check(
    z.refine((r) => r.rawContactDaysAfterSettled <= r.enquiryRecordDaysAfterSettled, {
      path: ['rawContactDaysAfterSettled'],
      message: 'must not exceed enquiryRecordDaysAfterSettled (raw data never outlives the redacted record)',
    }),
    z.refine((r) => r.rawObjectsDays <= r.rawContactDaysAfterSettled, {
      path: ['rawObjectsDays'],
      message: 'must not exceed rawContactDaysAfterSettled (audio never outlives its pointer’s retention)',
    }),
  );
export type RetentionPeriods = z.infer<typeof RetentionSchema>;

/** Validates retention periods; a bad value is refused naming the field. */
export function parseRetention(value: unknown): RetentionPeriods {
  return parseOrThrow(RetentionSchema, value);
}

export const RETENTION: RetentionPeriods = parseRetention({
  rawContactDaysAfterSettled: 90,
  rawObjectsDays: 90,
  enquiryRecordDaysAfterSettled: 730,
  taskTokenDays: 30,
  smsLedgerDays: 30,
  privacyAuditDays: 730,
  incidentDaysAfterLastReport: 90,
});

/**
 * The attribute DynamoDB TTL reads on every table that expires items (epoch seconds, a Number). Items
 * without it are kept (opt-outs: honoured as long as the number may be texted).
 */
export const EXPIRES_AT_ATTRIBUTE = 'expiresAt';

/** Statuses after which nothing more happens to an enquiry: its retention clock starts. `needs_manual` stays open. */
export const SETTLED_STATUSES: readonly EnquiryStatus[] = ['closed', 'sms_sent', 'sms_failed'];

export const isSettled = (status: EnquiryStatus): boolean => SETTLED_STATUSES.includes(status);

const DAY_SECONDS = 86_400;

/** Epoch seconds `days` after the ISO instant `from` (the value written to `expiresAt`). */
export function expiryAfter(from: string, days: number): number {
  const ms = Date.parse(from);
  if (Number.isNaN(ms)) throw new Error(`retention: ${JSON.stringify(from)} is not an ISO instant`);
  return Math.floor(ms / 1000) + days * DAY_SECONDS;
}

/**
 * DynamoDB TTL's rule, also applied by the local sweeper (dynalite never expires items) and by readers
 * (DynamoDB deletes expired items within days, not at once; until then they must not be served).
 */
export function isExpired(item: Record<string, unknown>, now: Date): boolean {
  const expiresAt = item[EXPIRES_AT_ATTRIBUTE];
  return typeof expiresAt === 'number' && expiresAt <= Math.floor(now.getTime() / 1000);
}
