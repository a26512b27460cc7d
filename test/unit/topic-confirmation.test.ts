import { beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import type { Taxonomy } from '../../shared/domain/classification/taxonomy.ts';
import type { AgentDecision, Enquiry, EnquiryContact } from '../../shared/domain/enquiry.ts';
import { prepareDecision, sameDecision, staleDraftConflict } from '../../shared/domain/review/decision-rules.ts';
import { decideEnquiry, type DecideDeps } from '../../shared/domain/review/decide-enquiry.ts';
import { nextDraftId } from '../../shared/domain/drafting/draft-ids.ts';
import { pickerTaxonomy, resolveTopicChoice, topicChanges } from '../../shared/domain/topic-confirmation.ts';
import type { DecisionRequest } from '../../events/review-api.ts';
import { DecisionRequestSchema, TopicCorrectionRequestSchema } from '../../events/review-api.ts';
import type { EnquiryStore, StatusChange } from '../../shared/ports/enquiry-store.ts';

let taxonomy: Taxonomy;
beforeAll(async () => {
  taxonomy = (await FileKnowledgeBase.load(KNOWLEDGE_DIR)).taxonomy;
});

const aiTopic = (topic: string, department: string): Enquiry['topic'] => ({ topic, department, urgency: 'routine', confidence: 0.55, language: 'en-US', rationale: 'test', source: 'local' });

function enquiry(overrides: Partial<Enquiry> = {}): Enquiry {
  return {
    enquiryId: 'ENQ-20261124-AAAAAAAAAAAA',
    sourceId: 'web:1',
    channel: 'web',
    status: 'awaiting_review',
    smsConsent: true,
    hasAudio: false,
    receivedAt: '2026-11-24T01:00:00Z',
    createdAt: '2026-11-24T01:00:00Z',
    updatedAt: '2026-11-24T01:00:00Z',
    correlationId: 'c',
    redactedText: 'There is a hole in the pavement.',
    topic: aiTopic('hawker_obstruction', 'FEHD'),
    draft: { draftId: 'D1', topic: 'hawker_obstruction', department: 'FEHD', text: 'Dear caller, FEHD…', smsText: 'FEHD will follow up', language: 'en-US', script: 'en', citedArticleIds: ['KB-HAWKER-OBSTRUCTION-01'], flags: [], source: 'local' },
    taskToken: 'token-1',
    ...overrides,
  };
}

const decisionRequest = (body: Record<string, unknown>): DecisionRequest => DecisionRequestSchema.parse(body);

describe('resolving the agent\'s topic against the taxonomy', () => {
  it('keeps the AI topic and department when the agent sends none: a confirmation', () => {
    expect(resolveTopicChoice(taxonomy, enquiry(), {})).toEqual({
      ok: true,
      choice: { topic: 'hawker_obstruction', department: 'FEHD', alsoInvolves: [], crossDepartmental: false, aiTopic: 'hawker_obstruction', aiDepartment: 'FEHD', topicCorrected: false, departmentChanged: false },
    });
  });

  it('gives a corrected topic its own department, and keeps an earlier choice (a redraft) as the base', () => {
    const corrected = resolveTopicChoice(taxonomy, enquiry(), { topic: 'road_damage' });
    expect(corrected).toMatchObject({ ok: true, choice: { topic: 'road_damage', department: 'HyD', topicCorrected: true, departmentChanged: true } });
    const afterRedraft = enquiry({ agentTopic: { ...(corrected.ok ? corrected.choice : ({} as never)), alsoInvolves: ['HKPF'], crossDepartmental: true, agentId: 'a', at: 'now' } });
    expect(resolveTopicChoice(taxonomy, afterRedraft, {})).toMatchObject({ ok: true, choice: { topic: 'road_damage', department: 'HyD', alsoInvolves: ['HKPF'], crossDepartmental: true } });
  });

  it('allows another department only where the taxonomy lists it, naming the field', () => {
    const seepage = enquiry({ topic: aiTopic('water_seepage', 'FEHD') });
    expect(resolveTopicChoice(taxonomy, seepage, { department: 'BD' })).toMatchObject({ ok: true, choice: { department: 'BD', departmentChanged: true } });
    expect(resolveTopicChoice(taxonomy, seepage, { department: 'HKPF' })).toEqual({ ok: false, problems: [{ field: 'department', problem: 'HKPF is not a department for water_seepage; allowed: FEHD, BD' }] });
    expect(resolveTopicChoice(taxonomy, seepage, { alsoInvolves: ['FEHD'] })).toEqual({ ok: false, problems: [{ field: 'alsoInvolves', problem: 'must not repeat the department (FEHD)' }] });
  });

  it('records what changed from what to what', () => {
    const result = resolveTopicChoice(taxonomy, enquiry(), { topic: 'road_damage', alsoInvolves: ['HKPF'] });
    expect(result.ok && topicChanges(enquiry(), result.choice)).toEqual([
      { field: 'topic', from: 'hawker_obstruction', to: 'road_damage' },
      { field: 'department', from: 'FEHD', to: 'HyD' },
      { field: 'alsoInvolves', from: [], to: ['HKPF'] },
    ]);
  });

  it('numbers drafts D1, D2, … (a draft made before ids existed is D1)', () => {
    expect(nextDraftId(undefined)).toBe('D1');
    expect(nextDraftId({})).toBe('D2');
    expect(nextDraftId({ draftId: 'D2' })).toBe('D3');
  });

  it('gives a topic picker names in English and Chinese and each topic\'s allowed departments', () => {
    const picker = pickerTaxonomy(taxonomy);
    expect(picker.topics).toHaveLength(taxonomy.topics.length);
    expect(picker.topics.find((t) => t.id === 'water_seepage')).toMatchObject({ names: { en: 'Water seepage in buildings', 'zh-Hant': '樓宇滲水' }, department: 'FEHD', departments: ['FEHD', 'BD'] });
    expect(picker.departments.find((d) => d.id === 'HyD')).toMatchObject({ names: { en: 'Highways Department' }, shortName: { en: 'HyD' } });
  });
});

describe('a decision with a topic', () => {
  const context = (e: Enquiry, body: Record<string, unknown>) => ({
    enquiry: e,
    contact: { enquiryId: e.enquiryId, callerNumber: '+85291234567' } satisfies EnquiryContact,
    request: decisionRequest(body),
    agentId: 'agent-7',
    decisionId: 'd-1',
    now: new Date('2026-11-24T02:00:00Z'),
    smsSegments: () => 1,
    maxSmsSegments: 4,
    taxonomy,
  });

  it('refuses to approve a draft written for another topic, naming the field, but lets an edit through', () => {
    expect(prepareDecision(context(enquiry(), { action: 'approve', topic: 'road_damage' }))).toMatchObject({ ok: false, kind: 'unprocessable', problems: [{ field: 'topic' }] });
    expect(prepareDecision(context(enquiry(), { action: 'edit', text: 'HyD will repair it.', topic: 'road_damage' }))).toMatchObject({
      ok: true,
      decision: { topic: { topic: 'road_damage', topicCorrected: true }, draftId: 'D1' },
    });
  });

  it('is a 400-kind problem for a department the topic does not allow', () => {
    expect(prepareDecision(context(enquiry(), { action: 'approve', department: 'BD' }))).toMatchObject({ ok: false, kind: 'invalid', problems: [{ field: 'department' }] });
  });

  it('must name the current draft once the enquiry was redrafted', () => {
    const redrafted = enquiry({ draft: { ...enquiry().draft!, draftId: 'D2', topic: 'road_damage', department: 'HyD' } });
    expect(staleDraftConflict(redrafted, undefined)).toMatch(/redrafted \(now D2\)/);
    expect(staleDraftConflict(redrafted, 'D1')).toMatch(/D1 was replaced by D2/);
    expect(staleDraftConflict(redrafted, 'D2')).toBeUndefined();
    expect(staleDraftConflict(enquiry(), undefined)).toBeUndefined();
  });

  it('recognises a retry of the same decision, and nothing else', () => {
    const check = prepareDecision(context(enquiry(), { action: 'approve', sendSms: true }));
    const decision = (check as { decision: AgentDecision }).decision;
    expect(sameDecision(decisionRequest({ action: 'approve', sendSms: true }), decision)).toBe(true);
    expect(sameDecision(decisionRequest({ action: 'approve', sendSms: true, topic: 'hawker_obstruction', draftId: 'D1' }), decision)).toBe(true);
    expect(sameDecision(decisionRequest({ action: 'approve' }), decision)).toBe(false);
    expect(sameDecision(decisionRequest({ action: 'approve', sendSms: true, topic: 'road_damage' }), decision)).toBe(false);
    expect(sameDecision(decisionRequest({ action: 'reject', reason: 'x' }), decision)).toBe(false);
  });
});

describe('topic request schemas', () => {
  it('name the field of an unknown topic, an unknown or repeated department, and too many', () => {
    const fields = (schema: typeof DecisionRequestSchema | typeof TopicCorrectionRequestSchema, body: unknown) => {
      const result = schema.safeParse(body);
      return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
    };
    expect(fields(TopicCorrectionRequestSchema, { topic: 'alien_sighting' })).toEqual(['topic']);
    expect(fields(TopicCorrectionRequestSchema, {})).toEqual(['topic']);
    expect(fields(DecisionRequestSchema, { action: 'approve', department: 'PierD' })).toEqual(['department']);
    expect(fields(DecisionRequestSchema, { action: 'approve', alsoInvolves: ['HyD', 'HyD'] })).toEqual(['alsoInvolves']);
    expect(fields(DecisionRequestSchema, { action: 'approve', alsoInvolves: ['HyD', 'TD', 'BD', 'HD', 'DSD', 'EPD'] })).toEqual(['alsoInvolves']);
    expect(fields(DecisionRequestSchema, { action: 'approve', draftId: 'latest' })).toEqual(['draftId']);
  });
});

/** Just enough of a store for decideEnquiry: one enquiry, status changes, the token cleared after a resume. */
class OneEnquiryStore implements Pick<EnquiryStore, 'get' | 'getContact' | 'changeStatus' | 'clearTaskToken'> {
  constructor(public enquiry: Enquiry) {}
  async get() {
    return structuredClone(this.enquiry);
  }
  async getContact() {
    return { enquiryId: this.enquiry.enquiryId, callerNumber: '+85291234567' };
  }
  async changeStatus(change: StatusChange) {
    this.enquiry = { ...this.enquiry, ...change.patch, status: change.to, revision: (this.enquiry.revision ?? 0) + 1 };
    return this.enquiry;
  }
  async clearTaskToken() {
    const { taskToken: _token, ...rest } = this.enquiry;
    this.enquiry = rest as Enquiry;
  }
}

describe('resuming after a decision', () => {
  const deps = (store: OneEnquiryStore, succeed: () => Promise<void>): DecideDeps => ({
    store: store as unknown as EnquiryStore,
    callbacks: { succeed, fail: async () => undefined },
    clock: { now: () => new Date('2026-11-24T02:00:00Z') },
    newDecisionId: () => 'd-1',
    smsSegments: () => 1,
    maxSmsSegments: 4,
    taxonomy,
    knowledgeArticle: () => undefined,
  });
  const gone = () => Object.assign(new Error('Provided task does not exist anymore'), { name: 'TaskTimedOut' });

  it('a retry that finds the task gone is a conflict, and the kept token is left for the workflow to clear', async () => {
    const store = new OneEnquiryStore(enquiry({ topic: aiTopic('road_damage', 'HyD'), draft: { ...enquiry().draft!, topic: 'road_damage', department: 'HyD' } }));
    const request = { enquiryId: store.enquiry.enquiryId, agentId: 'agent-7', body: decisionRequest({ action: 'approve' }) };
    expect(await decideEnquiry(request, deps(store, async () => Promise.reject(new Error('socket hang up'))))).toMatchObject({ ok: false, kind: 'resume_failed', error: 'Error' });
    expect(store.enquiry).toMatchObject({ status: 'approved', taskToken: 'token-1', resumePending: { decisionId: 'd-1' } });
    expect(await decideEnquiry(request, deps(store, async () => Promise.reject(gone())))).toMatchObject({ ok: false, kind: 'conflict', detail: expect.stringMatching(/no longer waiting/) });
    expect(store.enquiry.taskToken).toBe('token-1');
  });

  it('the retry of the same decision resumes with the recorded decision and clears the token', async () => {
    const store = new OneEnquiryStore(enquiry({ topic: aiTopic('road_damage', 'HyD'), draft: { ...enquiry().draft!, topic: 'road_damage', department: 'HyD' } }));
    const request = { enquiryId: store.enquiry.enquiryId, agentId: 'agent-7', body: decisionRequest({ action: 'approve' }) };
    await decideEnquiry(request, deps(store, async () => Promise.reject(new Error('socket hang up'))));
    const outputs: unknown[] = [];
    const retried = await decideEnquiry(request, { ...deps(store, async () => undefined), callbacks: { succeed: async (_t, output) => void outputs.push(output), fail: async () => undefined } });
    expect(retried).toMatchObject({ ok: true, replayed: true, decision: { decisionId: 'd-1' } });
    expect(outputs).toEqual([{ action: 'approve', decisionId: 'd-1', sendSms: false, topic: 'road_damage', department: 'HyD', topicCorrected: false, crossDepartmental: false }]);
    expect(store.enquiry.taskToken).toBeUndefined();
  });
});
