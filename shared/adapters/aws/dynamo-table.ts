/**
 * Key design of the single Enquiry table, shared by the CDK construct and every adapter so they cannot drift.
 *   pk = ENQ#<id>   sk = META        the Enquiry (what models and agents see)
 *   pk = ENQ#<id>   sk = CONTACT     raw caller number / email / text (personal data, read by few)
 *   (the append-only audit trail is a list on the META item, written atomically with each status change)
 *   gsi1: gsi1pk = STATUS#<status>, gsi1sk = <receivedAt>#<id>  agents' queues, oldest first
 */
export const ENQUIRY_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

export const enquiryPk = (enquiryId: string): string => `ENQ#${enquiryId}`;
export const statusPk = (status: string): string => `STATUS#${status}`;
