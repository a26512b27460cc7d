import type { AuditEvent, Enquiry, EnquiryContact } from '../enquiry.ts';
import type { EnquiryStatus } from '../../vocabulary/enquiry-statuses.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter, isExpired, isSettled } from '../retention.ts';
import type { CallerHasher } from '../../ports/caller-hasher.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { PrivacyRecords, PrivacyRequestRecord } from '../../ports/privacy-records.ts';

export interface PrivacyDeps {
  records: PrivacyRecords;
  /** With the restricted table: the export holds the raw contact data too. */
  store: EnquiryStore;
  hasher: CallerHasher;
  clock: Clock;
  newRequestId: () => string;
}

/** Who acted, in the caller's export: the kind of actor, not staff members' identities (their own personal data). */
function actorKind(actor: string): string {
  return actor.split(':')[0] ?? actor;
}

const epochIso = (seconds: number | undefined): string | null => (seconds === undefined ? null : new Date(seconds * 1000).toISOString());

/** One enquiry as a caller's export shows it: what is held, raw and redacted, with the dates it will be deleted. */
export interface ExportedEnquiry {
  enquiryId: string;
  channel: Enquiry['channel'];
  status: EnquiryStatus;
  receivedAt: string;
  settledAt: string | null;
  language: string | null;
  /** Raw contact data as held in the restricted table; null once erased or expired. */
  contact: { callerNumber: string | null; email: string | null; rawText: string | null; audio: { bucket: string; key: string } | null } | null;
  contactErasedAt: string | null;
  redactedText: string | null;
  topic: { topic: string; department: string; caseType: string | null } | null;
  draftReply: string | null;
  decision: { action: string; decidedAt: string; replyText: string | null; smsText: string | null; sendSms: boolean; reason: string | null } | null;
  sms: { sentAt: string; delivered: boolean; failure: string | null } | null;
  history: { at: string; from: EnquiryStatus | null; to: EnquiryStatus; by: string; note: string | null }[];
  deletion: { rawContactBy: string | null; recordBy: string | null };
}

export interface CallerDataExport {
  requestId: string;
  generatedAt: string;
  /** The number the request was made for (the caller gave it; it is not read from the index). */
  number: string;
  enquiries: ExportedEnquiry[];
}

type StoredContact = EnquiryContact & { erasedAt?: string; [EXPIRES_AT_ATTRIBUTE]?: number };

function exportedEnquiry(enquiry: Enquiry, audit: AuditEvent[], contact: StoredContact | undefined): ExportedEnquiry {
  const decision = enquiry.decision;
  const rawContact = contact && !contact.erasedAt ? contact : undefined;
  return {
    enquiryId: enquiry.enquiryId,
    channel: enquiry.channel,
    status: enquiry.status,
    receivedAt: enquiry.receivedAt,
    settledAt: enquiry.settledAt ?? null,
    language: enquiry.language ?? enquiry.languageHint ?? null,
    contact: rawContact
      ? { callerNumber: rawContact.callerNumber ?? null, email: rawContact.email ?? null, rawText: rawContact.rawText ?? null, audio: rawContact.audio ?? null }
      : null,
    contactErasedAt: enquiry.contactErasedAt ?? contact?.erasedAt ?? null,
    redactedText: enquiry.redactedText ?? null,
    topic: enquiry.topic
      ? { topic: decision?.topic?.topic ?? enquiry.topic.topic, department: decision?.topic?.department ?? enquiry.topic.department, caseType: enquiry.topic.caseType ?? null }
      : null,
    draftReply: enquiry.draft?.text ?? null,
    decision: decision
      ? { action: decision.action, decidedAt: decision.decidedAt, replyText: decision.finalText ?? null, smsText: decision.sendSms ? (decision.smsText ?? decision.finalText ?? null) : null, sendSms: decision.sendSms, reason: decision.reason ?? null }
      : null,
    sms: enquiry.sms ? { sentAt: enquiry.sms.at, delivered: enquiry.status === 'sms_sent', failure: enquiry.sms.failure ?? null } : null,
    history: audit.map((event) => ({ at: event.at, from: event.from, to: event.to, by: actorKind(event.actor), note: event.note ?? null })),
    deletion: { rawContactBy: epochIso(contact?.[EXPIRES_AT_ATTRIBUTE]), recordBy: epochIso(enquiry.expiresAt) },
  };
}

/** The caller's enquiries still held (DynamoDB TTL deletes within days of expiry: an expired item is not served). */
async function heldEnquiries(callerHash: string, deps: PrivacyDeps, now: Date): Promise<{ enquiry: Enquiry; audit: AuditEvent[]; contact: StoredContact | undefined }[]> {
  const ids = await deps.records.enquiryIdsOfCaller(callerHash);
  const held = [];
  for (const enquiryId of [...new Set(ids)].sort()) {
    const enquiry = await deps.store.get(enquiryId);
    if (!enquiry || isExpired(enquiry as unknown as Record<string, unknown>, now)) continue;
    const stored = (await deps.store.getContact(enquiryId)) as StoredContact | undefined;
    const contact = stored && !isExpired(stored as unknown as Record<string, unknown>, now) ? stored : undefined;
    held.push({ enquiry, audit: await deps.store.auditTrail(enquiryId), contact });
  }
  return held.sort((a, b) => Date.parse(a.enquiry.receivedAt) - Date.parse(b.enquiry.receivedAt));
}

function auditRecord(base: Omit<PrivacyRequestRecord, 'at' | 'requestId'>, deps: PrivacyDeps, at: string): PrivacyRequestRecord {
  return { requestId: deps.newRequestId(), at, ...base };
}

/**
 * A data access request (PDPO DPP6): everything held for the number, found through the keyed-hash index,
 * and an audit record of who asked, when, for which hash. The audit is written before the export is
 * returned: an export that cannot be audited is not given.
 */
export async function exportCallerData(request: { number: string; actor: string }, deps: PrivacyDeps): Promise<CallerDataExport> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const callerHash = await deps.hasher.hash(request.number);
  const held = await heldEnquiries(callerHash, deps, now);
  const record = auditRecord({ action: 'export', actor: request.actor, callerHash, enquiryIds: held.map((h) => h.enquiry.enquiryId) }, deps, at);
  await deps.records.recordRequest(record);
  return { requestId: record.requestId, generatedAt: at, number: request.number, enquiries: held.map((h) => exportedEnquiry(h.enquiry, h.audit, h.contact)) };
}

export interface ErasureResult {
  requestId: string;
  erased: string[];
  skipped: { enquiryId: string; reason: string }[];
}

/**
 * Erasure on request: the raw contact data (number, email, raw text, audio location) of the caller's
 * settled enquiries is removed at once; the redacted record, its audit trail and the report counters stay
 * (no personal data in counters; the record expires on its own). Enquiries still being handled keep their
 * contact data (a reply may still be owed) and are listed with the reason. Each erased enquiry's audit
 * trail says so, and the request itself is audited.
 */
export async function eraseCallerContactData(request: { number: string; actor: string }, deps: PrivacyDeps): Promise<ErasureResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const callerHash = await deps.hasher.hash(request.number);
  const held = await heldEnquiries(callerHash, deps, now);
  const erased: string[] = [];
  const skipped: ErasureResult['skipped'] = [];
  for (const { enquiry, contact } of held) {
    if (!isSettled(enquiry.status)) {
      skipped.push({ enquiryId: enquiry.enquiryId, reason: `still being handled (${enquiry.status}); erase once it is settled` });
      continue;
    }
    if (!contact || contact.erasedAt) {
      skipped.push({ enquiryId: enquiry.enquiryId, reason: 'no raw contact data held' });
      continue;
    }
    await deps.records.eraseContact(enquiry.enquiryId, at, enquiry.expiresAt ?? expiryAfter(at, RETENTION.enquiryRecordDaysAfterSettled));
    await deps.store.changeStatus({
      enquiryId: enquiry.enquiryId,
      expectedStatus: enquiry.status,
      to: enquiry.status,
      actor: request.actor,
      at,
      note: 'raw contact data erased at the caller’s request',
      patch: { contactErasedAt: at },
    });
    erased.push(enquiry.enquiryId);
  }
  const record = auditRecord({ action: 'erasure', actor: request.actor, callerHash, enquiryIds: held.map((h) => h.enquiry.enquiryId), erased, skipped }, deps, at);
  await deps.records.recordRequest(record);
  return { requestId: record.requestId, erased, skipped };
}
