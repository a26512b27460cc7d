import type { StepInput } from '../../../events/workflow.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { IncidentStore } from '../../ports/incident-store.ts';
import { ValidationError } from '../errors.ts';
import { incidentKeyOf } from '../incidents/incident.ts';

export interface GroupIncidentDeps {
  store: EnquiryStore;
  incidents: IncidentStore;
}

export type GroupIncidentResult =
  | { grouped: true; incidentId: string; created: boolean; duplicate: boolean }
  /** Not grouped: no district found, several districts, no named place, or not a topic reported at a place. */
  | { grouped: false; reason: 'no_location' | 'not_classified' };

/**
 * GroupIncident (after ClassifyTopic): adds the enquiry to the incident of its topic, district and place
 * within the window, or starts one. Only enquiries with one district and a named place are grouped; the
 * rest stay alone. Idempotent per enquiry (a retried step or a duplicated delivery counts once). Writes
 * nothing to the enquiry: the membership is its own item, found by the enquiry id.
 */
export async function groupIncident(input: StepInput, deps: GroupIncidentDeps): Promise<GroupIncidentResult> {
  const enquiry = await deps.store.get(input.enquiryId);
  if (!enquiry) throw new ValidationError([{ field: 'enquiryId', problem: `no enquiry ${input.enquiryId}` }]);
  if (!enquiry.topic) return { grouped: false, reason: 'not_classified' };
  const key = incidentKeyOf(enquiry);
  if (!key) return { grouped: false, reason: 'no_location' };
  const result = await deps.incidents.group({ enquiryId: enquiry.enquiryId, receivedAt: enquiry.receivedAt, key });
  return { grouped: true, ...result };
}
