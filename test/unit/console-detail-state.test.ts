/*
 * The console's rules for the agent's topic choice, the topic search and what a decision sends
 * (console/views/enquiry-detail/state.ts), against the real taxonomy as GET /taxonomy serves it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnquiryDetail, Taxonomy } from '../../console/api.ts';
import {
  canApplyToIncident,
  chooseDepartment,
  chooseTopic,
  currentSelection,
  MAX_ALSO_INVOLVES,
  needsRedraft,
  planDecision,
  redraftRequest,
  searchTopics,
  toggleAlsoInvolves,
  type TopicSelection,
} from '../../console/views/enquiry-detail/state.ts';
import { MAX_ALSO_INVOLVES as API_MAX_ALSO_INVOLVES } from '../../events/review-api.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { pickerTaxonomy } from '../../shared/domain/topic-confirmation.ts';

let taxonomy: Taxonomy;
beforeAll(async () => {
  taxonomy = pickerTaxonomy((await FileKnowledgeBase.load(KNOWLEDGE_DIR)).taxonomy);
});

/** An enquiry awaiting review whose draft D1 was written for the AI's (wrong) topic. */
function enquiry(overrides: Partial<EnquiryDetail> = {}): EnquiryDetail {
  return {
    enquiryId: 'ENQ-20261124-TEST',
    status: 'awaiting_review',
    smsConsent: true,
    topicResult: { topic: 'noise_neighbourhood', department: 'HKPF', urgency: 'routine', confidence: 0.97, rationale: '', source: 'local', accepted: true },
    topicChoice: null,
    draft: {
      draftId: 'D1',
      topic: 'noise_neighbourhood',
      department: 'HKPF',
      text: 'We have passed your enquiry to the Hong Kong Police Force.',
      language: 'en-US',
      script: 'en',
      source: 'template',
      flags: [],
      citedArticles: [],
      smsText: '1823: passed to Police.',
      sms: { encoding: 'GSM-7', segments: 1, units: 23 },
    },
    decision: null,
    audit: [],
    ...overrides,
  } as EnquiryDetail;
}

const corrected: TopicSelection = { topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: [] };
const names = (topics: Taxonomy['topics']) => topics.map((topic) => topic.id);

describe('the topic search', () => {
  it('finds topics by their English, Traditional and Simplified Chinese names', () => {
    expect(names(searchTopics(taxonomy, 'commercial and industrial', 'en'))).toEqual(['noise_commercial_industrial']);
    expect(names(searchTopics(taxonomy, '工商業處所', 'zh-Hant'))).toEqual(['noise_commercial_industrial']);
    expect(names(searchTopics(taxonomy, '工商业处所', 'zh-Hant'))).toEqual(['noise_commercial_industrial']);
    expect(names(searchTopics(taxonomy, '噪音', 'zh-Hant', 20))).toEqual(expect.arrayContaining(['noise_commercial_industrial', 'noise_neighbourhood', 'noise_construction']));
  });

  it('matches every word, ignores case and width, and also finds a department’s topics by its name', () => {
    expect(names(searchTopics(taxonomy, 'NOISE  construction', 'en'))).toEqual(['noise_construction']);
    expect(names(searchTopics(taxonomy, 'ｎｏｉｓｅ commercial', 'en'))).toEqual(['noise_commercial_industrial']);
    const epd = searchTopics(taxonomy, 'EPD', 'en', 100);
    expect(epd.length).toBeGreaterThan(2);
    expect(epd.every((topic) => topic.department === 'EPD')).toBe(true);
  });

  it('puts names that start with the query first, and shows nothing for an empty query or before the taxonomy loads', () => {
    expect(searchTopics(taxonomy, 'noise', 'en', 100)[0]?.names.en.toLowerCase().startsWith('noise')).toBe(true);
    expect(searchTopics(taxonomy, '   ', 'en')).toEqual([]);
    expect(searchTopics(undefined, 'noise', 'en')).toEqual([]);
    expect(searchTopics(taxonomy, 'noise', 'en', 2)).toHaveLength(2);
  });
});

describe("the agent's topic choice", () => {
  it('starts at the decision’s topic, else the agent’s earlier choice, else the AI’s', () => {
    expect(currentSelection(enquiry())).toEqual({ topic: 'noise_neighbourhood', department: 'HKPF', alsoInvolves: [] });
    const choice = { ...corrected, alsoInvolves: ['FEHD'], crossDepartmental: true, aiTopic: 'noise_neighbourhood', aiDepartment: 'HKPF', topicCorrected: true, departmentChanged: true, agentId: 'a', at: '2026-11-25T06:00:00Z' };
    expect(currentSelection(enquiry({ topicChoice: choice }))).toEqual({ ...corrected, alsoInvolves: ['FEHD'] });
    expect(currentSelection(enquiry({ topicChoice: choice, decision: { decisionId: 'x', action: 'approve', agentId: 'a', decidedAt: '', sendSms: false, topic: { ...choice, alsoInvolves: [] } } }))).toEqual(corrected);
    expect(currentSelection(enquiry({ topicResult: null }))).toBeUndefined();
  });

  it('takes the topic’s own department unless the taxonomy allows the one asked for', () => {
    expect(chooseTopic(taxonomy, undefined, 'water_seepage')).toEqual({ topic: 'water_seepage', department: 'FEHD', alsoInvolves: [] });
    expect(chooseTopic(taxonomy, undefined, 'water_seepage', 'BD').department).toBe('BD');
    expect(chooseTopic(taxonomy, undefined, 'water_seepage', 'HKPF').department).toBe('FEHD');
    // "Also involves" never repeats the department.
    expect(chooseTopic(taxonomy, { topic: 'noise_neighbourhood', department: 'HKPF', alsoInvolves: ['EPD', 'FEHD'] }, 'noise_commercial_industrial')).toEqual({ ...corrected, alsoInvolves: ['FEHD'] });
    expect(chooseDepartment({ topic: 'water_seepage', department: 'FEHD', alsoInvolves: ['BD'] }, 'BD')).toEqual({ topic: 'water_seepage', department: 'BD', alsoInvolves: [] });
  });

  it(`lists at most ${MAX_ALSO_INVOLVES} other departments, as the API allows`, () => {
    expect(MAX_ALSO_INVOLVES).toBe(API_MAX_ALSO_INVOLVES);
    let selection: TopicSelection = corrected;
    for (const department of ['FEHD', 'BD', 'HKPF', 'HD', 'LandsD', 'TD']) selection = toggleAlsoInvolves(selection, department, true);
    expect(selection.alsoInvolves).toEqual(['FEHD', 'BD', 'HKPF', 'HD', 'LandsD']);
    expect(toggleAlsoInvolves(selection, 'BD', false).alsoInvolves).toEqual(['FEHD', 'HKPF', 'HD', 'LandsD']);
    expect(toggleAlsoInvolves(corrected, 'EPD', true).alsoInvolves).toEqual([]);
  });

  it('needs a redraft when the draft was written for another topic or department', () => {
    expect(needsRedraft(enquiry(), currentSelection(enquiry()))).toBe(false);
    expect(needsRedraft(enquiry(), corrected)).toBe(true);
    expect(needsRedraft(enquiry(), { topic: 'noise_neighbourhood', department: 'HKPF', alsoInvolves: ['EPD'] })).toBe(false);
    expect(redraftRequest(enquiry(), { ...corrected, alsoInvolves: ['FEHD'] })).toEqual({ topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: ['FEHD'], draftId: 'D1' });
  });
});

describe('what a decision sends', () => {
  const base = { detail: enquiry(), text: enquiry().draft!.text, reason: '', sendSms: true, smsText: enquiry().draft!.smsText! };

  it('approves the draft with the confirmed topic and the draft id; the SMS travels only when the agent edited it', () => {
    expect(planDecision({ ...base, action: 'approve', selection: currentSelection(base.detail) })).toEqual({
      ok: true,
      body: { action: 'approve', sendSms: true, topic: 'noise_neighbourhood', department: 'HKPF', alsoInvolves: [], draftId: 'D1' },
    });
    const edited = planDecision({ ...base, action: 'approve', smsText: ' 1823: sent on. ', selection: currentSelection(base.detail) });
    expect(edited).toMatchObject({ ok: true, body: { action: 'approve', smsText: '1823: sent on.' } });
  });

  it('refuses to approve a draft written for another topic: redraft first, or edit the reply and the SMS', () => {
    expect(planDecision({ ...base, action: 'approve', selection: corrected })).toEqual({ ok: false, problem: 'redraftBeforeApprove', focus: 'redraft' });
    const text = 'We have passed your enquiry to the Environmental Protection Department.';
    expect(planDecision({ ...base, action: 'approve', text, selection: corrected })).toEqual({ ok: false, problem: 'smsNamesDraftDepartment', focus: 'sms-text' });
    expect(planDecision({ ...base, action: 'approve', text, sendSms: false, selection: corrected })).toEqual({
      ok: true,
      body: { action: 'edit', text, sendSms: false, topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: [], draftId: 'D1' },
    });
    expect(planDecision({ ...base, action: 'approve', text, smsText: '1823: passed to EPD.', selection: corrected })).toMatchObject({ ok: true, body: { action: 'edit', smsText: '1823: passed to EPD.', topic: 'noise_commercial_industrial' } });
  });

  it('rejects only with a reason, confirming the topic all the same; an SMS needs text', () => {
    expect(planDecision({ ...base, action: 'reject', selection: corrected })).toEqual({ ok: false, problem: 'rejectReasonRequired', focus: 'reject-reason' });
    expect(planDecision({ ...base, action: 'reject', reason: ' duplicate ', selection: corrected })).toEqual({
      ok: true,
      body: { action: 'reject', reason: 'duplicate', topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: [], draftId: 'D1' },
    });
    expect(planDecision({ ...base, action: 'approve', smsText: '  ', selection: undefined })).toEqual({ ok: false, problem: 'smsTextRequired', focus: 'sms-text' });
  });
});

describe('applying a reply to the other reports of an incident', () => {
  const incident = {
    incidentId: 'INC-20261124-ABCDEFGHJK',
    topic: 'water_main_burst',
    district: 'kwun-tong' as const,
    place: { en: 'Kwun Tong Road', zh: '觀塘道', kind: 'street' as const },
    firstReportAt: '2026-11-24T03:00:00.000Z',
    lastReportAt: '2026-11-24T04:50:00.000Z',
    reports: 12,
    status: 'open' as const,
    closedReason: null,
  };
  const decision = { decisionId: 'd-1', action: 'approve', agentId: 'agent-7', decidedAt: '2026-11-24T05:00:00.000Z', sendSms: true, finalText: 'Reply' };

  it('is offered once this enquiry has its own approved or edited reply and the incident has other reports', () => {
    expect(canApplyToIncident(enquiry({ incident, decision }))).toBe(true);
    expect(canApplyToIncident(enquiry({ incident, decision: { ...decision, action: 'edit' } }))).toBe(true);
    expect(canApplyToIncident(enquiry({ incident }))).toBe(false);
    expect(canApplyToIncident(enquiry({ incident, decision: { ...decision, action: 'reject' } }))).toBe(false);
    expect(canApplyToIncident(enquiry({ incident: { ...incident, reports: 1 }, decision }))).toBe(false);
    expect(canApplyToIncident(enquiry({ incident: null, decision }))).toBe(false);
    expect(canApplyToIncident(enquiry({ incident, decision: { ...decision, appliedFrom: { enquiryId: 'ENQ-20261124-OTHER', decisionId: 'd-0', incidentId: incident.incidentId } } }))).toBe(false);
  });
});
