import type { DecisionRequest } from '../../events/review.ts';
import type { AgentDecision, Enquiry, EnquiryContact, EnquiryStatus } from './enquiry.ts';
import type { FieldProblem } from './errors.ts';

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
  const draftText = enquiry.draft?.text ?? '';
  const finalText = request.action === 'edit' ? request.text! : request.action === 'approve' ? draftText : undefined;
  const problems: FieldProblem[] = [];
  if (request.action === 'approve' && draftText === '') problems.push({ field: 'action', problem: 'there is no draft to approve; use "edit" with text' });
  const smsText = request.sendSms ? (request.smsText ?? enquiry.draft?.smsText ?? finalText) : undefined;
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
    },
  };
}
