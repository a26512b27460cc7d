import { createHash } from 'node:crypto';
import type { Enquiry } from '../enquiry.ts';
import type { DistrictId, PlaceKind } from '../../vocabulary/districts.ts';

/**
 * Incidents: many callers reporting one problem (a burst main on Kwun Tong Road) are one incident with N
 * reports, so agents review one reply instead of dozens.
 *
 * Grouping is a keyed lookup, never a scan. The key is topic + district + place; time is cut into fixed
 * buckets of the window's length. A report reads the key's item for its own bucket and for the previous
 * one (two keyed reads): every incident whose last report is within the window of this one is registered
 * in one of those two buckets, because every report registers its incident in its own bucket. So reports
 * straddling a bucket edge still join (the first report after an edge also reads the previous bucket's
 * incident, for its last report time), and the cost per report is the same at 1 000 or 100 000 a day.
 */

/** A report joins an incident whose last report is at most this long before it (and the incident is open). */
export const INCIDENT_WINDOW_HOURS = 6;
export const INCIDENT_WINDOW_MS = INCIDENT_WINDOW_HOURS * 3_600_000;

export { INCIDENT_ID_PATTERN, INCIDENT_STATUSES, type IncidentStatus } from '../../vocabulary/incidents.ts';
import type { IncidentStatus } from '../../vocabulary/incidents.ts';

/** What makes two reports "the same thing": ids and public place names only, never text from the caller. */
export interface IncidentKey {
  topic: string;
  district: DistrictId;
  place: { en: string; zh: string; kind: PlaceKind };
}

/** One incident as stored and shown: no enquiry ids, no personal data (members are listed apart). */
export interface Incident extends IncidentKey {
  incidentId: string;
  firstReportAt: string;
  lastReportAt: string;
  reports: number;
  /** As stored: `closed` only when an agent closed it. Use `incidentStatusAt` for what a reader sees. */
  status: IncidentStatus;
  closedAt?: string;
  closedBy?: string;
}

/** An incident as a reader sees it at `now`: closed by an agent, or because the window passed without a report. */
export interface IncidentView extends Incident {
  closedReason: 'agent' | 'window' | null;
}

/** The key of an enquiry that can be grouped: classified, one district found and a named place. Else undefined. */
export function incidentKeyOf(enquiry: Pick<Enquiry, 'topic' | 'location'>): IncidentKey | undefined {
  const { topic, location } = enquiry;
  if (!topic || topic.topic === 'out_of_scope') return undefined;
  if (location?.status !== 'found' || !location.district || !location.place) return undefined;
  return { topic: topic.topic, district: location.district, place: { en: location.place.en, zh: location.place.zh, kind: location.place.kind } };
}

/**
 * The key as a storage key part: topic and district as they are (stable ids), the place as a hash of its
 * normalised English name and kind (names hold spaces, apostrophes and Chinese; the hash is fixed-length).
 */
export function incidentKeyId(key: IncidentKey): string {
  const place = createHash('sha256').update(`${key.place.kind}\u0000${key.place.en.trim().toLowerCase()}`).digest('hex').slice(0, 16);
  return `${key.topic}#${key.district}#${place}`;
}

/** The fixed time bucket an instant falls in (buckets are the window's length, from the epoch). */
export function bucketOf(at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new Error(`incident: ${JSON.stringify(at)} is not an ISO instant`);
  return Math.floor(ms / INCIDENT_WINDOW_MS);
}

/** What a report finds under its key in a bucket: the incident registered there. */
export interface BucketEntry {
  incidentId: string;
}

export type GroupingPlan =
  /** Join an incident; `bucket` says whether this report's bucket already names it (else it is registered there). */
  | { kind: 'join'; incidentId: string; bucket: 'registered' | 'register' }
  | { kind: 'create' };

/**
 * Which incident a report at `at` belongs to. Its own bucket wins (whatever is registered there is within
 * the window, and only one incident is registered per key and bucket); else the previous bucket's incident
 * if its last report is within the window (`previousLastReportAt`, read only in this case: once per bucket
 * edge an incident crosses); else a new incident.
 */
export function planGrouping(at: string, own: BucketEntry | undefined, previous: BucketEntry | undefined, previousLastReportAt?: string): GroupingPlan {
  if (own) return { kind: 'join', incidentId: own.incidentId, bucket: 'registered' };
  if (previous && previousLastReportAt !== undefined && Date.parse(at) - Date.parse(previousLastReportAt) <= INCIDENT_WINDOW_MS) {
    return { kind: 'join', incidentId: previous.incidentId, bucket: 'register' };
  }
  return { kind: 'create' };
}

/** Open means: not closed by an agent, and a report came within the window before `now`. */
export function incidentStatusAt(incident: Incident, now: Date): IncidentView {
  if (incident.status === 'closed') return { ...incident, closedReason: 'agent' };
  if (now.getTime() - Date.parse(incident.lastReportAt) > INCIDENT_WINDOW_MS) return { ...incident, status: 'closed', closedReason: 'window' };
  return { ...incident, closedReason: null };
}

/** Incident ids: INC-YYYYMMDD-<10 random base32 chars>, the day of the first report (readable over the phone). */
export function newIncidentId(firstReportAt: string, random: () => string): string {
  return `INC-${firstReportAt.slice(0, 10).replaceAll('-', '')}-${random()}`;
}
