import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  INCIDENT_WINDOW_MS,
  incidentKeyId,
  incidentKeyOf,
  incidentStatusAt,
  newIncidentId,
  planGrouping,
  INCIDENT_ID_PATTERN,
  type Incident,
} from '../../shared/domain/incidents/incident.ts';
import { openIncidentsAt } from '../../shared/domain/incidents/report.ts';
import { reportToCsv, REPORT_CSV_HEADER } from '../../shared/domain/reports/csv.ts';
import { reportToHtml } from '../../shared/domain/reports/html.ts';
import { buildTopicReport } from '../../shared/domain/reports/report.ts';
import { RETENTION, parseRetention } from '../../shared/domain/retention.ts';
import type { EnquiryLocation } from '../../shared/vocabulary/districts.ts';
import type { TopicResultRecord } from '../../shared/domain/enquiry.ts';

const topic = (id: string): TopicResultRecord => ({ topic: id, department: 'WSD', urgency: 'urgent', confidence: 1, language: 'en-US', rationale: 't', source: 'local' });
const found: EnquiryLocation = { status: 'found', district: 'kwun-tong', place: { en: 'Kwun Tong Road', zh: '觀塘道', kind: 'street' } };

const incident = (patch: Partial<Incident> = {}): Incident => ({
  incidentId: 'INC-20261124-ABCDEFGHJK',
  topic: 'water_main_burst',
  district: 'kwun-tong',
  place: { en: 'Kwun Tong Road', zh: '觀塘道', kind: 'street' },
  firstReportAt: '2026-11-24T03:00:00.000Z',
  lastReportAt: '2026-11-24T04:50:00.000Z',
  reports: 12,
  status: 'open',
  ...patch,
});

describe('incident key', () => {
  it('groups only classified enquiries with one district and a named place', () => {
    expect(incidentKeyOf({ topic: topic('water_main_burst'), location: found })).toEqual({ topic: 'water_main_burst', district: 'kwun-tong', place: found.place });
    expect(incidentKeyOf({ topic: topic('water_main_burst'), location: { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'] } })).toBeUndefined();
    expect(incidentKeyOf({ topic: topic('water_main_burst'), location: { status: 'unknown' } })).toBeUndefined();
    expect(incidentKeyOf({ topic: topic('water_main_burst'), location: { status: 'found', district: 'kwun-tong' } })).toBeUndefined();
    expect(incidentKeyOf({ topic: topic('water_main_burst') })).toBeUndefined();
    expect(incidentKeyOf({ topic: topic('out_of_scope'), location: found })).toBeUndefined();
    expect(incidentKeyOf({ location: found })).toBeUndefined();
  });

  it('is the same for the same topic, district and place (whatever the case of the name), different otherwise', () => {
    const key = incidentKeyOf({ topic: topic('water_main_burst'), location: found })!;
    expect(incidentKeyId({ ...key, place: { ...key.place, en: 'KWUN TONG ROAD ' } })).toBe(incidentKeyId(key));
    expect(incidentKeyId({ ...key, topic: 'road_damage' })).not.toBe(incidentKeyId(key));
    expect(incidentKeyId({ ...key, place: { ...key.place, en: 'Hoi Yuen Road' } })).not.toBe(incidentKeyId(key));
    expect(incidentKeyId({ ...key, district: 'wong-tai-sin' })).not.toBe(incidentKeyId(key));
  });
});

describe('buckets and the window', () => {
  it('cuts time into 6-hour buckets from the epoch', () => {
    expect(bucketOf('2026-11-24T17:59:59Z') + 1).toBe(bucketOf('2026-11-24T18:00:00Z'));
    expect(bucketOf('2026-11-24T18:00:00Z')).toBe(bucketOf('2026-11-24T23:59:59Z'));
    expect(bucketOf('2026-11-25T02:00:00+08:00')).toBe(bucketOf('2026-11-24T18:00:00Z'));
  });

  it('joins its own bucket first, the previous bucket within the window, else starts an incident', () => {
    const at = '2026-11-24T18:30:00.000Z';
    expect(planGrouping(at, { incidentId: 'A' }, { incidentId: 'B' }, '2026-11-24T17:00:00Z')).toEqual({ kind: 'join', incidentId: 'A', bucket: 'registered' });
    expect(planGrouping(at, undefined, { incidentId: 'B' }, '2026-11-24T12:30:00Z')).toEqual({ kind: 'join', incidentId: 'B', bucket: 'register' });
    expect(planGrouping(at, undefined, { incidentId: 'B' }, '2026-11-24T12:29:59Z')).toEqual({ kind: 'create' });
    expect(planGrouping(at, undefined, { incidentId: 'B' })).toEqual({ kind: 'create' });
    expect(planGrouping(at, undefined, undefined)).toEqual({ kind: 'create' });
  });

  it('is open while a report came within the window and no agent closed it', () => {
    const last = Date.parse(incident().lastReportAt);
    expect(incidentStatusAt(incident(), new Date(last + INCIDENT_WINDOW_MS))).toMatchObject({ status: 'open', closedReason: null });
    expect(incidentStatusAt(incident(), new Date(last + INCIDENT_WINDOW_MS + 1))).toMatchObject({ status: 'closed', closedReason: 'window' });
    expect(incidentStatusAt(incident({ status: 'closed' }), new Date(last))).toMatchObject({ status: 'closed', closedReason: 'agent' });
  });

  it('makes ids the API accepts', () => {
    expect(newIncidentId('2026-11-24T03:00:00.000Z', () => 'ABCDEFGHJK')).toMatch(INCIDENT_ID_PATTERN);
  });
});

describe('retention', () => {
  it('keeps incident items 90 days after the last report, within the allowed range', () => {
    expect(RETENTION.incidentDaysAfterLastReport).toBe(90);
    expect(() => parseRetention({ ...RETENTION, incidentDaysAfterLastReport: 3 })).toThrow(/incidentDaysAfterLastReport/);
  });
});

describe('open incidents in the topic report', () => {
  const now = new Date('2026-11-24T06:00:00Z');
  const source = {
    listOpen: async () => [
      incident(),
      incident({ incidentId: 'INC-20261124-ZZZZZZZZZZ', topic: 'road_damage', reports: 3, lastReportAt: '2026-11-23T20:00:00.000Z' }),
      incident({ incidentId: 'INC-20261124-YYYYYYYYYY', topic: 'tree_risk', reports: 2, place: { en: 'Hoi Yuen Road', zh: '開源道', kind: 'street' } }),
      // One report is one enquiry, not an incident yet: not listed.
      incident({ incidentId: 'INC-20261124-XXXXXXXXXX', topic: 'street_light_fault', reports: 1, place: { en: 'How Ming Street', zh: '巧明街', kind: 'street' } }),
    ],
  };

  it('lists the open ones of two or more reports (not those past the window), most reports first, without ids', async () => {
    const open = await openIncidentsAt(source, now);
    expect(open.asOf).toBe(now.toISOString());
    expect(open.incidents.map((i) => [i.topic, i.reports])).toEqual([
      ['water_main_burst', 12],
      ['tree_risk', 2],
    ]);
    expect(JSON.stringify(open)).not.toMatch(/INC-|ENQ-/);
  });

  it('shows them in the CSV (per topic: count, reports, places) and the HTML', async () => {
    const report = { ...buildTopicReport({ counters: [], from: '2026-11-24', to: '2026-11-24', granularity: 'day', baselineDays: 28 }), openIncidents: await openIncidentsAt(source, now) };
    const lines = reportToCsv(report).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(REPORT_CSV_HEADER.join(','));
    const row = lines.find((line) => line.startsWith('water_main_burst,'))!.split(',');
    const cell = (name: (typeof REPORT_CSV_HEADER)[number]) => row[REPORT_CSV_HEADER.indexOf(name)];
    expect([cell('open_incidents'), cell('open_incident_reports'), cell('open_incident_places')]).toEqual(['1', '12', 'Kwun Tong Road (Kwun Tong): 12']);
    expect(row).toHaveLength(REPORT_CSV_HEADER.length);
    const html = reportToHtml(report);
    expect(html).toContain('Open incidents');
    expect(html).toMatch(/<tr class="incident" data-topic="water_main_burst" data-district="kwun-tong">.*Kwun Tong 觀塘區.*Kwun Tong Road 觀塘道.*>12</);
    expect(html).not.toMatch(/INC-|ENQ-/);
  });
});
