/** Incident ids: INC-YYYYMMDD-<10 base32 chars> (the day of the first report; see shared/domain/incidents/). */
export const INCIDENT_ID_PATTERN = /^INC-\d{8}-[A-Z0-9]{10}$/;

/** As stored: `closed` only when an agent closed it (an incident also ends when its window passes). */
export const INCIDENT_STATUSES = ['open', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
