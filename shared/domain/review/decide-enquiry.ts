import type { DecisionRequest } from '../../../events/review-api.ts';
import type { Clock } from '../../ports/clock.ts';
import { StatusConflictError, type EnquiryStore } from '../../ports/enquiry-store.ts';
import type { WorkflowCallbacks } from '../../ports/workflow.ts';
import type { Taxonomy } from '../classification/taxonomy.ts';
import type { AgentDecision, Enquiry } from '../enquiry.ts';
import type { FieldProblem } from '../errors.ts';
import { prepareDecision, reviewOutcomeOf, sameDecision, STATUS_AFTER } from './decision-rules.ts';
import { topicChanges } from '../topic-confirmation.ts';
import { checkAgentEdit } from '../drafting/agent-edit.ts';
import type { KnowledgeArticle } from '../drafting/knowledge-article.ts';

export interface DecideDeps {
  store: EnquiryStore;
  callbacks: WorkflowCallbacks;
  clock: Clock;
  newDecisionId: () => string;
  smsSegments: (text: string) => number;
  maxSmsSegments: number;
  taxonomy: Taxonomy;
  /** A knowledge article by id: an agent's edit may give only the facts of the articles the draft cites. */
  knowledgeArticle: (id: string) => KnowledgeArticle | undefined;
}

export type DecideResult =
  | { ok: true; decision: AgentDecision; replayed: boolean; tokenCleared: boolean }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'conflict'; currentStatus: string; detail: string }
  | { ok: false; kind: 'invalid' | 'unprocessable'; problems: FieldProblem[] }
  /** The edit adds a phone number, link or fee the cited articles do not give (refused, with the reason). */
  | { ok: false; kind: 'edit_refused'; problems: FieldProblem[] }
  /** The decision is recorded but SendTaskSuccess failed: the same decision may (and should) be retried. */
  | { ok: false; kind: 'resume_failed'; decision: AgentDecision; error: string };

/** What Step Functions answers for a token whose task no longer waits (already resumed, timed out, or forged). */
const TASK_GONE_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Records an agent's decision and resumes the workflow.
 *
 * The decision is written first, conditional on the enquiry still awaiting review at the revision read
 * (of two agents deciding, or one deciding while another redrafts, exactly one wins; the other gets a
 * conflict). The task token stays (in the restricted store; `resumePending` on the enquiry) until
 * SendTaskSuccess succeeded; only then is it cleared (the workflow's next step drops the mark). If the resume fails the agent is told to retry, and a retry of the same decision
 * resumes again (any other decision is refused while one is pending). A resume that never succeeds ends in
 * the review timeout (States.Timeout), and NeedsManualHandling then moves the enquiry to the manual queue.
 */
export async function decideEnquiry(
  request: { enquiryId: string; agentId: string; body: DecisionRequest; appliedFrom?: AgentDecision['appliedFrom'] },
  deps: DecideDeps,
): Promise<DecideResult> {
  const [enquiry, contact] = await Promise.all([deps.store.get(request.enquiryId, { withTaskToken: true }), deps.store.getContact(request.enquiryId)]);
  if (!enquiry) return { ok: false, kind: 'not_found' };
  if (enquiry.resumePending) {
    const pending = enquiry.decision;
    if (pending && enquiry.taskToken && pending.decisionId === enquiry.resumePending.decisionId && sameDecision(request.body, pending)) {
      return resume(enquiry, pending, enquiry.taskToken, deps, true);
    }
    return {
      ok: false,
      kind: 'conflict',
      currentStatus: enquiry.status,
      detail: `decision ${enquiry.resumePending.decisionId} (${pending?.action ?? 'unknown'}) is recorded and still resuming the workflow; retry that decision, not another`,
    };
  }
  const check = prepareDecision({
    enquiry,
    contact,
    request: request.body,
    agentId: request.agentId,
    decisionId: deps.newDecisionId(),
    now: deps.clock.now(),
    smsSegments: deps.smsSegments,
    maxSmsSegments: deps.maxSmsSegments,
    taxonomy: deps.taxonomy,
  });
  if (!check.ok) return check;
  const cited = (enquiry.draft?.citedArticleIds ?? []).flatMap((id) => deps.knowledgeArticle(id) ?? []);
  const refused = checkAgentEdit({ draft: enquiry.draft, language: enquiry.language ?? enquiry.languageHint ?? 'zh-HK', request: request.body }, cited);
  if (refused.length > 0) return { ok: false, kind: 'edit_refused', problems: refused };
  // A reply reviewed on another report of the same incident: this enquiry's own record says where it came from.
  const decision: AgentDecision = request.appliedFrom ? { ...check.decision, appliedFrom: request.appliedFrom } : check.decision;
  let recorded: Enquiry;
  try {
    recorded = await deps.store.changeStatus({
      enquiryId: enquiry.enquiryId,
      expectedStatus: 'awaiting_review',
      expectedRevision: enquiry.revision ?? 0,
      to: STATUS_AFTER[decision.action],
      actor: `agent:${decision.agentId}`,
      at: decision.decidedAt,
      ...(decision.reason ? { note: decision.reason } : {}),
      ...(decision.topic ? { changes: topicChanges(enquiry, decision.topic) } : {}),
      // The token stays until the workflow has really been resumed (see resume below).
      patch: { decision, resumePending: { decisionId: decision.decisionId, since: decision.decidedAt } },
    });
  } catch (error) {
    if (error instanceof StatusConflictError) {
      const currentStatus = error.currentStatus ?? 'unknown';
      const detail = currentStatus === 'awaiting_review' ? 'the enquiry changed since it was read (a colleague redrafted it); reload it' : 'another decision was recorded first';
      return { ok: false, kind: 'conflict', currentStatus, detail };
    }
    throw error;
  }
  return resume(recorded, decision, enquiry.taskToken!, deps, false);
}

async function resume(enquiry: Enquiry, decision: AgentDecision, taskToken: string, deps: DecideDeps, replayed: boolean): Promise<DecideResult> {
  try {
    await deps.callbacks.succeed(taskToken, reviewOutcomeOf(decision));
  } catch (error) {
    const name = (error as Error).name;
    if (TASK_GONE_ERRORS.has(name)) {
      // The execution has moved on: resumed by an earlier attempt whose answer was lost, or timed out (then
      // NeedsManualHandling moves the enquiry to the manual queue). Either way this token can do nothing more.
      return {
        ok: false,
        kind: 'conflict',
        currentStatus: enquiry.status,
        detail: 'the workflow is no longer waiting for a decision on this enquiry (it resumed already or timed out); reload it',
      };
    }
    return { ok: false, kind: 'resume_failed', decision, error: name };
  }
  // The workflow has resumed: its next step (QueueSms or RecordOutcome) drops the resumePending mark, so the
  // API writes nothing to the enquiry here that could race that step. The used token is forgotten.
  let tokenCleared = true;
  try {
    await deps.store.clearTaskToken({ enquiryId: enquiry.enquiryId, at: deps.clock.now().toISOString() });
  } catch {
    tokenCleared = false; // a used token: Step Functions refuses it anyway
  }
  return { ok: true, decision, replayed, tokenCleared };
}
