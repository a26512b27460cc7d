/*
 * Issue 20, incidents: a burst water main on Kwun Tong Road reported by 12 callers within 2 hours, through
 * the real intake path and the synthesized workflow (GroupIncident after ClassifyTopic), reviewed once per
 * language and applied to the rest through the review API. Every enquiry keeps its own decision record,
 * its own consent check and its own SMS.
 *
 * ClassifyTopic finds the place and district (locatePlace over the redacted text); GroupIncident reads
 * `enquiry.location`. After the decisions, the supervisors' report raises the Kwun Tong × burst water main spike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { STATE_NAMES } from '../../cdk/lib/workflow.ts';
import { handleGroupIncident } from '../../functions/group-incident/handle.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { seedCounterRows } from '../../local/demo-history.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';
import type { LocalTaskHandler } from '../../local/workflow-runtime.ts';
import { apiEvent, enquiriesIn, startHarness, waitFor } from './harness.ts';
import { failingStates } from './fault-helpers.ts';
import { TransientError } from '../../shared/domain/errors.ts';

/** Moves only when the test says so: 14:00 Hong Kong time at first (outside SMS quiet hours). */
let now = new Date('2026-11-24T06:00:00Z');
const clock = { now: () => now };

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function start(wrapOthers: (name: string, handler: LocalTaskHandler) => LocalTaskHandler = (_name, handler) => handler) {
  now = new Date('2026-11-24T06:00:00Z');
  stack = await startHarness({ clock, wrapHandler: wrapOthers });
  return stack;
}

const REPORTS: { text: string; consent: boolean }[] = [
  { text: 'A water main has burst on Kwun Tong Road, water is gushing across the road near the MTR exit.', consent: true },
  { text: 'Burst pipe on Kwun Tong Road! Huge amount of water flooding the pavement, please send someone.', consent: false },
  { text: 'There is a big water leak from an underground pipe on Kwun Tong Road, the road is flooded.', consent: true },
  { text: 'Water main burst outside the shops on Kwun Tong Road, water spraying up from the ground.', consent: true },
  { text: 'Please help, a water pipe broke under Kwun Tong Road and water is everywhere.', consent: false },
  { text: 'Fresh water is pouring out of a cracked main on Kwun Tong Road, cars splashing through it.', consent: true },
  { text: '觀塘道有條水管爆咗，啲水喺地下射出嚟，成條路都浸晒。', consent: true },
  { text: '觀塘道爆水管呀，好多水湧出嚟，快啲派人嚟整。', consent: false },
  { text: '觀塘道地底水管爆裂，馬路水浸，行人好難行。', consent: true },
  { text: '喂，觀塘道嗰度爆咗水喉，水好大，成條街都係水。', consent: true },
  { text: '觀塘道近港鐵站有水管爆咗，水一路流落馬路。', consent: false },
  { text: '觀塘道食水管爆咗，噴到成層樓咁高，好危險。', consent: true },
];

const phoneOf = (i: number) => `+8529${String(1_000_000 + i * 7_919).slice(-7)}`;
/** Reports from 11:00 to 12:50 Hong Kong time, ten minutes apart: 12 in under 2 hours. */
const receivedAt = (i: number) => new Date(Date.parse('2026-11-24T03:00:00Z') + i * 10 * 60_000).toISOString();
const message = (i: number, text: string, consent: boolean, at = receivedAt(i)) => ({
  kind: 'written',
  messageId: `web-burst-${String(i).padStart(4, '0')}`,
  channel: 'web',
  text,
  contact: { phone: phoneOf(i) },
  smsConsent: consent,
  receivedAt: at,
});

async function api(routeKey: string, options: Parameters<typeof apiEvent>[1] = {}) {
  const response = await stack!.reviewApi(apiEvent(routeKey, { groups: ['agent'], sub: 'agent-7', ...options }));
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
}

async function awaitingAll(count: number): Promise<Enquiry[]> {
  return waitFor(() => enquiriesIn(stack!, ['awaiting_review']), (items) => items.length >= count, 60_000);
}

const settled = (id: string) =>
  waitFor(
    async () => (await stack!.store.get(id))?.status,
    (status) => ['closed', 'sms_sent', 'sms_failed'].includes(status ?? ''),
    30_000,
  );

describe('incidents: one burst main, twelve callers', () => {
  it('makes one incident of 12 reports; one reviewed reply per language is applied to the rest; each consenting caller gets one SMS', { timeout: 120_000 }, async () => {
    await start();
    const messages = REPORTS.map((r, i) => message(i, r.text, r.consent));
    for (const m of messages) stack!.intakeQueue.send(JSON.stringify(m));
    // One duplicated delivery of the same message: the same enquiry, counted once.
    stack!.intakeQueue.send(JSON.stringify(messages[3]));
    await stack!.processIntake();
    const awaiting = await awaitingAll(12);
    expect(awaiting).toHaveLength(12);
    expect(new Set(awaiting.map((e) => e.topic?.topic))).toEqual(new Set(['water_main_burst']));

    const incidentIds = new Set(await Promise.all(awaiting.map((e) => stack!.incidents.incidentOf(e.enquiryId))));
    expect(incidentIds.size).toBe(1);
    const incidentId = [...incidentIds][0]!;
    expect(await stack!.incidents.get(incidentId)).toMatchObject({ topic: 'water_main_burst', district: 'kwun-tong', place: { en: 'Kwun Tong Road' }, reports: 12 });

    // A retried GroupIncident (a duplicated step delivery) counts nothing.
    const again = await handleGroupIncident({ enquiryId: awaiting[0]!.enquiryId, correlationId: 'retry' }, { store: stack!.store, incidents: stack!.incidents });
    expect(again).toMatchObject({ grouped: true, incidentId, duplicate: true });
    expect((await stack!.incidents.get(incidentId))?.reports).toBe(12);

    // The console's views: the incident on each enquiry, and the open incidents.
    const english = awaiting.filter((e) => e.language === 'en-US').sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    const cantonese = awaiting.filter((e) => e.language === 'zh-HK').sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    expect(english).toHaveLength(6);
    expect(cantonese).toHaveLength(6);
    const detail = await api('GET /enquiries/{id}', { id: english[0]!.enquiryId });
    expect(detail.body['incident']).toMatchObject({ incidentId, reports: 12, status: 'open', district: 'kwun-tong' });
    const open = await api('GET /incidents', { query: { status: 'open' } });
    expect(open.status).toBe(200);
    expect(open.body['items']).toEqual([expect.objectContaining({ incidentId, reports: 12, topic: 'water_main_burst' })]);
    expect((await api('GET /incidents', { query: { status: 'closed' } })).status).toBe(400);
    // Supervisors' report: the open incident with its report count (district and place; no ids).
    const report = await api('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-24', to: '2026-11-24', format: 'json' } });
    expect(report.status).toBe(200);
    expect((report.body['openIncidents'] as { incidents: unknown[] }).incidents).toEqual([
      expect.objectContaining({ topic: 'water_main_burst', district: 'kwun-tong', place: expect.objectContaining({ en: 'Kwun Tong Road' }), reports: 12 }),
    ]);
    expect(JSON.stringify(report.body['openIncidents'])).not.toMatch(/ENQ-|INC-/);

    // Apply before any decision: refused, naming the field.
    const early = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: english[0]!.enquiryId } });
    expect(early.status).toBe(422);
    expect(early.body['problems']).toEqual([expect.objectContaining({ field: 'sourceEnquiryId' })]);

    // One agent reviews one English report (edits the reply, sends the SMS) and applies it.
    const source = english[0]!;
    const sourceDraft = (await stack!.store.get(source.enquiryId))!.draft!;
    const reviewedText = `${sourceDraft.text}\nWater Supplies Department staff are on site and repairing the main.`;
    const decided = await api('POST /enquiries/{id}/decision', { id: source.enquiryId, body: { action: 'edit', text: reviewedText, sendSms: true } });
    expect(decided.status).toBe(200);
    const applied = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: source.enquiryId } });
    expect(applied.status).toBe(200);
    const appliedIds = (applied.body['applied'] as { enquiryId: string; sendSms: boolean }[]).map((a) => a.enquiryId).sort();
    expect(appliedIds).toEqual(english.slice(1).map((e) => e.enquiryId).sort());
    const skipped = applied.body['skipped'] as { enquiryId: string; reason: string }[];
    expect(skipped.map((s) => s.reason)).toEqual(Array(6).fill('other_language'));
    expect(skipped.map((s) => s.enquiryId).sort()).toEqual(cantonese.map((e) => e.enquiryId).sort());

    // The Cantonese reports: one reviewed (approved as drafted, with SMS), applied to the other five.
    const zhSource = cantonese[0]!;
    expect((await api('POST /enquiries/{id}/decision', { id: zhSource.enquiryId, body: { action: 'approve', sendSms: true } })).status).toBe(200);
    const zhApplied = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: zhSource.enquiryId } });
    expect(zhApplied.status).toBe(200);
    expect((zhApplied.body['applied'] as unknown[]).length).toBe(5);
    expect(zhApplied.body['skipped']).toEqual([]);
    // Applying again finds nothing left awaiting review: nothing decided twice.
    const twice = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: zhSource.enquiryId } });
    expect(twice.body).toMatchObject({ applied: [], skipped: [] });

    // Every enquiry: its own decision record, its own workflow run to the end.
    await stack!.processSmsOutbox();
    await stack!.processSmsOutbox(); // a second delivery pass sends nothing again
    for (const enquiry of awaiting) await settled(enquiry.enquiryId);
    await stack!.processSmsOutbox();
    const finals = await Promise.all(awaiting.map((e) => stack!.store.get(e.enquiryId)));
    const decisionIds = finals.map((e) => e!.decision!.decisionId);
    expect(new Set(decisionIds).size).toBe(12);
    for (const enquiry of finals) {
      const { decision } = enquiry!;
      expect(decision).toMatchObject({ agentId: 'agent-7' });
      const isSource = enquiry!.enquiryId === source.enquiryId || enquiry!.enquiryId === zhSource.enquiryId;
      if (isSource) expect(decision!.appliedFrom).toBeUndefined();
      else expect(decision!.appliedFrom).toMatchObject({ incidentId, enquiryId: enquiry!.language === 'en-US' ? source.enquiryId : zhSource.enquiryId });
      // Its own reference number, never the reviewed enquiry's.
      if (!isSource) expect(decision!.finalText).not.toContain(enquiry!.language === 'en-US' ? source.enquiryId : zhSource.enquiryId);
      expect(decision!.sendSms).toBe(enquiry!.smsConsent);
      expect(enquiry!.status).toBe(enquiry!.smsConsent ? 'sms_sent' : 'closed');
    }
    // The supervisors' report: four weeks of ordinary history by district before the day, then these 12
    // outcomes: a spike for Kwun Tong × burst water main, named by its district.
    await seedCounterRows(
      { client: stack!.dynamo.client, tableName: stack!.countersTableName },
      generateSyntheticHistory({ seed: 20, days: 28, startDay: '2026-10-27', dailyEnquiries: 300, districts: true }).rows,
    );
    const day = await api('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-24', to: '2026-11-24', format: 'json' } });
    expect(day.status).toBe(200);
    expect(day.body['districtSpikes']).toEqual(expect.arrayContaining([expect.objectContaining({ topic: 'water_main_burst', district: 'kwun-tong', count: 12 })]));

    const english1 = finals.find((e) => e!.enquiryId === english[2]!.enquiryId)!;
    expect(english1.decision!.finalText).toContain('Water Supplies Department staff are on site');

    // Each consenting caller exactly one SMS, naming their own enquiry; the others none.
    const sent = stack!.smsSent();
    const consenting = REPORTS.map((r, i) => ({ ...r, phone: phoneOf(i) })).filter((r) => r.consent);
    expect(sent.map((s) => s.to).sort()).toEqual(consenting.map((r) => r.phone).sort());
    for (const enquiry of finals.filter((e) => e!.smsConsent)) {
      const own = sent.filter((s) => s.text.includes(enquiry!.enquiryId));
      expect(own).toHaveLength(1);
    }

    // A 13th report 7 hours after the last one starts a new incident; another topic at the same place is its own.
    now = new Date('2026-11-24T12:30:00Z');
    const lastAt = receivedAt(11);
    const later = message(12, 'Water main burst again on Kwun Tong Road, water everywhere on the road.', false, new Date(Date.parse(lastAt) + 7 * 3_600_000).toISOString());
    const pothole = message(13, 'The road surface on Kwun Tong Road has a big pothole that damaged my car tyre.', false, new Date(Date.parse(lastAt) + 7 * 3_600_000).toISOString());
    for (const m of [later, pothole]) stack!.intakeQueue.send(JSON.stringify(m));
    await stack!.processIntake();
    const fresh = await waitFor(
      () => enquiriesIn(stack!, ['awaiting_review']),
      (items) => items.length >= 2,
      30_000,
    );
    const laterEnquiry = fresh.find((e) => e.topic?.topic === 'water_main_burst')!;
    const potholeEnquiry = fresh.find((e) => e.topic?.topic === 'road_damage')!;
    const laterIncident = await stack!.incidents.incidentOf(laterEnquiry.enquiryId);
    const potholeIncident = await stack!.incidents.incidentOf(potholeEnquiry.enquiryId);
    expect(laterIncident).toBeDefined();
    expect(potholeIncident).toBeDefined();
    expect(new Set([incidentId, laterIncident, potholeIncident]).size).toBe(3);
    const openLater = await api('GET /incidents', { query: {} });
    const openIds = (openLater.body['items'] as { incidentId: string }[]).map((i) => i.incidentId);
    // The first incident's window has passed; the two new ones have one report each: none is listed yet.
    expect(openIds).toEqual([]);
    expect((await stack!.incidents.get(laterIncident!))?.reports).toBe(1);
  });

  it('an enquiry without a found district and place is not grouped', async () => {
    await start();
    stack!.intakeQueue.send(JSON.stringify(message(20, 'A water main has burst near my home, water everywhere.', false)));
    await stack!.processIntake();
    const [enquiry] = await awaitingAll(1);
    expect(await stack!.incidents.incidentOf(enquiry!.enquiryId)).toBeUndefined();
    expect((await api('GET /enquiries/{id}', { id: enquiry!.enquiryId })).body['incident']).toBeNull();
  });

  it('a grouping that keeps failing never holds the enquiry back: it is drafted, ungrouped, and not handed to agents by hand', { timeout: 120_000 }, async () => {
    const faults = failingStates({ [STATE_NAMES.groupIncident]: { times: Infinity, makeError: () => new TransientError('DynamoDB throttled') } });
    await start(faults.wrapHandler);
    stack!.intakeQueue.send(JSON.stringify(message(30, REPORTS[0]!.text, true)));
    await stack!.processIntake();
    const [enquiry] = await awaitingAll(1);
    expect(faults.calls(STATE_NAMES.groupIncident)).toBe(5); // first try + 4 retries
    expect(faults.calls(STATE_NAMES.needsManual)).toBe(0);
    expect(enquiry!.draft).toBeDefined();
    expect(await stack!.incidents.incidentOf(enquiry!.enquiryId)).toBeUndefined();
  });

  it('apply skips a report whose topic an agent changed, and sends no SMS where the caller did not consent', { timeout: 120_000 }, async () => {
    await start();
    const texts = [REPORTS[0]!, REPORTS[2]!, REPORTS[3]!];
    texts.forEach((r, i) => stack!.intakeQueue.send(JSON.stringify(message(40 + i, r.text, i !== 2))));
    await stack!.processIntake();
    const [a, b, c] = (await awaitingAll(3)).sort((x, y) => x.receivedAt.localeCompare(y.receivedAt));
    const incidentId = (await stack!.incidents.incidentOf(a!.enquiryId))!;
    expect(await stack!.incidents.incidentOf(c!.enquiryId)).toBe(incidentId);
    // A colleague moves B to another topic (a redraft): the reviewed reply no longer fits it.
    expect((await api('POST /enquiries/{id}/topic', { id: b!.enquiryId, body: { topic: 'road_damage' } })).status).toBe(200);
    expect((await api('POST /enquiries/{id}/decision', { id: a!.enquiryId, body: { action: 'approve', sendSms: true } })).status).toBe(200);
    const applied = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: a!.enquiryId } });
    expect(applied.status).toBe(200);
    expect(applied.body['applied']).toEqual([expect.objectContaining({ enquiryId: c!.enquiryId, sendSms: false })]);
    expect(applied.body['skipped']).toEqual([expect.objectContaining({ enquiryId: b!.enquiryId, reason: 'topic_changed' })]);
    expect((await stack!.store.get(b!.enquiryId))?.status).toBe('awaiting_review');
    await settled(c!.enquiryId);
    await waitFor(async () => (await stack!.store.get(a!.enquiryId))?.status, (status) => status === 'sms_queued', 30_000);
    await stack!.processSmsOutbox();
    await settled(a!.enquiryId);
    const stored = await stack!.store.get(c!.enquiryId);
    expect(stored?.decision).toMatchObject({ sendSms: false, appliedFrom: { enquiryId: a!.enquiryId, incidentId } });
    expect(stored?.status).toBe('closed');
    expect(stack!.smsSent().map((sms) => sms.to)).toEqual([phoneOf(40)]);
    // Applying from a report whose reply was itself applied is refused, naming the field.
    const second = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: c!.enquiryId } });
    expect(second.status).toBe(422);
    expect(second.body['problems']).toEqual([expect.objectContaining({ field: 'sourceEnquiryId' })]);
    // Invalid ids are refused naming the field.
    expect((await api('POST /incidents/{id}/apply', { id: 'INC-1', body: { sourceEnquiryId: a!.enquiryId } })).body['problems']).toEqual([expect.objectContaining({ field: 'id' })]);
    expect((await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: 'nope' } })).body['problems']).toEqual([expect.objectContaining({ field: 'sourceEnquiryId' })]);
  });

  it('twelve callers in one language: one reviewed reply is applied to all eleven others, each with its own decision and at most one SMS', { timeout: 120_000 }, async () => {
    await start();
    // Six Cantonese reports and six more in other callers' words, all Traditional Chinese, within 2 hours.
    const more = [
      '觀塘道有水喉爆咗，水柱射到好高，車都唔敢過。',
      '觀塘道地下水管爆咗，行人路全部係水。',
      '觀塘道水管爆裂，啲水一直湧出嚟，有冇人嚟處理？',
      '喺觀塘道見到水管爆咗，成條馬路浸水。',
      '觀塘道爆大水喉呀，水流到去巴士站。',
      '觀塘道有食水管爆咗，水好急，麻煩盡快維修。',
    ];
    const texts = [...REPORTS.filter((r) => /\p{Script=Han}/u.test(r.text)), ...more.map((text, i) => ({ text, consent: i % 3 !== 0 }))];
    expect(texts).toHaveLength(12);
    texts.forEach((r, i) => stack!.intakeQueue.send(JSON.stringify(message(60 + i, r.text, r.consent, receivedAt(i)))));
    await stack!.processIntake();
    const awaiting = (await awaitingAll(12)).sort((x, y) => x.receivedAt.localeCompare(y.receivedAt));
    expect(new Set(awaiting.map((e) => e.language))).toEqual(new Set(['zh-HK']));
    const incidentIds = new Set(await Promise.all(awaiting.map((e) => stack!.incidents.incidentOf(e.enquiryId))));
    expect(incidentIds.size).toBe(1);
    const incidentId = [...incidentIds][0]!;
    expect((await stack!.incidents.get(incidentId))?.reports).toBe(12);

    const source = awaiting[0]!;
    expect((await api('POST /enquiries/{id}/decision', { id: source.enquiryId, body: { action: 'approve', sendSms: true } })).status).toBe(200);
    const applied = await api('POST /incidents/{id}/apply', { id: incidentId, body: { sourceEnquiryId: source.enquiryId } });
    expect(applied.status).toBe(200);
    expect((applied.body['applied'] as unknown[]).length).toBe(11);
    expect(applied.body['skipped']).toEqual([]);

    await waitFor(async () => stack!.smsOutbox.depth, (depth) => depth >= texts.filter((r) => r.consent).length, 30_000);
    await stack!.processSmsOutbox();
    for (const enquiry of awaiting) await settled(enquiry.enquiryId);
    await stack!.processSmsOutbox(); // nothing left to send twice
    const finals = await Promise.all(awaiting.map((e) => stack!.store.get(e.enquiryId)));
    expect(new Set(finals.map((e) => e!.decision!.decisionId)).size).toBe(12);
    const sent = stack!.smsSent();
    for (const [i, enquiry] of finals.entries()) {
      expect(enquiry!.decision!.sendSms).toBe(texts[i]!.consent);
      expect(sent.filter((s) => s.to === phoneOf(60 + i))).toHaveLength(texts[i]!.consent ? 1 : 0);
    }
  });
});
