import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/middleware/powertools.ts';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import { reviewApiOpenApi } from '../../events/openapi.ts';
import { apiEvent, intakeUntil, startHarness } from './harness.ts';

let stack: LocalStack;
let awaitingIds: string[];

beforeAll(async () => {
  stack = await startHarness({ clock: { now: () => new Date('2026-11-24T06:00:00Z') } });
  const samples = loadSamples().filter((s) => s.file.startsWith('written-'));
  const enquiries = await intakeUntil(stack, samples.map((s) => s.body));
  awaitingIds = enquiries.filter((e) => e.status === 'awaiting_review').map((e) => e.enquiryId);
});
afterAll(() => stack.close());

const call = async (...args: Parameters<typeof apiEvent>) => {
  const response = await stack.reviewApi(apiEvent(...args));
  return { status: response.statusCode, type: response.headers?.['content-type'], body: JSON.parse(String(response.body)) as Record<string, unknown> };
};

describe('review API', () => {
  it('lists enquiries awaiting review oldest first, without any text', async () => {
    const { status, body } = await call('GET /enquiries', { groups: ['agent'] });
    expect(status).toBe(200);
    const items = body['items'] as { receivedAt: string; redactedText?: string }[];
    expect(items.length).toBe(awaitingIds.length);
    expect(items.map((i) => i.receivedAt)).toEqual([...items.map((i) => i.receivedAt)].sort());
    expect(JSON.stringify(items)).not.toMatch(/redactedText|\[PHONE\]/);
  });

  it('filters by language and pages with a cursor', async () => {
    const english = await call('GET /enquiries', { groups: ['agent'], query: { language: 'en-US' } });
    expect((english.body['items'] as { language: string }[]).every((i) => i.language === 'en-US')).toBe(true);
    const first = await call('GET /enquiries', { groups: ['agent'], query: { limit: '2' } });
    expect((first.body['items'] as unknown[]).length).toBe(2);
    const next = await call('GET /enquiries', { groups: ['agent'], query: { limit: '2', cursor: String(first.body['cursor']) } });
    expect(next.status).toBe(200);
    expect(next.body['items']).not.toEqual(first.body['items']);
  });

  it('rejects a bad query with 400 naming the field', async () => {
    const { status, type, body } = await call('GET /enquiries', { groups: ['agent'], query: { language: 'fr-FR' } });
    expect(status).toBe(400);
    expect(type).toBe('application/problem+json');
    expect((body['problems'] as { field: string }[])[0]?.field).toBe('language');
  });

  it('shows one enquiry: redacted text, topic, draft with citations and SMS preview, audit; never the token', async () => {
    const { status, body } = await call('GET /enquiries/{id}', { id: awaitingIds[0]!, groups: ['supervisor'] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ redactedText: expect.any(String), topicResult: expect.any(Object), audit: expect.any(Array) });
    const draft = body['draft'] as { citedArticles: { id: string; title: string }[]; sms: { segments: number; encoding: string } };
    expect(draft.citedArticles[0]?.title).toBeTruthy();
    expect(draft.sms.segments).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/taskToken|local:AwaitAgentReview/);
  });

  it('shows where each enquiry is about: district and the gazetteer\'s place from the redacted text, never a flat or floor', async () => {
    const { body } = await call('GET /enquiries', { groups: ['agent'] });
    const items = body['items'] as { enquiryId: string; location: { status: string; district?: string; place?: { en: string; zh: string; kind: string } } | null }[];
    expect(items.every((item) => item.location !== null)).toBe(true);
    const byDistrict = Object.fromEntries(items.filter((item) => item.location?.status === 'found').map((item) => [item.location?.district, item.location?.place?.en]));
    // The written samples name Sai Yeung Choi Street South, Hing Fong Road (Kwai Chung), 屯门公园 and 石硤尾邨.
    expect(byDistrict).toEqual({ 'yau-tsim-mong': 'Sai Yeung Choi Street South', 'kwai-tsing': 'Hing Fong Road', 'tuen-mun': 'Tuen Mun Park', 'sham-shui-po': 'Shek Kip Mei Estate' });
    expect(items.filter((item) => item.location?.status === 'unknown').length).toBe(3);
    expect(JSON.stringify(items.map((item) => item.location))).not.toMatch(/\d|flat|floor|樓|室/i);
    const detail = await call('GET /enquiries/{id}', { id: items.find((item) => item.location?.district === 'sham-shui-po')!.enquiryId, groups: ['agent'] });
    expect(detail.body['location']).toEqual({ status: 'found', district: 'sham-shui-po', place: { en: 'Shek Kip Mei Estate', zh: '石硤尾邨', kind: 'estate' } });
  });

  it('answers 404 for an unknown enquiry and 400 for a malformed id', async () => {
    expect((await call('GET /enquiries/{id}', { id: 'ENQ-20261124-AAAAAAAAAAAA', groups: ['agent'] })).status).toBe(404);
    expect((await call('GET /enquiries/{id}', { id: 'nope', groups: ['agent'] })).status).toBe(400);
  });

  it('answers 401 without a token and 403 to an agent on a supervisor route or a supervisor deciding', async () => {
    expect((await call('GET /enquiries')).status).toBe(401);
    expect((await call('GET /reports/topics', { groups: ['agent'], query: { from: '2026-11-01', to: '2026-11-24' } })).status).toBe(403);
    expect((await call('POST /enquiries/{id}/decision', { id: awaitingIds[0]!, groups: ['supervisor'], body: { action: 'approve' } })).status).toBe(403);
  });

  it('validates decisions: 400 for a bad body naming the field, 422 for an impossible one, 409 once decided', async () => {
    const id = awaitingIds[1]!;
    const missingText = await call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body: { action: 'edit' } });
    expect(missingText.status).toBe(400);
    expect(missingText.body['problems']).toEqual([{ field: 'text', problem: 'is required to edit' }]);
    expect((await call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body: '{oops' })).status).toBe(400);
    const tooLong = await call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body: { action: 'edit', text: '長'.repeat(400), sendSms: true } });
    const detail = await stack.store.get(id);
    if (detail?.smsConsent) {
      expect(tooLong.status).toBe(422);
      expect((tooLong.body['problems'] as { field: string }[])[0]?.field).toBe('text');
    } else {
      expect(tooLong.body['problems']).toEqual([{ field: 'sendSms', problem: 'the caller did not consent to SMS' }]);
    }
    expect((await call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body: { action: 'approve' } })).status).toBe(200);
    const again = await call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body: { action: 'approve' } });
    expect(again.status).toBe(409);
    expect(again.body['currentStatus']).toBeDefined();
  });

  it('serves the taxonomy a topic picker needs to agents and supervisors: names in English and Chinese, allowed departments', async () => {
    for (const groups of [['agent'], ['supervisor']]) {
      const { status, body } = await call('GET /taxonomy', { groups });
      expect(status).toBe(200);
      const topics = body['topics'] as { id: string; names: Record<string, string>; department: string; departments: string[] }[];
      expect(topics.length).toBeGreaterThan(30);
      expect(topics.find((t) => t.id === 'water_seepage')).toMatchObject({ names: { en: 'Water seepage in buildings', 'zh-Hant': '樓宇滲水' }, department: 'FEHD', departments: ['FEHD', 'BD'] });
      expect((body['departments'] as { id: string }[]).map((d) => d.id)).toContain('HyD');
    }
    expect((await call('GET /taxonomy')).status).toBe(401);
  });

  it('lets only agents correct a topic, and shows the agent topic and the draft id in lists and details', async () => {
    const id = awaitingIds[3]!;
    expect((await call('POST /enquiries/{id}/topic', { id, groups: ['supervisor'], body: { topic: 'road_damage' } })).status).toBe(403);
    expect((await call('POST /enquiries/{id}/topic', { id, body: { topic: 'road_damage' } })).status).toBe(401);
    expect((await call('POST /enquiries/{id}/topic', { id: 'ENQ-20261124-AAAAAAAAAAAA', groups: ['agent'], body: { topic: 'road_damage' } })).status).toBe(404);
    const before = await call('GET /enquiries/{id}', { id, groups: ['agent'] });
    expect(before.body).toMatchObject({ agentTopic: null, topicChoice: null, resumePending: false, draft: { draftId: 'D1' } });
    const corrected = await call('POST /enquiries/{id}/topic', { id, groups: ['agent'], body: { topic: 'road_damage', alsoInvolves: ['TD'] } });
    expect(corrected.status).toBe(200);
    expect(corrected.body['enquiry']).toMatchObject({ agentTopic: 'road_damage', agentDepartment: 'HyD', crossDepartmental: true, draft: { draftId: 'D2', topic: 'road_damage' } });
    // Only alsoInvolves changes: the topic is recorded, the draft stays.
    const again = await call('POST /enquiries/{id}/topic', { id, groups: ['agent'], body: { topic: 'road_damage', alsoInvolves: [] } });
    expect(again.body).toMatchObject({ redrafted: false, changes: [{ field: 'alsoInvolves', from: ['TD'], to: [] }], enquiry: { crossDepartmental: false, draft: { draftId: 'D2' } } });
    const list = await call('GET /enquiries', { groups: ['agent'], query: { limit: '100' } });
    expect((list.body['items'] as { enquiryId: string; agentTopic: string | null }[]).find((item) => item.enquiryId === id)?.agentTopic).toBe('road_damage');
  });

  it('serves the committed OpenAPI document, generated from the zod schemas', async () => {
    const committed = JSON.parse(readFileSync(new URL('../../events/openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(reviewApiOpenApi());
    const { status, body } = await call('GET /openapi.json', { groups: ['agent'] });
    expect(status).toBe(200);
    expect(body).toEqual(committed);
  });
});

describe('who read what', () => {
  afterEach(() => vi.restoreAllMocks());

  it('records every detail read with the enquiry id and the reader\'s sub, and no content', async () => {
    const info = vi.spyOn(logger, 'info');
    const id = awaitingIds[0]!;
    expect((await call('GET /enquiries/{id}', { id, groups: ['agent'], sub: 'sub-agent-0001' })).status).toBe(200);
    expect((await call('GET /enquiries/{id}', { id: 'ENQ-20261124-AAAAAAAAAAAA', groups: ['supervisor'], sub: 'sub-super-0002' })).status).toBe(404);
    const reads = info.mock.calls.filter(([message]) => message === 'enquiry detail read').map(([, fields]) => fields as unknown as Record<string, unknown>);
    expect(reads).toEqual([
      { audit: 'detail_read', enquiryId: id, sub: 'sub-agent-0001', groups: ['agent'], found: true },
      { audit: 'detail_read', enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', sub: 'sub-super-0002', groups: ['supervisor'], found: false },
    ]);
    const enquiry = await stack.store.get(id);
    const logged = JSON.stringify(info.mock.calls);
    for (const content of [enquiry!.redactedText!, enquiry!.draft!.text].map((text) => text.slice(0, 24))) expect(logged).not.toContain(content);
  });
});

describe('agents\' edits are held to the cited articles', () => {
  const decide = (id: string, body: Record<string, unknown>) => call('POST /enquiries/{id}/decision', { id, groups: ['agent'], body });

  it('refuses with 400 and the reason an edit that adds a phone number, a link or a fee the cited articles do not give', async () => {
    const id = awaitingIds[2]!;
    const draft = (await stack.store.get(id))!.draft!;
    const additions = [
      { added: 'Call 2345 6789 to speed this up.', reason: '2345 6789' },
      { added: 'Pay at https://hk-gov-refunds.example/pay today.', reason: 'hk-gov-refunds.example/pay' },
      { added: 'A handling fee of HK$380 applies.', reason: 'the amount 380' },
    ];
    for (const { added, reason } of additions) {
      const refused = await decide(id, { action: 'edit', text: `${draft.text}\n${added}` });
      expect(refused.status, added).toBe(400);
      const problems = refused.body['problems'] as { field: string; problem: string }[];
      expect(problems.map((p) => p.field)).toEqual(['text']);
      expect(problems[0]!.problem).toContain(reason);
      expect(String(refused.body['detail'])).toMatch(/cited knowledge articles/);
    }
    // Nothing was recorded and the workflow was not resumed: the enquiry still waits for a decision.
    expect((await stack.store.get(id))?.status).toBe('awaiting_review');
  });

  it('refuses an SMS edit that adds a number, and accepts an edit that keeps to the articles\' facts', async () => {
    const id = awaitingIds[2]!;
    const enquiry = (await stack.store.get(id))!;
    if (enquiry.smsConsent) {
      const refused = await decide(id, { action: 'approve', sendSms: true, smsText: 'Call 9123 4567 now' });
      expect(refused.status).toBe(400);
      expect((refused.body['problems'] as { field: string }[]).map((p) => p.field)).toEqual(['smsText']);
    }
    const accepted = await decide(id, { action: 'edit', text: `Thank you for your patience. ${enquiry.draft!.text}` });
    expect(accepted.status).toBe(200);
  });
});

describe('supervisor reports over the API', () => {
  it('serves the topic report as JSON and as CSV with a BOM to supervisors', async () => {
    const { seedCounterRows } = await import('../../local/demo-history.ts');
    await seedCounterRows(
      { client: stack.dynamo.client, tableName: stack.countersTableName },
      (await import('../../local/synthetic-history.ts')).generateSyntheticHistory({ seed: 3, days: 40, startDay: '2026-10-16', dailyEnquiries: 300 }).rows,
    );
    const json = await stack.reviewApi(apiEvent('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-18', to: '2026-11-24', granularity: 'week' } }));
    expect(json.statusCode).toBe(200);
    const report = JSON.parse(String(json.body)) as { totals: { count: number }; period: { from: string } };
    expect(report.period.from).toBe('2026-11-18');
    expect(report.totals.count).toBeGreaterThan(1000);
    const csv = await stack.reviewApi(apiEvent('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-18', to: '2026-11-24', format: 'csv' } }));
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(csv.body).startsWith('\uFEFFtopic_id,')).toBe(true);
    // Counts by district × topic (synthetic history by district), through the same route.
    await seedCounterRows(
      { client: stack.dynamo.client, tableName: stack.countersTableName },
      (await import('../../local/synthetic-history.ts')).generateSyntheticHistory({ seed: 4, days: 3, startDay: '2026-11-22', dailyEnquiries: 300, districts: true }).rows,
    );
    const districtCsv = await stack.reviewApi(apiEvent('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-22', to: '2026-11-24', format: 'district-csv' } }));
    expect(districtCsv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const districtLines = String(districtCsv.body).split('\r\n');
    expect(districtLines[0]).toBe('\uFEFFdistrict_id,district_name_en,district_name_zh_hant,topic_id,topic_name_en,topic_name_zh_hant,count,previous_count,change,change_pct,spike,p_value,conditional_p_value');
    expect(districtLines.some((line) => line.startsWith('kwun-tong,Kwun Tong,觀塘區,'))).toBe(true);
    const bad = await stack.reviewApi(apiEvent('GET /reports/topics', { groups: ['supervisor'], query: { from: '2026-11-24', to: '2026-11-01' } }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(String(bad.body)).problems[0]).toEqual({ field: 'to', problem: 'must not be before from' });
  });
});
