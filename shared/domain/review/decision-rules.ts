import type { DecisionRequest, ReviewOutcome } from '../../../events/review-api.ts';
import type { Taxonomy } from '../classification/taxonomy.ts';
import type { AgentDecision, Enquiry, EnquiryContact } from '../enquiry.ts';
import type { EnquiryStatus } from '../../vocabulary/enquiry-statuses.ts';
import type { FieldProblem } from '../errors.ts';
import { draftIdOf, FIRST_DRAFT_ID } from '../drafting/draft-ids.ts';
import { draftBasis, resolveTopicChoice } from '../topic-confirmation.ts';

/** Levenshtein distance over code points (so one Chinese character or emoji counts as one edit). */
export function editDistance(from: string, to: string): number {
  const a = [...from];
  const b = [...to];
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

export const STATUS_AFTER: Record<AgentDecision['action'], EnquiryStatus> = {
  approve: 'approved',
  edit: 'edited',
  reject: 'rejected',
};

export type DecisionCheck =
  | { ok: true; decision: AgentDecision }
  | { ok: false; kind: 'conflict'; currentStatus: EnquiryStatus; detail: string }
  /** Bad input that only the enquiry and the taxonomy reveal (a department the topic does not allow): 400. */
  | { ok: false; kind: 'invalid'; problems: FieldProblem[] }
  | { ok: false; kind: 'unprocessable'; problems: FieldProblem[] };

export interface DecisionContext {
  enquiry: Enquiry;
  contact: EnquiryContact | undefined;
  request: DecisionRequest;
  agentId: string;
  decisionId: string;
  now: Date;
  /** Counts the SMS segments a text needs (see shared/domain/sms/encoding.ts). */
  smsSegments: (text: string) => number;
  maxSmsSegments: number;
  taxonomy: Taxonomy;
}

/**
 * Refuses a decision made on a draft that is no longer the current one. Once an enquiry has been redrafted,
 * a decision must name the draft it was made on, so an agent can never approve a draft they have not seen
 * (a colleague's redraft landing between their reading and their click).
 */
export function staleDraftConflict(enquiry: Enquiry, draftId: string | undefined): string | undefined {
  const current = draftIdOf(enquiry.draft);
  if (draftId !== undefined && draftId !== current) return `the draft ${draftId} was replaced by ${current ?? 'no draft'}; review the current draft`;
  if (draftId === undefined && current !== undefined && current !== FIRST_DRAFT_ID) {
    return `the enquiry was redrafted (now ${current}); review the current draft and send its draftId`;
  }
  return undefined;
}

/**
 * Checks an agent's decision against the enquiry and builds the audit record. Pure: the caller makes the
 * conditional write that lets exactly one of two concurrent decisions win.
 */
export function prepareDecision(context: DecisionContext): DecisionCheck {
  const { enquiry, contact, request } = context;
  if (enquiry.status !== 'awaiting_review' || !enquiry.taskToken) {
    return { ok: false, kind: 'conflict', currentStatus: enquiry.status, detail: `enquiry is ${enquiry.status}, not awaiting_review` };
  }
  const stale = staleDraftConflict(enquiry, request.draftId);
  if (stale) return { ok: false, kind: 'conflict', currentStatus: enquiry.status, detail: stale };
  const resolved = resolveTopicChoice(context.taxonomy, enquiry, request);
  if (!resolved.ok) return { ok: false, kind: 'invalid', problems: resolved.problems };
  const { choice } = resolved;
  const draftText = enquiry.draft?.text ?? '';
  const finalText = request.action === 'edit' ? request.text! : request.action === 'approve' ? draftText : undefined;
  const problems: FieldProblem[] = [];
  if (request.action === 'approve' && draftText === '') problems.push({ field: 'action', problem: 'there is no draft to approve; use "edit" with text' });
  // The draft and its SMS name the topic and department they were written for: approving them under
  // another topic would tell the caller the wrong department.
  const basis = draftBasis(enquiry);
  const draftFits = !basis || (basis.topic === choice.topic && basis.department === choice.department);
  if (!draftFits && request.action === 'approve') {
    problems.push({
      field: basis!.topic === choice.topic ? 'department' : 'topic',
      problem: `the draft was written for ${basis!.topic} (${basis!.department}); redraft it for ${choice.topic} (${choice.department}) with POST /enquiries/{id}/topic, or edit the text`,
    });
  }
  const smsText = request.sendSms ? (request.smsText ?? enquiry.draft?.smsText ?? finalText) : undefined;
  if (!draftFits && request.action === 'edit' && request.sendSms && request.smsText === undefined && enquiry.draft?.smsText) {
    problems.push({ field: 'smsText', problem: `the draft's SMS names ${basis!.department}; give the SMS text or redraft for ${choice.topic} first` });
  }
  if (request.sendSms) {
    if (!enquiry.smsConsent) problems.push({ field: 'sendSms', problem: 'the caller did not consent to SMS' });
    else if (!contact?.callerNumber) problems.push({ field: 'sendSms', problem: 'the enquiry has no caller number to reply to' });
    else if (smsText !== undefined) {
      const segments = context.smsSegments(smsText);
      if (segments > context.maxSmsSegments) {
        problems.push({
          field: request.smsText !== undefined || !enquiry.draft?.smsText ? 'smsText' : 'text',
          problem: `the SMS would need ${segments} segments (at most ${context.maxSmsSegments}); shorten it or send without SMS`,
        });
      }
    }
  }
  if (problems.length > 0) return { ok: false, kind: 'unprocessable', problems };
  const decidedAt = context.now.toISOString();
  return {
    ok: true,
    decision: {
      decisionId: context.decisionId,
      action: request.action,
      agentId: context.agentId,
      decidedAt,
      ...(finalText !== undefined ? { finalText } : {}),
      ...(smsText !== undefined ? { smsText } : {}),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
      sendSms: request.sendSms,
      editDistance: finalText === undefined ? 0 : editDistance(draftText, finalText),
      minutesToDecision: Math.max(0, Math.round((context.now.getTime() - Date.parse(enquiry.receivedAt)) / 60_000)),
      topic: choice,
      ...(draftIdOf(enquiry.draft) ? { draftId: draftIdOf(enquiry.draft)! } : {}),
    },
  };
}

/**
 * True when a request repeats a recorded decision (a retry after its resume failed): the same action, text,
 * reason and SMS, and no different topic. Fields the retry leaves out defaulted the same way the first time.
 */
export function sameDecision(request: DecisionRequest, decision: AgentDecision): boolean {
  const sameList = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  return (
    request.action === decision.action &&
    (request.action !== 'edit' || request.text === decision.finalText) &&
    request.reason === decision.reason &&
    request.sendSms === decision.sendSms &&
    (request.smsText === undefined || request.smsText === decision.smsText) &&
    (request.topic === undefined || request.topic === decision.topic?.topic) &&
    (request.department === undefined || request.department === decision.topic?.department) &&
    (request.alsoInvolves === undefined || sameList(request.alsoInvolves, decision.topic?.alsoInvolves ?? [])) &&
    (request.draftId === undefined || request.draftId === decision.draftId)
  );
}

/** What SendTaskSuccess carries into the workflow: the decision's routing facts and the confirmed topic (ids only). */
export function reviewOutcomeOf(decision: AgentDecision): ReviewOutcome {
  return {
    action: decision.action,
    decisionId: decision.decisionId,
    sendSms: decision.sendSms,
    ...(decision.topic
      ? {
          topic: decision.topic.topic,
          department: decision.topic.department,
          topicCorrected: decision.topic.topicCorrected,
          crossDepartmental: decision.topic.crossDepartmental,
        }
      : {}),
  };
}
