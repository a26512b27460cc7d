/**
 * The longest a received message can be hidden: SQS's visibility limit, 12 hours, counted from the
 * receive. Quiet hours (SMS_QUIET_HOURS) are validated against it.
 */
export const MAX_DEFERRAL_SECONDS = 12 * 3600;

/** Hides a received queue message until later (quiet hours): SQS ChangeMessageVisibility, or the local queue. */
export interface MessageDeferral {
  defer(message: { messageId: string; receiptHandle: string }, seconds: number): Promise<void>;
}
