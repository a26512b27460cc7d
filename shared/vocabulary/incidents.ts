/** Incident ids: INC-YYYYMMDD-<10 base32 chars> (the day of the first report; see shared/domain/incidents/). */
export const INCIDENT_ID_PATTERN = /^INC-\d{8}-[A-Z0-9]{10}$/;

/** As stored: `closed` only when an agent closed it (an incident also ends when its window passes). */
export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * One report is a single enquiry, not yet an incident: the open-incident lists (console, API, report) show
 * incidents of at least this many reports. Every grouped enquiry still has its incident record, so the
 * second report turns it into one.
 */
export const INCIDENT_MIN_REPORTS = 2;

export function isMultiReportIncident(incident: { reports: number }): boolean {
  return incident.reports >= INCIDENT_MIN_REPORTS;
}
