/**
 * The enquiry detail view's state and the rules over it, free of the DOM: which topic the agent has chosen,
 * whether the draft fits it, the topic search, and what a decision sends. The parts render from this state;
 * index.tsx changes it and renders again.
 */
import type { EnquiryDetail, IncidentApplyResult, Taxonomy } from '../../api.ts';
import type { Locale, MessageKey } from '../../i18n.ts';

/** The topic, department and "also involves" departments the agent has chosen (what the decision confirms). */
export interface TopicSelection {
  topic: string;
  department: string;
  alsoInvolves: string[];
}

/** Most departments "also involves" may list: MAX_ALSO_INVOLVES in events/review-api.ts (a unit test keeps them equal). */
export const MAX_ALSO_INVOLVES = 5;

/** Results the topic search shows at once; the agent narrows the query for more. */
export const SEARCH_LIMIT = 8;

export interface DetailState {
  detail?: EnquiryDetail;
  loadError?: unknown;
  /** The reply as the agent has it (the draft, or their edit). */
  text: string;
  /** The SMS field: the draft's template SMS, edited by the agent. */
  smsText: string;
  /** Drafts without a template SMS send the reply: until the agent edits the SMS field, it follows the reply. */
  smsTouched: boolean;
  sendSms: boolean;
  rejecting: boolean;
  reason: string;
  submitting: boolean;
  decisionError?: unknown;
  /** A client-side check stopped the decision (e.g. approving a draft written for another topic). */
  decisionProblem?: MessageKey;
  recorded?: string;
  /** The topic the decision will confirm; starts at the enquiry's current topic. */
  selection?: TopicSelection;
  search: { query: string; active: number };
  taxonomy?: Taxonomy;
  taxonomyError?: unknown;
  redrafting: boolean;
  topicError?: unknown;
  /** What the last topic action did (a new draft, nothing to redraft, a colleague's change reloaded). */
  notice?: { kind: 'redrafted' | 'conflict'; text: string };
  /** The agent's edit of the reply when a conflict reloaded the enquiry under it: shown so it is not lost. */
  unsentEdit?: string;
  /** Applying this enquiry's reply to the other reports of its incident: asking to confirm, running, the answer. */
  incidentApply: { confirming: boolean; running: boolean; result?: IncidentApplyResult; error?: unknown };
}

/**
 * Whether this enquiry's reply can be applied to the other reports of its incident: it has an incident with
 * other reports, an approved or edited reply of its own (not one applied from another report).
 */
export function canApplyToIncident(detail: EnquiryDetail | undefined): boolean {
  if (!detail?.incident || detail.incident.reports < 2) return false;
  const decision = detail.decision;
  return Boolean(decision && decision.action !== 'reject' && !decision.appliedFrom);
}

export function initialState(): DetailState {
  return { text: '', smsText: '', smsTouched: false, sendSms: false, rejecting: false, reason: '', submitting: false, search: { query: '', active: 0 }, redrafting: false, incidentApply: { confirming: false, running: false } };
}

/** The fields that follow the enquiry as loaded (after a load, a redraft or a decision). */
export function fromDetail(detail: EnquiryDetail): Pick<DetailState, 'detail' | 'text' | 'smsText' | 'smsTouched' | 'sendSms' | 'selection'> {
  const text = detail.decision?.finalText ?? detail.draft?.text ?? '';
  return {
    detail,
    text,
    smsText: detail.decision?.smsText ?? detail.draft?.smsText ?? text,
    smsTouched: false,
    sendSms: detail.decision ? detail.decision.sendSms : detail.smsConsent && detail.status === 'awaiting_review',
    selection: currentSelection(detail),
  };
}

/** Where the enquiry stands: the decision's topic, else the agent's earlier choice (a redraft), else the AI's. */
export function currentSelection(detail: EnquiryDetail): TopicSelection | undefined {
  const confirmed = detail.decision?.topic ?? detail.topicChoice;
  if (confirmed) return { topic: confirmed.topic, department: confirmed.department, alsoInvolves: [...confirmed.alsoInvolves] };
  const ai = detail.topicResult;
  return ai ? { topic: ai.topic, department: ai.department, alsoInvolves: [] } : undefined;
}

/** The topic and department the current draft was written for (the API fills in the AI's for older drafts). */
export function draftRoute(detail: EnquiryDetail): { topic: string; department: string } | undefined {
  const draft = detail.draft;
  return draft?.topic && draft.department ? { topic: draft.topic, department: draft.department } : undefined;
}

/** True when the draft names another topic or department than the one chosen: approving it needs a redraft first. */
export function needsRedraft(detail: EnquiryDetail, selection: TopicSelection | undefined): boolean {
  if (!selection) return false;
  const route = draftRoute(detail);
  return !route || route.topic !== selection.topic || route.department !== selection.department;
}

/** The language the draft is written in, for the text fields' lang attribute (fonts, spell-checking, screen readers). */
export function draftLang(detail: EnquiryDetail): string | undefined {
  const script = detail.draft?.script;
  return script === 'en' ? 'en' : script === 'zh-Hans' ? 'zh-Hans' : detail.draft ? 'zh-Hant' : undefined;
}

export const isOpen = (detail: EnquiryDetail | undefined): boolean => detail?.status === 'awaiting_review';

export const isEdited = (detail: EnquiryDetail, text: string): boolean => text !== (detail.draft?.text ?? '');

/** What the API sends when the decision carries no smsText: the draft's SMS, else the (final) reply. */
export const defaultSms = (detail: EnquiryDetail, text: string): string => detail.draft?.smsText ?? text;

/** The SMS as the API will send it (it trims the agent's edit). */
export const outgoingSms = (smsText: string): string => smsText.trim();

export const isSmsEdited = (detail: EnquiryDetail, smsText: string, text: string): boolean => outgoingSms(smsText) !== defaultSms(detail, text);

/** Picks a topic: its own department unless another the taxonomy allows is given; "also involves" never repeats the department. */
export function chooseTopic(taxonomy: Taxonomy | undefined, selection: TopicSelection | undefined, topic: string, department?: string): TopicSelection {
  const entry = taxonomy?.topics.find((candidate) => candidate.id === topic);
  const allowed = entry?.departments ?? (department ? [department] : []);
  const chosen = department && (allowed.length === 0 || allowed.includes(department)) ? department : (entry?.department ?? department ?? selection?.department ?? '');
  return { topic, department: chosen, alsoInvolves: (selection?.alsoInvolves ?? []).filter((other) => other !== chosen) };
}

export function chooseDepartment(selection: TopicSelection, department: string): TopicSelection {
  return { ...selection, department, alsoInvolves: selection.alsoInvolves.filter((other) => other !== department) };
}

export function toggleAlsoInvolves(selection: TopicSelection, department: string, on: boolean): TopicSelection {
  const others = selection.alsoInvolves.filter((other) => other !== department);
  if (!on || department === selection.department || others.length >= MAX_ALSO_INVOLVES) return { ...selection, alsoInvolves: others };
  return { ...selection, alsoInvolves: [...others, department] };
}

export const sameSelection = (a: TopicSelection | undefined, b: TopicSelection | undefined): boolean =>
  a?.topic === b?.topic && a?.department === b?.department && [...(a?.alsoInvolves ?? [])].sort().join() === [...(b?.alsoInvolves ?? [])].sort().join();

const normalise = (text: string): string => text.normalize('NFKC').toLowerCase();

/**
 * Topics matching every word of the query in their English, Traditional or Simplified Chinese name, their
 * id, or their department's id and names. Names that start with the query come first, then names that hold
 * it whole, then the rest; each group in the interface language's order.
 */
export function searchTopics(taxonomy: Taxonomy | undefined, query: string, locale: Locale, limit = SEARCH_LIMIT): Taxonomy['topics'] {
  const words = normalise(query).split(/\s+/).filter(Boolean);
  if (!taxonomy || words.length === 0) return [];
  const whole = words.join(' ');
  const departments = new Map(taxonomy.departments.map((department) => [department.id, department]));
  const scored: { topic: Taxonomy['topics'][number]; rank: number }[] = [];
  for (const topic of taxonomy.topics) {
    const names = [topic.names.en, topic.names['zh-Hant'], topic.names['zh-Hans']].map(normalise);
    const department = departments.get(topic.department);
    const haystack = [...names, topic.id.replaceAll('_', ' '), topic.department, ...(department ? [department.names.en, department.names['zh-Hant'], department.shortName.en, department.shortName['zh-Hant']] : [])]
      .map(normalise)
      .join(' | ');
    if (!words.every((word) => haystack.includes(word))) continue;
    const rank = names.some((name) => name.startsWith(whole)) ? 0 : names.some((name) => name.includes(whole)) ? 1 : 2;
    scored.push({ topic, rank });
  }
  const tag = locale === 'en' ? 'en-HK' : 'zh-HK';
  return scored
    .sort((a, b) => a.rank - b.rank || a.topic.names[locale].localeCompare(b.topic.names[locale], tag))
    .slice(0, limit)
    .map(({ topic }) => topic);
}

export interface DecisionInput {
  action: 'approve' | 'reject';
  detail: EnquiryDetail;
  text: string;
  reason: string;
  sendSms: boolean;
  smsText: string;
  selection?: TopicSelection | undefined;
}

/** Where the console moves focus when it refuses a decision before sending it. */
export type DecisionFocus = 'reject-reason' | 'sms-text' | 'redraft';

export type DecisionPlan = { ok: true; body: Record<string, unknown> } | { ok: false; problem: MessageKey; focus: DecisionFocus };

/**
 * What POST /enquiries/{id}/decision gets for the agent's action, or why the console will not send it. The
 * chosen topic always travels (that is the agent's confirmation); so does the draft id, so a colleague's
 * redraft in between is a 409 rather than an approval of a draft the agent never saw. Approving a draft
 * written for another topic is refused here as the API would (422): redraft first, or edit the reply.
 */
export function planDecision(input: DecisionInput): DecisionPlan {
  const { detail, selection } = input;
  const body: Record<string, unknown> = {};
  if (input.action === 'reject') {
    if (!input.reason.trim()) return { ok: false, problem: 'rejectReasonRequired', focus: 'reject-reason' };
    Object.assign(body, { action: 'reject', reason: input.reason.trim() });
  } else {
    if (input.sendSms && !outgoingSms(input.smsText)) return { ok: false, problem: 'smsTextRequired', focus: 'sms-text' };
    const edited = isEdited(detail, input.text);
    const smsEdited = isSmsEdited(detail, input.smsText, input.text);
    if (detail.draft && needsRedraft(detail, selection)) {
      if (!edited) return { ok: false, problem: 'redraftBeforeApprove', focus: 'redraft' };
      if (input.sendSms && detail.draft.smsText && !smsEdited) return { ok: false, problem: 'smsNamesDraftDepartment', focus: 'sms-text' };
    }
    Object.assign(body, edited || !detail.draft ? { action: 'edit', text: input.text, sendSms: input.sendSms } : { action: 'approve', sendSms: input.sendSms });
    // Only the agent's edit travels; otherwise the API sends the draft's SMS.
    if (input.sendSms && smsEdited) body['smsText'] = outgoingSms(input.smsText);
  }
  if (selection) Object.assign(body, { topic: selection.topic, department: selection.department, alsoInvolves: [...selection.alsoInvolves] });
  if (detail.draft?.draftId) body['draftId'] = detail.draft.draftId;
  return { ok: true, body };
}

/** What POST /enquiries/{id}/topic gets: the chosen topic and the draft the agent is looking at. */
export function redraftRequest(detail: EnquiryDetail, selection: TopicSelection): Record<string, unknown> {
  return {
    topic: selection.topic,
    department: selection.department,
    alsoInvolves: [...selection.alsoInvolves],
    ...(detail.draft?.draftId ? { draftId: detail.draft.draftId } : {}),
  };
}

/** What the parts may ask of the view (index.tsx carries them out and renders again). */
export interface DetailActions {
  setText(text: string): void;
  setSmsText(text: string): void;
  setSendSms(on: boolean): void;
  setReason(reason: string): void;
  setRejecting(on: boolean): void;
  decide(action: 'approve' | 'reject'): void;
  next(): void;
  /** True when the queue holds another enquiry to move on to. */
  canGoNext(): boolean;
  setQuery(query: string): void;
  moveActive(delta: number): void;
  /** Chooses a topic (with a department the taxonomy allows for it, else its own) and moves on to the redraft button. */
  chooseTopic(topic: string, department?: string): void;
  chooseDepartment(department: string): void;
  toggleAlsoInvolves(department: string, on: boolean): void;
  resetTopic(): void;
  redraft(): void;
  /** Asks to confirm (true), cancels (false). */
  confirmIncidentApply(confirming: boolean): void;
  applyToIncident(): void;
  closeIncident(): void;
}
