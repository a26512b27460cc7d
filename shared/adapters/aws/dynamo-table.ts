/**
 * Key design of the Enquiry table, shared by the CDK construct and every adapter so they cannot drift.
 *   pk = ENQ#<id>   sk = META        the Enquiry (what models and agents see)
 *   (the append-only audit trail is a list on the META item, written atomically with each status change)
 *   gsi1: gsi1pk = STATUS#<status>, gsi1sk = <receivedAt>#<id>  agents' queues, oldest first
 *   callers: callerHash = HMAC of the caller's number (never the number), keys only  data access requests
 *   pk = PRIVACY#<callerHash>  sk = <at>#<requestId>   audit of a data access or erasure request
 *   Incidents (shared/domain/incidents/incident.ts; every pk starts with INCIDENT, so IAM can grant them alone):
 *   pk = INCIDENT#<id>            sk = META                           the incident (gsi1pk = INCIDENTS#open|closed, gsi1sk = <lastReportAt>#<id>)
 *   pk = INCIDENT#<id>            sk = REPORT#<receivedAt>#<enquiry>  one member (ids only: the incident item stays small)
 *   pk = INCIDENTKEY#<key>        sk = B#<bucket>                     the incident registered for a key in a time bucket
 *   pk = INCIDENTOF#<enquiryId>   sk = INCIDENT                       which incident an enquiry joined (the idempotency key)
 * Items expire through DynamoDB TTL on `expiresAt` (shared/domain/retention.ts).
 */
export const ENQUIRY_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Sparse (only enquiries with a caller number), keys-only: the index holds hashes and enquiry keys, nothing else. */
  callerIndex: { name: 'callers', partitionKey: 'callerHash' },
} as const;

/** Every incident item's partition key starts with this (IAM `dynamodb:LeadingKeys`). */
export const INCIDENT_KEY_PREFIX = 'INCIDENT';
export const incidentPk = (incidentId: string): string => `INCIDENT#${incidentId}`;
export const incidentKeyPk = (keyId: string): string => `INCIDENTKEY#${keyId}`;
export const incidentOfPk = (enquiryId: string): string => `INCIDENTOF#${enquiryId}`;
export const incidentListPk = (status: 'open' | 'closed'): string => `INCIDENTS#${status}`;

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
