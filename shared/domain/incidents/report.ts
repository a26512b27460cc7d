import { INCIDENT_WINDOW_MS, incidentStatusAt, type Incident } from './incident.ts';
import type { DistrictId, PlaceKind } from '../../vocabulary/districts.ts';
import { isMultiReportIncident } from '../../vocabulary/incidents.ts';

/**
 * Open incidents as the topic report shows them: topic, district and the public place name (a street or an
 * estate), with the report count. No incident or enquiry ids, nothing from callers.
 */
export interface OpenIncidentRow {
  topic: string;
  district: DistrictId;
  place: { en: string; zh: string; kind: PlaceKind };
  reports: number;
  firstReportAt: string;
  lastReportAt: string;
}

export interface OpenIncidents {
  /** When "open" was judged (the report's generation time). */
  asOf: string;
  /** Most reports first. */
  incidents: OpenIncidentRow[];
}

/** What reports read of incidents. */
export interface OpenIncidentSource {
  listOpen(since: string, options?: { limit?: number }): Promise<Incident[]>;
}

/** The most open incidents a report lists (an extreme day has a few dozen). */
export const REPORT_INCIDENT_LIMIT = 100;

export async function openIncidentsAt(source: OpenIncidentSource, now: Date): Promise<OpenIncidents> {
  const since = new Date(now.getTime() - INCIDENT_WINDOW_MS).toISOString();
  const incidents = (await source.listOpen(since, { limit: REPORT_INCIDENT_LIMIT }))
    .map((incident) => incidentStatusAt(incident, now))
    .filter((incident) => incident.status === 'open' && isMultiReportIncident(incident))
    .map(({ topic, district, place, reports, firstReportAt, lastReportAt }) => ({ topic, district, place, reports, firstReportAt, lastReportAt }))
    .sort((a, b) => b.reports - a.reports || b.lastReportAt.localeCompare(a.lastReportAt));
  return { asOf: now.toISOString(), incidents };
}

/** Per topic: how many open incidents and their reports (for the CSV's topic rows). */
export function openIncidentsByTopic(open: OpenIncidents | undefined): Map<string, OpenIncidentRow[]> {
  const byTopic = new Map<string, OpenIncidentRow[]>();
  for (const row of open?.incidents ?? []) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
  return byTopic;
}
