/** One data access or erasure request, as audited: who, when, which number's keyed hash, what it touched. */
export interface PrivacyRequestRecord {
  requestId: string;
  action: 'export' | 'erasure';
  at: string;
  /** `privacy:<Cognito sub>` for the API, `cli:<operator>` for the operator CLI. */
  actor: string;
  /** HMAC of the caller's number (never the number). */
  callerHash: string;
  enquiryIds: string[];
  /** Erasure: enquiries whose raw contact data was removed, and those left alone with why. */
  erased?: string[];
  skipped?: { enquiryId: string; reason: string }[];
}

/** What data access requests need beyond the EnquiryStore: the caller index, erasure, and their audit. */
export interface PrivacyRecords {
  /** Enquiry ids indexed under the caller's hash (the index holds hashes and keys only). */
  enquiryIdsOfCaller(callerHash: string): Promise<string[]>;
  /**
   * Replaces the enquiry's raw contact record with a tombstone saying when it was erased (one PutItem: no
   * DeleteItem is granted); the tombstone expires with the redacted record at `expiresAt` (epoch seconds).
   */
  eraseContact(enquiryId: string, at: string, expiresAt: number): Promise<void>;
  /** Appends the audit record of a request (kept for RETENTION.privacyAuditDays). */
  recordRequest(record: PrivacyRequestRecord): Promise<void>;
  /** The audited requests about one caller hash, oldest first. */
  requestsFor(callerHash: string): Promise<PrivacyRequestRecord[]>;
}
