import type { Incident, IncidentKey } from '../domain/incidents/incident.ts';

/** One report to group: the enquiry's id, when it was received and its incident key. */
export interface IncidentReport {
  enquiryId: string;
  receivedAt: string;
  key: IncidentKey;
}

export interface GroupingResult {
  incidentId: string;
  /** True when this report started the incident. */
  created: boolean;
  /** True when this enquiry had already been grouped (a retried or duplicated delivery): nothing was counted. */
  duplicate: boolean;
}

/** A member of an incident: the enquiry id and when it was received (ids only). */
export interface IncidentMember {
  enquiryId: string;
  receivedAt: string;
}

export interface IncidentStore {
  /**
   * Adds the report to the incident of its key within the window, or starts one. Idempotent per enquiry:
   * a second call for the same enquiry counts nothing and returns the incident it joined the first time.
   */
  group(report: IncidentReport): Promise<GroupingResult>;
  get(incidentId: string): Promise<Incident | undefined>;
  /** The incident an enquiry was grouped into, if any. */
  incidentOf(enquiryId: string): Promise<string | undefined>;
  /** The incident's members, oldest first (an incident of 500 reports is read page by page). */
  members(incidentId: string): AsyncIterable<IncidentMember>;
  /** Incidents whose last report is at or after `since` and that no agent closed, latest report first. */
  listOpen(since: string, options?: { limit?: number }): Promise<Incident[]>;
  /** An agent closes the incident: later reports of its key start a new one. False when already closed or absent. */
  close(incidentId: string, by: string, at: string): Promise<boolean>;
}
