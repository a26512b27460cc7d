import * as z from 'zod/mini';
import { INCIDENT_ID_PATTERN } from '../shared/vocabulary/incidents.ts';
import { EnquiryIdSchema } from './workflow.ts';

/** Incident ids as the API returns them: INC-YYYYMMDD-<10 chars>. */
export const IncidentIdSchema = z.string().check(z.regex(INCIDENT_ID_PATTERN, 'must be an incident id like INC-20261124-ABCDEFGHJK'));

/** GET /incidents query string: open incidents (the only listing agents need: what is happening now). */
export const ListIncidentsQuerySchema = z.strictObject({
  status: z._default(z.enum(['open']), 'open'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
});
export type ListIncidentsQuery = z.infer<typeof ListIncidentsQuerySchema>;

/** POST /incidents/{id}/apply: apply the reply an agent decided on `sourceEnquiryId` to the incident's other reports. */
export const ApplyIncidentReplyRequestSchema = z.strictObject({
  /** An enquiry of this incident with an approved or edited reply. */
  sourceEnquiryId: EnquiryIdSchema,
});
export type ApplyIncidentReplyRequest = z.infer<typeof ApplyIncidentReplyRequestSchema>;
