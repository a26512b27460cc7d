import type { CallbackStepInput } from '../../../events/workflow.ts';
import type { DecisionRequest, ReviewOutcome } from '../../../events/review.ts';
import type { Clock } from '../../ports/clock.ts';
import { StatusConflictError, type EnquiryStore } from '../../ports/enquiry-store.ts';
import type { WorkflowCallbacks } from '../../ports/workflow.ts';
import type { AgentDecision } from '../enquiry.ts';
import type { FieldProblem } from '../errors.ts';
import { prepareDecision, STATUS_AFTER } from '../review.ts';
import { checkAgentEdit } from '../drafting/agent-edit.ts';
import type { KnowledgeArticle } from '../drafting/knowledge-article.ts';

/** `.waitForTaskToken` step: parks the enquiry in the agents' queue with the token the API resumes it with. */
export async function awaitAgentReview(input: CallbackStepInput, deps: { store: EnquiryStore; clock: Clock }): Promise<void> {
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: ['drafted', 'awaiting_review'],
    to: 'awaiting_review',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: { taskToken: input.taskToken },
  });
}

export interface DecideDeps {
  store: EnquiryStore;
  callbacks: WorkflowCallbacks;
  clock: Clock;
  newDecisionId: () => string;
  smsSegments: (text: string) => number;
  maxSmsSegments: number;
  /** A knowledge article by id: an agent's edit may give only the facts of the articles the draft cites. */
  knowledgeArticle: (id: string) => KnowledgeArticle | undefined;
}

export type DecideResult =
  | { ok: true; decision: AgentDecision }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'conflict'; currentStatus: string; detail: string }
  | { ok: false; kind: 'unprocessable'; problems: FieldProblem[] }
  /** The edit adds a phone number, link or fee the cited articles do not give (refused, with the reason). */
  | { ok: false; kind: 'edit_refused'; problems: FieldProblem[] };

/**
 * Records an agent's decision and resumes the workflow. The status change is conditional on the enquiry
 * still awaiting review, so of two agents deciding at once exactly one wins; the other gets a conflict.
 */
export async function decideEnquiry(
  request: { enquiryId: string; agentId: string; body: DecisionRequest },
  deps: DecideDeps,
): Promise<DecideResult> {
  const [enquiry, contact] = await Promise.all([deps.store.get(request.enquiryId, { withTaskToken: true }), deps.store.getContact(request.enquiryId)]);
  if (!enquiry) return { ok: false, kind: 'not_found' };
  const check = prepareDecision({
    enquiry,
    contact,
    request: request.body,
    agentId: request.agentId,
    decisionId: deps.newDecisionId(),
    now: deps.clock.now(),
    smsSegments: deps.smsSegments,
    maxSmsSegments: deps.maxSmsSegments,
  });
  if (!check.ok) return check;
  const cited = (enquiry.draft?.citedArticleIds ?? []).flatMap((id) => deps.knowledgeArticle(id) ?? []);
  const refused = checkAgentEdit({ draft: enquiry.draft, language: enquiry.language ?? enquiry.languageHint ?? 'zh-HK', request: request.body }, cited);
  if (refused.length > 0) return { ok: false, kind: 'edit_refused', problems: refused };
  const { decision } = check;
  try {
    await deps.store.changeStatus({
      enquiryId: enquiry.enquiryId,
      expectedStatus: 'awaiting_review',
      to: STATUS_AFTER[decision.action],
      actor: `agent:${decision.agentId}`,
      at: decision.decidedAt,
      ...(decision.reason ? { note: decision.reason } : {}),
      patch: { decision, taskToken: undefined },
    });
  } catch (error) {
    if (error instanceof StatusConflictError) {
      return { ok: false, kind: 'conflict', currentStatus: error.currentStatus ?? 'unknown', detail: 'another decision was recorded first' };
    }
    throw error;
  }
  const outcome: ReviewOutcome = { action: decision.action, decisionId: decision.decisionId, sendSms: decision.sendSms };
  await deps.callbacks.succeed(enquiry.taskToken!, outcome);
  return { ok: true, decision };
}
