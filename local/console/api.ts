/** The console's view of the review API and the local dev endpoints: JSON in, typed errors out. */
import type { summaryOf } from '../../functions/review-api/handle.ts';
import { t } from './i18n.ts';


export type EnquirySummary = Omit<ReturnType<typeof summaryOf>, 'status'> & { status: string };

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
  topicResult: { topic: string; department: string; urgency: string; confidence: number; rationale: string; source: string; degraded?: boolean } | null;
  draft: {
    text: string;
    language: string;
    script: string;
    source: string;
    flags: { kind: string; detail: string }[];
    citedArticles: { id: string; title: string }[];
    /** The short follow-up SMS rendered from the knowledge base's template; null on drafts made before it existed. */
    smsText: string | null;
    /** The server's preview of smsText (or of the reply when there is none). */
    sms: { encoding: string; segments: number; units: number };
  } | null;
  decision: { decisionId: string; action: string; agentId: string; decidedAt: string; finalText?: string; smsText?: string; reason?: string; sendSms: boolean } | null;
  sms: { messageId?: string; segments?: number; encoding?: string; failure?: string; at: string } | null;
  audit: { at: string; from: string | null; to: string; actor: string; note?: string }[];
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

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', status: 0, detail: t('errorNetwork') });
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const problem = isRecord(parsed) && typeof parsed['title'] === 'string' ? (parsed as unknown as Problem) : undefined;
    if (response.status === 401 && !path.startsWith('/dev/')) unauthorized();
    throw new ApiError(response.status, problem);
  }
  return parsed as T;
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
