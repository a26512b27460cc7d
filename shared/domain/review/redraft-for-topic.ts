import type { TopicCorrectionRequest } from '../../../events/review-api.ts';
import type { Clock } from '../../ports/clock.ts';
import { StatusConflictError, type EnquiryStore } from '../../ports/enquiry-store.ts';
import type { ReplyDrafter } from '../../ports/reply-drafter.ts';
import { urgencyOf, type Taxonomy } from '../classification/taxonomy.ts';
import type { DraftRecord, Enquiry, FieldChange } from '../enquiry.ts';
import type { FieldProblem } from '../errors.ts';
import type { Language } from '../../vocabulary/languages.ts';
import { staleDraftConflict } from './decision-rules.ts';
import { draftIdOf, nextDraftId } from '../drafting/draft-ids.ts';
import { draftBasis, resolveTopicChoice, topicChanges } from '../topic-confirmation.ts';
import { isCaseType, URGENCIES, type DepartmentId, type TopicId, type Urgency } from '../../vocabulary/topics.ts';

/** Most drafts one enquiry may have (the workflow's and redrafts): bounds the item and the audit trail. */
export const MAX_DRAFTS = 10;

export interface RedraftDeps {
  store: EnquiryStore;
  clock: Clock;
  taxonomy: Taxonomy;
  /** The drafter redrafts use: grounded in the knowledge base, checked by the draft validator. */
  drafter: ReplyDrafter;
  composeSms: (facts: { enquiryId: string; topic: TopicId; department: DepartmentId; language: Language }) => string;
}

export type RedraftResult =
  | { ok: true; enquiry: Enquiry; redrafted: boolean; changes: FieldChange[] }
  | { ok: false; kind: 'not_found' }
  | { ok: false; kind: 'conflict'; currentStatus: string; detail: string }
  | { ok: false; kind: 'invalid' | 'unprocessable'; problems: FieldProblem[] };

const higherUrgency = (a: Urgency, b: Urgency): Urgency => (URGENCIES.indexOf(a) >= URGENCIES.indexOf(b) ? a : b);

/**
 * An agent corrects the topic (or department) of an enquiry under review: a new draft and SMS text are
 * written for the corrected topic, grounded in its article, and stored as the current draft; the earlier
 * draft goes into the audit trail. The enquiry stays in awaiting_review and its task token is left alone,
 * so the execution keeps waiting at AwaitAgentReview; the agent then decides on the new draft.
 *
 * The write is conditional on the revision read: a decision or another redraft landing in between wins,
 * and this one gets a conflict (and vice versa).
 */
export async function redraftForTopic(
  request: { enquiryId: string; agentId: string; body: TopicCorrectionRequest },
  deps: RedraftDeps,
): Promise<RedraftResult> {
  const enquiry = await deps.store.get(request.enquiryId);
  if (!enquiry) return { ok: false, kind: 'not_found' };
  // awaiting_review means the execution is parked there (its token is stored before the status is set).
  if (enquiry.status !== 'awaiting_review' || enquiry.resumePending) {
    return { ok: false, kind: 'conflict', currentStatus: enquiry.status, detail: `enquiry is ${enquiry.status}, not awaiting_review` };
  }
  if (request.body.draftId !== undefined) {
    const stale = staleDraftConflict(enquiry, request.body.draftId);
    if (stale) return { ok: false, kind: 'conflict', currentStatus: enquiry.status, detail: stale };
  }
  const resolved = resolveTopicChoice(deps.taxonomy, enquiry, request.body);
  if (!resolved.ok) return { ok: false, kind: 'invalid', problems: resolved.problems };
  const { choice } = resolved;
  const { redactedText } = enquiry;
  if (redactedText === undefined) return { ok: false, kind: 'unprocessable', problems: [{ field: 'topic', problem: 'the enquiry has no redacted text to draft from' }] };

  const basis = draftBasis(enquiry);
  const needsDraft = !basis || basis.topic !== choice.topic || basis.department !== choice.department;
  const at = deps.clock.now().toISOString();
  const changes = topicChanges(enquiry, choice);
  let draft: DraftRecord | undefined;
  if (needsDraft) {
    const number = Number(nextDraftId(enquiry.draft).slice(1));
    if (number > MAX_DRAFTS) {
      return { ok: false, kind: 'unprocessable', problems: [{ field: 'topic', problem: `the enquiry has had ${MAX_DRAFTS} drafts; edit the reply instead` }] };
    }
    const topic = choice.topic as TopicId;
    const department = choice.department as DepartmentId;
    const language = (enquiry.topic?.language ?? enquiry.language ?? enquiry.languageHint ?? 'zh-HK') as Language;
    const urgency = higherUrgency((enquiry.topic?.urgency ?? 'routine') as Urgency, urgencyOf(deps.taxonomy, topic, redactedText));
    const caseType = enquiry.topic?.caseType;
    const reply = await deps.drafter.draft({ enquiryId: enquiry.enquiryId, redactedText, topic, department, urgency, language, ...(isCaseType(caseType) ? { caseType } : {}) });
    draft = {
      ...reply,
      draftId: nextDraftId(enquiry.draft),
      topic,
      department,
      smsText: deps.composeSms({ enquiryId: enquiry.enquiryId, topic, department, language }),
    };
    changes.push({ field: 'draft', from: draftIdOf(enquiry.draft) ?? null, to: draft.draftId! });
  }
  if (changes.length === 0) return { ok: true, enquiry, redrafted: false, changes };
  try {
    const updated = await deps.store.changeStatus({
      enquiryId: enquiry.enquiryId,
      expectedStatus: 'awaiting_review',
      expectedRevision: enquiry.revision ?? 0,
      to: 'awaiting_review',
      actor: `agent:${request.agentId}`,
      at,
      note: draft ? 'topic corrected; reply redrafted' : 'topic confirmed',
      changes,
      ...(draft && enquiry.draft ? { previousDraft: enquiry.draft } : {}),
      patch: {
        agentTopic: { ...choice, agentId: request.agentId, at },
        ...(draft ? { draft } : {}),
        ...(draft?.degraded ? { degraded: true } : {}),
      },
    });
    return { ok: true, enquiry: updated, redrafted: draft !== undefined, changes };
  } catch (error) {
    if (error instanceof StatusConflictError) {
      const currentStatus = error.currentStatus ?? 'unknown';
      const detail = currentStatus === 'awaiting_review' ? 'the enquiry changed since it was read (a colleague redrafted it); reload it' : 'a decision was recorded first';
      return { ok: false, kind: 'conflict', currentStatus, detail };
    }
    throw error;
  }
}
