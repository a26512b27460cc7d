/** The console's view of the review API and the local dev endpoints: JSON in, typed errors out. */
import type { EnquirySummary as ApiEnquirySummary } from '../shared/domain/review/enquiry-summary.ts';
import type { AgentTopicChoice, DraftRecord, FieldChange, TopicConfirmation } from '../shared/domain/enquiry.ts';
import type { PickerTaxonomy } from '../shared/domain/topic-confirmation.ts';
import type { IncidentView } from '../shared/domain/incidents/incident.ts';
import type { ApplyResult } from '../shared/domain/review/apply-incident-reply.ts';

/** An incident as GET /incidents and GET /enquiries/{id} show it (ids, topic, district, public place names, count). */
export type Incident = IncidentView;
/** POST /incidents/{id}/apply. */
export type IncidentApplyResult = ApplyResult;
import { t } from './i18n.ts';


export type EnquirySummary = Omit<ApiEnquirySummary, 'status'> & { status: string };

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  problems?: { field: string; problem: string }[];
  currentStatus?: string;
}

export interface EnquiryDetail extends EnquirySummary {
  smsConsent: boolean;
  redactedText: string | null;
  redactedEntities: { type: string; verified?: boolean }[];
  transcription: { language: string; averageConfidence: number; lowConfidence: boolean; durationSeconds: number } | null;
  topicResult: {
    topic: string;
    department: string;
    urgency: string;
    confidence: number;
    rationale: string;
    source: string;
    degraded?: boolean;
    /** What the caller wants: enquiry, complaint, service_request, compliment. */
    caseType?: string;
    /** False: the classifier was unsure and the agent must check the topic. */
    accepted?: boolean;
    /** The model's top three (topic, department, confidence), for one-click correction. */
    candidates?: { topic: string; department: string; confidence: number }[];
  } | null;
  /** The agent's topic choice before deciding (a redraft sets it): topic, department, alsoInvolves and the AI's answer. */
  topicChoice: AgentTopicChoice | null;
  draft: {
    /** D1 for the workflow's draft, D2… after a topic correction redrafted it; send it back with the decision. */
    draftId?: string;
    topic?: string | null;
    department?: string | null;
    text: string;
    language: string;
    script: string;
    source: string;
    flags: { kind: string; detail: string }[];
    citedArticles: { id: string; title: string; titleZhHant?: string }[];
    /** The short follow-up SMS rendered from the knowledge base's template; null on drafts made before it existed. */
    smsText: string | null;
    /** The server's preview of smsText (or of the reply when there is none). */
    sms: { encoding: string; segments: number; units: number };
  } | null;
  decision: {
    decisionId: string;
    action: string;
    agentId: string;
    decidedAt: string;
    finalText?: string;
    smsText?: string;
    reason?: string;
    sendSms: boolean;
    /** The topic the agent confirmed or corrected with the decision. */
    topic?: TopicConfirmation;
    draftId?: string;
    /** Set when the reply was reviewed on another report of the same incident and applied here. */
    appliedFrom?: { enquiryId: string; decisionId: string; incidentId: string };
  } | null;
  /** The incident this enquiry is a report of, or null. */
  incident: Incident | null;
  sms: { messageId?: string; segments?: number; encoding?: string; failure?: string; at: string } | null;
  audit: {
    at: string;
    from: string | null;
    to: string;
    actor: string;
    note?: string;
    /** Who changed what from what to what (topic corrections, redrafts). */
    changes?: FieldChange[];
    /** The draft a redraft replaced. */
    previousDraft?: Pick<DraftRecord, 'draftId' | 'topic' | 'department' | 'text' | 'smsText' | 'citedArticleIds'>;
  }[];
}

/** GET /taxonomy: topic names in English and Chinese to search, each topic's allowed departments. */
export type Taxonomy = PickerTaxonomy;

/** POST /enquiries/{id}/topic answers with the enquiry as GET /enquiries/{id} shows it. */
export interface TopicCorrectionResult {
  redrafted: boolean;
  changes: FieldChange[];
  enquiry: EnquiryDetail;
}

export interface Session {
  name: string;
  role: 'agent' | 'supervisor';
}

export interface OutboxMessage {
  to: string;
  text: string;
  parts: number | unknown[];
  encoding: string;
  at: string;
}

export interface Progress {
  executions: { enquiryId: string; status: string; states: string[]; current: string | null }[];
  events: { at: string; enquiryId: string; state: string }[];
}

let unauthorized: () => void = () => undefined;

/** Called when the API answers 401 (session expired or signed out elsewhere). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/**
 * Deployed (config.json in cognito mode): `/api/...` paths go to the HTTP API at baseUrl, without the `/api`
 * prefix, with `Authorization: Bearer <access token>` and no cookies. Locally they stay same-origin.
 */
export interface BearerTransport {
  baseUrl: string;
  token(): Promise<string | undefined>;
}

let bearer: BearerTransport | undefined;

export function useBearerTransport(transport: BearerTransport): void {
  bearer = transport;
}

/** True when the console talks to the deployed API with Cognito tokens. */
export function bearerMode(): boolean {
  return bearer !== undefined;
}

/** Where a console API path is served: same-origin locally, the HTTP API when deployed. */
export function apiHref(path: string): string {
  return bearer && path.startsWith('/api/') ? `${bearer.baseUrl}${path.slice('/api'.length)}` : path;
}

async function request(path: string, init: { method?: string; body?: unknown; accept?: string }): Promise<Response> {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let credentials: RequestCredentials = 'same-origin';
  if (bearer && path.startsWith('/api/')) {
    const token = await bearer.token();
    if (!token) {
      unauthorized();
      throw new ApiError(401, { title: 'Unauthorized', status: 401, detail: t('signInRequired') });
    }
    headers['authorization'] = `Bearer ${token}`;
    credentials = 'omit';
  }
  try {
    return await fetch(apiHref(path), {
      method: init.method ?? 'GET',
      headers,
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      credentials,
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', status: 0, detail: t(bearer ? 'errorNetworkApi' : 'errorNetwork') });
  }
}

function problemOf(parsed: unknown): Problem | undefined {
  return isRecord(parsed) && typeof parsed['title'] === 'string' ? (parsed as unknown as Problem) : undefined;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await request(path, init);
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && !path.startsWith('/dev/')) unauthorized();
    throw new ApiError(response.status, problemOf(parsed));
  }
  return parsed as T;
}

/** Fetches a report with the Bearer token and saves it as a file (a plain link could not carry the token). */
export async function download(path: string, filename: string): Promise<void> {
  const response = await request(path, { accept: '*/*' });
  if (!response.ok) {
    if (response.status === 401) unauthorized();
    throw new ApiError(response.status, problemOf(safeJson(await response.text())));
  }
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
