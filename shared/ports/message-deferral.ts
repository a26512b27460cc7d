/** Hides a received queue message until later (quiet hours): SQS ChangeMessageVisibility, or the local queue. */
export interface MessageDeferral {
  defer(message: { messageId: string; receiptHandle: string }, seconds: number): Promise<void>;
}
