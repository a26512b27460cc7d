/**
 * Key design of the Enquiry table, shared by the CDK construct and every adapter so they cannot drift.
 *   pk = ENQ#<id>   sk = META        the Enquiry (what models and agents see)
 *   (the append-only audit trail is a list on the META item, written atomically with each status change)
 *   gsi1: gsi1pk = STATUS#<status>, gsi1sk = <receivedAt>#<id>  agents' queues, oldest first
 *   callers: callerHash = HMAC of the caller's number (never the number), keys only  data access requests
 *   pk = PRIVACY#<callerHash>  sk = <at>#<requestId>   audit of a data access or erasure request
 * Items expire through DynamoDB TTL on `expiresAt` (shared/domain/retention.ts).
 */
export const ENQUIRY_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Sparse (only enquiries with a caller number), keys-only: the index holds hashes and enquiry keys, nothing else. */
  callerIndex: { name: 'callers', partitionKey: 'callerHash' },
} as const;

export const privacyAuditPk = (callerHash: string): string => `PRIVACY#${callerHash}`;

export const enquiryPk = (enquiryId: string): string => `ENQ#${enquiryId}`;
export const statusPk = (status: string): string => `STATUS#${status}`;

/**
 * Key design of the restricted table (its own KMS key): raw personal data and task tokens, apart from what
 * models see. The partition key's prefix says what an item is, so IAM can grant one kind without the other
 * (`dynamodb:LeadingKeys`).
 *   pk = CONTACT#<id>   raw caller number / email / text, audio location (read by few)
 *   pk = TASK#<id>      the task token of the `.waitForTaskToken` step the enquiry is parked in
 */
export const RESTRICTED_TABLE_KEYS = {
  partitionKey: 'pk',
  contactPrefix: 'CONTACT#',
  taskTokenPrefix: 'TASK#',
} as const;

export const contactPk = (enquiryId: string): string => `${RESTRICTED_TABLE_KEYS.contactPrefix}${enquiryId}`;
export const taskTokenPk = (enquiryId: string): string => `${RESTRICTED_TABLE_KEYS.taskTokenPrefix}${enquiryId}`;
