import type { AuditEvent, DraftRecord, Enquiry, EnquiryContact, FieldChange } from '../domain/enquiry.ts';
import type { EnquiryStatus } from '../vocabulary/enquiry-statuses.ts';

/** Fields a step may set alongside a status change. */
export type EnquiryPatch = Partial<Omit<Enquiry, 'enquiryId' | 'sourceId' | 'createdAt' | 'status'>> &
  Record<string, unknown>;

export interface StatusChange {
  enquiryId: string;
  /** The change only applies when the enquiry is in one of these states (optimistic concurrency). */
  expectedStatus?: EnquiryStatus | readonly EnquiryStatus[];
  /**
   * The change only applies when nobody wrote the enquiry since this revision was read (a redraft racing a
   * decision: exactly one wins). Absent: only `expectedStatus` is checked before the write.
   */
  expectedRevision?: number;
  to: EnquiryStatus;
  actor: string;
  at: string;
  note?: string;
  /** What an agent changed (audit: from what to what). */
  changes?: FieldChange[];
  /** The draft this change replaces, kept in the audit event. */
  previousDraft?: DraftRecord;
  patch?: EnquiryPatch;
}

/** A decided enquiry as retraining reads it: redacted text, the AI's topic and the agent's. Ids and redacted text only. */
export interface DecidedEnquiry {
  enquiryId: string;
  decisionId: string;
  decidedAt: string;
  action: 'approve' | 'edit' | 'reject';
  language: string | null;
  /** Personal data already replaced by placeholders; run the redactor again before storing it elsewhere. */
  redactedText: string;
  aiTopic: string | null;
  aiConfidence: number | null;
  agentTopic: string;
  agentDepartment: string;
  alsoInvolves: string[];
  topicCorrected: boolean;
}

/** Thrown when `expectedStatus` did not hold: someone else moved the enquiry first. */
export class StatusConflictError extends Error {
  override readonly name = 'StatusConflictError';
  constructor(
    readonly enquiryId: string,
    readonly currentStatus: EnquiryStatus | undefined,
  ) {
    super(`enquiry ${enquiryId} is ${currentStatus ?? 'missing'}`);
  }
}

export interface EnquiryStore {
  /**
   * Creates the enquiry, its contact record and the first audit event in one transaction, unless an enquiry
   * with the same id already exists. Returns the stored enquiry either way.
   */
  createIfAbsent(enquiry: Enquiry, contact: EnquiryContact): Promise<{ created: boolean; enquiry: Enquiry }>;
  /**
   * The enquiry. Its task token is kept apart (restricted store) and read only when asked for, by the two
   * callers that resume the workflow (review decision, transcription complete).
   */
  get(enquiryId: string, options?: { withTaskToken?: boolean }): Promise<Enquiry | undefined>;
  getContact(enquiryId: string): Promise<EnquiryContact | undefined>;
  /** Adds raw personal data learned later (e.g. the raw transcript) to the separate contact record. */
  updateContact(enquiryId: string, patch: Partial<Omit<EnquiryContact, 'enquiryId'>>): Promise<void>;
  /**
   * Applies a status change and appends its audit event atomically. A `taskToken` in the patch is stored
   * apart, before the change (so whoever sees the new status finds the token); `taskToken: undefined`
   * clears it after the change.
   */
  changeStatus(change: StatusChange): Promise<Enquiry>;
  auditTrail(enquiryId: string): Promise<AuditEvent[]>;
  /**
   * After SendTaskSuccess succeeded: forgets the parked task token (it can do nothing more). The enquiry's
   * `resumePending` mark is dropped by the workflow's next step, so this writes nothing the workflow writes.
   */
  clearTaskToken(change: { enquiryId: string; at: string }): Promise<void>;
  /**
   * Enquiries an agent decided at or after `since` (ISO instant), with the topic they confirmed; for
   * retraining from agents' corrections. Streams page by page, oldest received first.
   */
  decidedSince(since: string): AsyncIterable<DecidedEnquiry>;
  /** Enquiries in a status, oldest first, paged by an opaque cursor. */
  listByStatus(
    status: EnquiryStatus,
    options?: { limit?: number; cursor?: string; topic?: string; language?: string },
  ): Promise<{ items: Enquiry[]; cursor?: string }>;
}
