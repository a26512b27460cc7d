/** Lifecycle of an enquiry (DESIGN.md §4). Terminal: sms_sent, closed, needs_manual stays open for agents. */
export const ENQUIRY_STATUSES = [
  'received',
  'transcribing',
  'transcribed',
  'redacted',
  'classified',
  'drafted',
  'awaiting_review',
  'approved',
  'edited',
  'rejected',
  'sms_queued',
  'sms_sent',
  'sms_failed',
  'closed',
  'needs_manual',
] as const;
export type EnquiryStatus = (typeof ENQUIRY_STATUSES)[number];
