import { DecisionRequestSchema, type DecisionRequest } from '../../../events/review-api.ts';
import { ValidationError } from '../errors.ts';
import { parseOrThrow } from '../validation.ts';
import type { IncidentStore } from '../../ports/incident-store.ts';
import type { Enquiry } from '../enquiry.ts';
import type { FieldProblem } from '../errors.ts';
import { draftIdOf } from '../drafting/draft-ids.ts';
import { draftBasis } from '../topic-confirmation.ts';
import { decideEnquiry, type DecideDeps } from './decide-enquiry.ts';

export interface ApplyIncidentDeps extends DecideDeps {
  incidents: IncidentStore;
}

/** Why a report of the incident did not get the reply (in words an agent can act on, no personal data). */
export type SkipReason =
  | 'not_awaiting_review'
  | 'other_language'
  | 'other_script'
  | 'topic_changed'
  | 'other_topic'
  | 'refused'
  | 'resume_failed';

export interface ApplyResult {
  incidentId: string;
  sourceEnquiryId: string;
  applied: { enquiryId: string; decisionId: string; action: 'approve' | 'edit'; sendSms: boolean }[];
  skipped: { enquiryId: string; reason: SkipReason; detail: string }[];
  /** More reports are left than one request handles: send the same request again (done ones are skipped). */
  more: boolean;
}

export type ApplyOutcome =
  | { ok: true; result: ApplyResult }
  | { ok: false; kind: 'not_found'; detail: string }
  | { ok: false; kind: 'invalid' | 'unprocessable'; problems: FieldProblem[] };

/** Reports one request decides at most (each is a conditional write and a workflow resume): the API answers in seconds. */
export const APPLY_BATCH = 50;
/** Reports decided side by side. */
const CONCURRENCY = 4;

/**
 * Applies the reply an agent reviewed on one report of an incident to the incident's other reports still
 * awaiting review. Each goes through the normal decision path (decideEnquiry) on its own: its own decision
 * record (own id, the agent, the time, `appliedFrom`), its own consent check (an SMS only where that caller
 * consented), its own workflow resumption and SMS. The reference number in the reply and SMS is the
 * enquiry's own. Reports in another language or script, or whose topic or department differs from the
 * reviewed one (an agent changed it, or the AI put it elsewhere), are skipped with the reason.
 */
export async function applyIncidentReply(
  request: { incidentId: string; sourceEnquiryId: string; agentId: string },
  deps: ApplyIncidentDeps,
): Promise<ApplyOutcome> {
  const incident = await deps.incidents.get(request.incidentId);
  if (!incident) return { ok: false, kind: 'not_found', detail: `no incident ${request.incidentId}` };
  const [membership, source] = await Promise.all([deps.incidents.incidentOf(request.sourceEnquiryId), deps.store.get(request.sourceEnquiryId)]);
  if (!source || membership !== request.incidentId) {
    return { ok: false, kind: 'invalid', problems: [{ field: 'sourceEnquiryId', problem: `is not a report of incident ${request.incidentId}` }] };
  }
  const decision = source.decision;
  if (!decision || decision.action === 'reject' || decision.finalText === undefined) {
    return { ok: false, kind: 'unprocessable', problems: [{ field: 'sourceEnquiryId', problem: 'has no approved or edited reply to apply; decide it first' }] };
  }
  if (decision.appliedFrom) {
    return { ok: false, kind: 'unprocessable', problems: [{ field: 'sourceEnquiryId', problem: `its reply was itself applied from ${decision.appliedFrom.enquiryId}; apply from that one` }] };
  }
  const reviewed = { language: source.draft?.language ?? source.language, script: source.draft?.script, topic: decision.topic };

  const targets: Enquiry[] = [];
  const skipped: ApplyResult['skipped'] = [];
  let more = false;
  for await (const member of deps.incidents.members(request.incidentId)) {
    if (member.enquiryId === source.enquiryId) continue;
    const enquiry = await deps.store.get(member.enquiryId);
    if (!enquiry || enquiry.status !== 'awaiting_review') continue; // decided already (by hand or an earlier apply), or not yet drafted
    const reason = mismatch(enquiry, reviewed);
    if (reason) {
      skipped.push({ enquiryId: enquiry.enquiryId, ...reason });
      continue;
    }
    if (targets.length === APPLY_BATCH) {
      more = true;
      break;
    }
    targets.push(enquiry);
  }

  const applied: ApplyResult['applied'] = [];
  const queue = [...targets];
  const worker = async () => {
    for (let enquiry = queue.shift(); enquiry; enquiry = queue.shift()) {
      let body: DecisionRequest;
      try {
        body = requestFor(enquiry, source, decision);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        skipped.push({ enquiryId: enquiry.enquiryId, reason: 'refused', detail: error.message });
        continue;
      }
      const result = await decideEnquiry(
        { enquiryId: enquiry.enquiryId, agentId: request.agentId, body, appliedFrom: { enquiryId: source.enquiryId, decisionId: decision.decisionId, incidentId: request.incidentId } },
        deps,
      );
      if (result.ok) applied.push({ enquiryId: enquiry.enquiryId, decisionId: result.decision.decisionId, action: result.decision.action as 'approve' | 'edit', sendSms: result.decision.sendSms });
      else if (result.kind === 'resume_failed') skipped.push({ enquiryId: enquiry.enquiryId, reason: 'resume_failed', detail: `decision ${result.decision.decisionId} is recorded but the workflow did not resume; apply again` });
      else if (result.kind === 'conflict') skipped.push({ enquiryId: enquiry.enquiryId, reason: 'not_awaiting_review', detail: result.detail }); // a colleague decided or redrafted it meanwhile
      else if (result.kind === 'not_found') continue;
      else skipped.push({ enquiryId: enquiry.enquiryId, reason: 'refused', detail: result.problems.map((p) => `${p.field}: ${p.problem}`).join('; ') });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  applied.sort((a, b) => a.enquiryId.localeCompare(b.enquiryId));
  return { ok: true, result: { incidentId: request.incidentId, sourceEnquiryId: source.enquiryId, applied, skipped, more } };
}

/** Why the reviewed reply does not fit this report, or undefined when it does. */
function mismatch(
  enquiry: Enquiry,
  reviewed: { language: string | undefined; script: string | undefined; topic: { topic: string; department: string } | undefined },
): { reason: SkipReason; detail: string } | undefined {
  const language = enquiry.draft?.language ?? enquiry.language;
  if (language !== reviewed.language) return { reason: 'other_language', detail: `the report is in ${language ?? 'an unknown language'}, the reply in ${reviewed.language ?? 'an unknown language'}` };
  if (enquiry.draft?.script !== reviewed.script) return { reason: 'other_script', detail: `the report's reply is in ${enquiry.draft?.script ?? 'no'} script, the reviewed one in ${reviewed.script ?? 'no'} script` };
  if (!reviewed.topic) return undefined;
  const wanted = `${reviewed.topic.topic} (${reviewed.topic.department})`;
  if (enquiry.agentTopic && (enquiry.agentTopic.topic !== reviewed.topic.topic || enquiry.agentTopic.department !== reviewed.topic.department)) {
    return { reason: 'topic_changed', detail: `an agent changed this report to ${enquiry.agentTopic.topic} (${enquiry.agentTopic.department}); the reply is for ${wanted}` };
  }
  const basis = draftBasis(enquiry);
  if (!basis || basis.topic !== reviewed.topic.topic || basis.department !== reviewed.topic.department) {
    return { reason: 'other_topic', detail: `this report's draft is for ${basis ? `${basis.topic} (${basis.department})` : 'no topic'}; the reply is for ${wanted}` };
  }
  return undefined;
}

/**
 * The reviewed decision as this report's own request: the same reply and SMS with the report's own
 * reference number, approve when that is exactly its own draft, else edit (checked like any agent edit);
 * an SMS only if the reviewed decision sent one and this caller consented.
 */
function requestFor(enquiry: Enquiry, source: Enquiry, decision: NonNullable<Enquiry['decision']>): DecisionRequest {
  const own = (text: string) => text.replaceAll(source.enquiryId, enquiry.enquiryId);
  const text = own(decision.finalText!);
  const sendSms = decision.sendSms && enquiry.smsConsent;
  const smsText = sendSms && decision.smsText !== undefined ? own(decision.smsText) : undefined;
  const draftId = draftIdOf(enquiry.draft);
  // Built here, validated like any agent's request (the same limits and rules).
  return parseOrThrow(DecisionRequestSchema, {
    ...(text === enquiry.draft?.text ? { action: 'approve' as const } : { action: 'edit' as const, text }),
    sendSms,
    ...(smsText !== undefined ? { smsText } : {}),
    ...(decision.topic ? { topic: decision.topic.topic, department: decision.topic.department, alsoInvolves: decision.topic.alsoInvolves } : {}),
    ...(draftId ? { draftId } : {}),
  });
}
