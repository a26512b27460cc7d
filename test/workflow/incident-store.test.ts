/*
 * DynamoIncidentStore against dynalite (the same adapter and key design as on AWS; TransactWriteItems from
 * local/dynamo-transactions.ts): windows, bucket edges, duplicates, races on a new key, agent closing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../local/dynamo.ts';
import { DynamoIncidentStore } from '../../shared/adapters/aws/dynamo-incident-store.ts';
import { INCIDENT_WINDOW_MS, incidentStatusAt, type IncidentKey } from '../../shared/domain/incidents/incident.ts';

let dynamo: LocalDynamo;
let store: DynamoIncidentStore;
let n = 0;
const enquiryId = () => `ENQ-20261124-${(n += 1).toString(32).toUpperCase().padStart(12, '0')}`;
const at = (iso: string, plusMinutes = 0) => new Date(Date.parse(iso) + plusMinutes * 60_000).toISOString();

const burst = (place = 'Kwun Tong Road', topic = 'water_main_burst'): IncidentKey => ({
  topic,
  district: 'kwun-tong',
  place: { en: place, zh: place === 'Kwun Tong Road' ? '觀塘道' : place, kind: 'street' },
});

beforeAll(async () => {
  dynamo = await startLocalDynamo('incident-store');
  store = new DynamoIncidentStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => dynamo.close());

describe('incident grouping on DynamoDB', () => {
  it('reports of one key within the window form one incident; a duplicate counts nothing', async () => {
    const key = burst('Hoi Yuen Road');
    const ids = Array.from({ length: 12 }, enquiryId);
    const results = [];
    for (const [i, id] of ids.entries()) results.push(await store.group({ enquiryId: id, receivedAt: at('2026-11-24T02:00:00Z', i * 10), key }));
    const incidentId = results[0]!.incidentId;
    expect(results.map((r) => r.incidentId)).toEqual(Array(12).fill(incidentId));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const again = await store.group({ enquiryId: ids[3]!, receivedAt: at('2026-11-24T02:00:00Z', 30), key });
    expect(again).toEqual({ incidentId, created: false, duplicate: true });
    const incident = await store.get(incidentId);
    expect(incident).toMatchObject({ reports: 12, status: 'open', firstReportAt: '2026-11-24T02:00:00.000Z', lastReportAt: at('2026-11-24T02:00:00Z', 110) });
    const members = [];
    for await (const member of store.members(incidentId)) members.push(member.enquiryId);
    expect(members).toEqual(ids);
    expect(await store.incidentOf(ids[5]!)).toBe(incidentId);
  });

  it('reports straddling a bucket edge join; a report after the window starts a new incident', async () => {
    const key = burst('Shing Yip Street');
    // Buckets are 6 h from the epoch: 2026-11-24T18:00Z is an edge.
    const first = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-24T17:59:00Z', key });
    const second = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-24T18:01:00Z', key });
    expect(second.incidentId).toBe(first.incidentId);
    // A chain of reports 5 h apart keeps one incident open across many buckets.
    const chain = [];
    for (let h = 5; h <= 20; h += 5) chain.push(await store.group({ enquiryId: enquiryId(), receivedAt: at('2026-11-24T18:01:00Z', h * 60), key }));
    expect(new Set(chain.map((c) => c.incidentId))).toEqual(new Set([first.incidentId]));
    // 7 h after the last report: a new incident.
    const later = await store.group({ enquiryId: enquiryId(), receivedAt: at('2026-11-24T18:01:00Z', 27 * 60), key });
    expect(later.created).toBe(true);
    expect(later.incidentId).not.toBe(first.incidentId);
    expect((await store.get(first.incidentId))?.reports).toBe(6);
  });

  it('another topic or another place at the same time is another incident', async () => {
    const base = '2026-11-25T03:00:00Z';
    const a = await store.group({ enquiryId: enquiryId(), receivedAt: base, key: burst('Hung To Road') });
    const b = await store.group({ enquiryId: enquiryId(), receivedAt: base, key: burst('Hung To Road', 'road_damage') });
    const c = await store.group({ enquiryId: enquiryId(), receivedAt: base, key: burst('How Ming Street') });
    expect(new Set([a.incidentId, b.incidentId, c.incidentId]).size).toBe(3);
  });

  it('twenty reports racing on a new key make one incident of twenty', async () => {
    const key = burst('Tsun Yip Street');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.group({ enquiryId: enquiryId(), receivedAt: at('2026-11-26T04:00:00Z', i), key })));
    expect(new Set(results.map((r) => r.incidentId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await store.get(results[0]!.incidentId))?.reports).toBe(20);
  });

  it('an out-of-order report is counted without moving the last report back', async () => {
    const key = burst('Wai Yip Street');
    const first = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-27T04:00:00Z', key });
    await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-27T05:00:00Z', key });
    const late = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-27T04:30:00Z', key });
    expect(late.incidentId).toBe(first.incidentId);
    expect(await store.get(first.incidentId)).toMatchObject({ reports: 3, lastReportAt: '2026-11-27T05:00:00.000Z' });
  });

  it('an incident an agent closed takes no more reports: the next one starts a new incident', async () => {
    const key = burst('Lai Yip Street');
    const first = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-28T04:00:00Z', key });
    expect(await store.close(first.incidentId, 'agent:a-1', '2026-11-28T04:10:00Z')).toBe(true);
    expect(await store.close(first.incidentId, 'agent:a-1', '2026-11-28T04:11:00Z')).toBe(false);
    const next = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-28T04:20:00Z', key });
    expect(next.created).toBe(true);
    const third = await store.group({ enquiryId: enquiryId(), receivedAt: '2026-11-28T04:30:00Z', key });
    expect(third.incidentId).toBe(next.incidentId);
    expect(incidentStatusAt((await store.get(first.incidentId))!, new Date('2026-11-28T04:30:00Z')).closedReason).toBe('agent');
  });

  it('lists open incidents (not closed, last report within the window), latest first; each item expires 90 days after', async () => {
    const key = burst('Kwun Tong Road');
    const now = '2026-11-29T06:00:00Z';
    const old = await store.group({ enquiryId: enquiryId(), receivedAt: at(now, -7 * 60), key: burst('Ngau Tau Kok Road') });
    const recent = await store.group({ enquiryId: enquiryId(), receivedAt: at(now, -30), key });
    const open = await store.listOpen(new Date(Date.parse(now) - INCIDENT_WINDOW_MS).toISOString());
    const ids = open.map((i) => i.incidentId);
    expect(ids).toContain(recent.incidentId);
    expect(ids).not.toContain(old.incidentId);
    expect(incidentStatusAt((await store.get(old.incidentId))!, new Date(now))).toMatchObject({ status: 'closed', closedReason: 'window' });
  });
});
