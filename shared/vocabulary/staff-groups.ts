/**
 * The staff roles, as Cognito groups (cdk/lib/review-api.ts creates one group per entry). Agents review and
 * decide; supervisors read reports; privacy officers answer callers' data access and erasure requests and
 * nothing else (they cannot read queues or decide reviews; agents and supervisors cannot reach privacy routes).
 */
export const STAFF_GROUPS = ['agent', 'supervisor', 'privacy'] as const;
export type StaffGroup = (typeof STAFF_GROUPS)[number];

const isStaffGroup = (value: string): value is StaffGroup => (STAFF_GROUPS as readonly string[]).includes(value);

/**
 * Groups from the `cognito:groups` claim as the HTTP API JWT authorizer passes it (an array, or the string
 * "[agent supervisor]"); names that are not staff groups are dropped.
 */
export function staffGroupsOf(claim: unknown): StaffGroup[] {
  const list = Array.isArray(claim) ? claim.map(String) : typeof claim === 'string' ? claim.replace(/^\[|\]$/g, '').split(/[,\s]+/) : [];
  return list.filter(isStaffGroup);
}
