import { createHash } from 'node:crypto';
import type { IntakeMessage } from '../../events/intake-message.ts';
import type { EnquiryStatus } from '../vocabulary/enquiry-statuses.ts';
import type { Language } from '../vocabulary/languages.ts';
import type { EnquiryLocation } from '../vocabulary/districts.ts';

export type EnquiryChannel = 'voicemail' | 'web' | 'email' | 'app';

/** What the workflow and agents see. Holds no raw personal data: that lives in `EnquiryContact`. */
export interface Enquiry {
  enquiryId: string;
  /** Idempotency key of the message that created it: call id or written message id. */
  sourceId: string;
  channel: EnquiryChannel;
  status: EnquiryStatus;
  languageHint?: Language;
  smsConsent: boolean;
  hasAudio: boolean;
  receivedAt: string;
  createdAt: string;
  updatedAt: string;
  correlationId: string;
  /** Set when the enquiry moves to needs_manual: why, in words an agent can act on (no personal data). */
  manualReason?: string;
  /** Language of the enquiry once known (transcription language id, or detected from text). */
  language?: Language;
  transcription?: TranscriptionSummary;
  /** Text with personal data replaced by placeholders: the only text models, logs and agents' lists see. */
  redactedText?: string;
  /** Where personal data was found (type and offsets into the raw text; never the values). */
  redactedEntities?: { type: string; start: number; end: number; verified?: boolean }[];
  topic?: TopicResultRecord;
  /** Where the enquiry is about (district and gazetteer place, never flat or floor), set by the classify step. */
  location?: EnquiryLocation;
  draft?: DraftRecord;
  /** The agent's decision once made (audit: who, when, what changed). */
  decision?: AgentDecision;
  /** Delivery result of the follow-up SMS. */
  sms?: { messageId?: string; segments?: number; encoding?: string; failure?: string; at: string };
  /** The topic as an agent confirmed or corrected it before deciding (a redraft sets it); final in `decision.topic`. */
  agentTopic?: AgentTopicChoice;
  /** Token of the `.waitForTaskToken` step the enquiry is parked in. Never logged, never shown by the API. */
  taskToken?: string;
  /**
   * Set while a recorded decision has not yet resumed the workflow: the task token is kept until
   * SendTaskSuccess succeeded, so the same decision can be retried (see shared/domain/review/decide-enquiry.ts).
   */
  resumePending?: { decisionId: string; since: string };
  /** Optimistic-concurrency version, bumped by every write of the enquiry item (absent on items never rewritten). */
  revision?: number;
  /** True when a step fell back to a local model because Bedrock was unavailable. */
  degraded?: boolean;
  // Personal data lifecycle (shared/domain/retention.ts), written by the store:
  /** When the enquiry reached a settled status: the retention clock of its raw and redacted data starts. */
  settledAt?: string;
  /** Epoch seconds at which DynamoDB TTL deletes this record (set when it settles). */
  expiresAt?: number;
  /** HMAC of the caller's number (keyed, KMS on AWS): finds a caller's enquiries for a data access request. */
  callerHash?: string;
  /** Raw contact data erased on the caller's request (the redacted record stays until its own expiry). */
  contactErasedAt?: string;
}

/** What the transcription step keeps about a voicemail transcript (the text itself is in EnquiryContact). */
export interface TranscriptionSummary {
  jobName: string;
  language: Language;
  averageConfidence: number;
  lowConfidence: boolean;
  durationSeconds: number;
}

/** Topic result as stored (see shared/domain/classification/topic-result.ts for the validated shape). */
export interface TopicResultRecord {
  topic: string;
  department: string;
  urgency: string;
  confidence: number;
  language: Language;
  rationale: string;
  source: string;
  /** What the caller wants (enquiry, complaint, service request, compliment). */
  caseType?: string;
  /** False: the classifier was unsure, the agent must check the topic. */
  accepted?: boolean;
  /** The local model's top three topics with their confidence, for the agent's picker. */
  candidates?: { topic: string; department: string; confidence: number }[];
  degraded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
}

/** Draft reply as stored (see shared/domain/drafting/draft-reply.ts for the validated shape). */
export interface DraftRecord {
  /** D1 for the workflow's draft, D2, D3… for redrafts after a topic correction (absent on drafts made before ids existed: D1). */
  draftId?: string;
  /** The topic and department the draft was written for (absent on older drafts: the AI's). */
  topic?: string;
  department?: string;
  text: string;
  /** The short follow-up SMS for this reply (from the SMS template), if the agent chooses to send one. */
  smsText?: string;
  language: Language;
  script: string;
  citedArticleIds: string[];
  flags: { kind: string; detail: string }[];
  source: string;
  degraded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
}

/**
 * Raw personal data kept apart from what models see (DESIGN.md §4). Stored in its own item of the
 * KMS-encrypted table and read only by the steps that must (redaction, SMS).
 */
export interface EnquiryContact {
  enquiryId: string;
  callerNumber?: string;
  email?: string;
  /** Raw written text or raw transcript, before redaction. */
  rawText?: string;
  audio?: { bucket: string; key: string };
}

/** An agent's decision on a drafted reply. */
export interface AgentDecision {
  decisionId: string;
  action: 'approve' | 'edit' | 'reject';
  agentId: string;
  decidedAt: string;
  /** The reply as sent or approved (absent on reject). */
  finalText?: string;
  /** The SMS to send when `sendSms` (the draft's SMS text, or the agent's edit of it). */
  smsText?: string;
  reason?: string;
  sendSms: boolean;
  /** Levenshtein distance between the draft and the final text, in characters. */
  editDistance: number;
  /** The topic the agent confirmed or corrected with this decision (absent on decisions made before topics were confirmed). */
  topic?: TopicConfirmation;
  /** The draft the decision was made on. */
  draftId?: string;
  /** Minutes from the enquiry arriving to the decision. */
  minutesToDecision: number;
  /** The reply was reviewed on another enquiry of the same incident and applied here (that enquiry's id). */
  appliedFrom?: { enquiryId: string; decisionId: string; incidentId: string };
}

/**
 * The topic an agent confirmed (same as the AI's) or corrected, with the AI's answer beside it so reports
 * and retraining can see what changed. Ids only: no text.
 */
export interface TopicConfirmation {
  topic: string;
  department: string;
  /** Other departments the enquiry also involves; any makes it cross-departmental. */
  alsoInvolves: string[];
  crossDepartmental: boolean;
  /** What the AI said (null when the enquiry was never classified). */
  aiTopic: string | null;
  aiDepartment: string | null;
  /** The agent chose another topic than the AI's. */
  topicCorrected: boolean;
  /** The agent chose another department than the AI's. */
  departmentChanged: boolean;
}

/** An agent's topic choice recorded before the decision (by a redraft). */
export interface AgentTopicChoice extends TopicConfirmation {
  agentId: string;
  at: string;
}

/** One field an agent changed: what from, what to. Ids and draft ids only, never text. */
export interface FieldChange {
  field: 'topic' | 'department' | 'alsoInvolves' | 'draft';
  from: string | string[] | null;
  to: string | string[] | null;
}

/** Append-only record of a status change (or of a change made while the status stayed, e.g. a redraft). */
export interface AuditEvent {
  enquiryId: string;
  at: string;
  from: EnquiryStatus | null;
  to: EnquiryStatus;
  actor: string;
  note?: string;
  /** Who changed what from what to what (topic corrections, redrafts). */
  changes?: FieldChange[];
  /** The draft a redraft replaced, kept whole so the trail shows what the agent saw before. */
  previousDraft?: DraftRecord;
}

/** The source id of a message: the key that makes intake idempotent. */
export function sourceIdOf(message: IntakeMessage): string {
  return message.kind === 'voicemail' ? `voicemail:${message.callId}` : `${message.channel}:${message.messageId}`;
}

/**
 * Enquiry ids are derived from the source id so a redelivered message maps to the same enquiry and the
 * same execution name, whichever intake attempt gets there first. Format: ENQ-YYYYMMDD-<12 base32 chars>.
 */
export function enquiryIdFor(message: IntakeMessage): string {
  const digest = createHash('sha256').update(sourceIdOf(message)).digest();
  const day = message.receivedAt.slice(0, 10).replaceAll('-', '');
  return `ENQ-${day}-${toBase32(digest).slice(0, 12)}`;
}

// Crockford-style: no I, L, O, U, so ids read aloud over the phone are unambiguous.
const BASE32_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Builds the records intake writes for a valid message. Pure: the caller supplies the time and correlation id. */
export function newEnquiryFrom(
  message: IntakeMessage,
  now: string,
  correlationId: string,
): { enquiry: Enquiry; contact: EnquiryContact } {
  const enquiryId = enquiryIdFor(message);
  const common = {
    enquiryId,
    sourceId: sourceIdOf(message),
    status: 'received' as const,
    smsConsent: message.smsConsent,
    receivedAt: message.receivedAt,
    createdAt: now,
    updatedAt: now,
    correlationId,
    ...(message.languageHint ? { languageHint: message.languageHint } : {}),
  };
  if (message.kind === 'voicemail') {
    return {
      enquiry: { ...common, channel: 'voicemail', hasAudio: true },
      contact: { enquiryId, callerNumber: message.callerNumber, audio: message.audio },
    };
  }
  return {
    enquiry: { ...common, channel: message.channel, hasAudio: false },
    contact: {
      enquiryId,
      rawText: message.text,
      ...(message.contact.phone ? { callerNumber: message.contact.phone } : {}),
      ...(message.contact.email ? { email: message.contact.email } : {}),
    },
  };
}

/** The execution input: identifiers and routing facts only, never personal data (execution history is widely readable). */
export interface WorkflowInput {
  enquiryId: string;
  correlationId: string;
  hasAudio: boolean;
}

export function workflowInputFor(enquiry: Enquiry): WorkflowInput {
  return { enquiryId: enquiry.enquiryId, correlationId: enquiry.correlationId, hasAudio: enquiry.hasAudio };
}
