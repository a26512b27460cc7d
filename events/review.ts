import { z } from 'zod';
import { ENQUIRY_STATUSES } from '../shared/domain/enquiry.ts';
import { LANGUAGES } from '../shared/domain/language.ts';
import { DEPARTMENT_IDS, TOPIC_IDS } from '../shared/domain/topics.ts';

/** Longest reply an agent may approve: well above a useful SMS/letter, well below abuse. */
export const MAX_REPLY_CHARS = 2000;

/** Generous bound; the real limit is the segment count, checked at decision time with a clear message. */
export const MAX_SMS_EDIT_CHARS = 1000;

export const DECISION_ACTIONS = ['approve', 'edit', 'reject'] as const;

/** Most departments an enquiry may also involve besides its own. */
export const MAX_ALSO_INVOLVES = 5;

/** Topic fields an agent may send to confirm or correct the AI's topic (decision and redraft alike). */
const topicFields = {
  /** The topic the agent confirms or corrects to (absent: the enquiry's current topic). */
  topic: z.enum(TOPIC_IDS).optional(),
  /** Another department the taxonomy allows for the topic (absent: the topic's own). */
  department: z.enum(DEPARTMENT_IDS).optional(),
  /** Other departments the enquiry also involves; any makes it cross-departmental. */
  alsoInvolves: z.array(z.enum(DEPARTMENT_IDS)).max(MAX_ALSO_INVOLVES, `must list at most ${MAX_ALSO_INVOLVES} departments`).optional(),
};

const DraftIdSchema = z.string().regex(/^D[1-9]\d{0,2}$/, 'must be a draft id this API returned, e.g. D2');

function checkAlsoInvolves(request: { alsoInvolves?: string[] | undefined }, ctx: z.core.$RefinementCtx) {
  const list = request.alsoInvolves ?? [];
  const repeated = list.filter((department, i) => list.indexOf(department) !== i);
  if (repeated.length > 0) ctx.addIssue({ code: 'custom', path: ['alsoInvolves'], message: `lists ${[...new Set(repeated)].join(', ')} twice` });
}

/** POST /enquiries/{id}/decision */
export const DecisionRequestSchema = z
  .strictObject({
    action: z.enum(DECISION_ACTIONS),
    text: z.string().trim().min(1, 'must not be empty').max(MAX_REPLY_CHARS, `must be at most ${MAX_REPLY_CHARS} characters`).optional(),
    reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
    /** The agent's edit of the follow-up SMS (defaults to the draft's SMS text). */
    smsText: z.string().trim().min(1, 'must not be empty').max(MAX_SMS_EDIT_CHARS, `must be at most ${MAX_SMS_EDIT_CHARS} characters`).optional(),
    sendSms: z.boolean().default(false),
    ...topicFields,
    /** The draft the agent reviewed (from GET /enquiries/{id}); required once the enquiry has been redrafted. */
    draftId: DraftIdSchema.optional(),
  })
  .superRefine((request, ctx) => {
    checkAlsoInvolves(request, ctx);
    if (request.action === 'edit' && request.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required to edit' });
    if (request.action !== 'edit' && request.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is only accepted with action "edit"' });
    if (request.action === 'reject' && request.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to reject' });
    if (request.action === 'reject' && request.sendSms) ctx.addIssue({ code: 'custom', path: ['sendSms'], message: 'cannot be true when rejecting' });
    if (request.smsText !== undefined && !request.sendSms) ctx.addIssue({ code: 'custom', path: ['smsText'], message: 'is only accepted with sendSms true' });
  });
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

/** POST /enquiries/{id}/topic: correct the topic (and department) and get a new draft before deciding. */
export const TopicCorrectionRequestSchema = z
  .strictObject({
    topic: topicFields.topic.unwrap(),
    department: topicFields.department,
    alsoInvolves: topicFields.alsoInvolves,
    /** The draft the agent is looking at; when given and no longer current, the correction is refused (409). */
    draftId: DraftIdSchema.optional(),
  })
  .superRefine(checkAlsoInvolves);
export type TopicCorrectionRequest = z.infer<typeof TopicCorrectionRequestSchema>;

/** GET /enquiries query string. */
export const ListEnquiriesQuerySchema = z.strictObject({
  status: z.enum(ENQUIRY_STATUSES).default('awaiting_review'),
  topic: z.enum(TOPIC_IDS).optional(),
  language: z.enum(LANGUAGES).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type ListEnquiriesQuery = z.infer<typeof ListEnquiriesQuerySchema>;

/** What the review API returns to the workflow through SendTaskSuccess. */
export const ReviewOutcomeSchema = z.object({
  action: z.enum(DECISION_ACTIONS),
  decisionId: z.string(),
  sendSms: z.boolean(),
  /** The agent-confirmed topic and department: the workflow's output carries the final answer, not the AI's. */
  topic: z.string().optional(),
  department: z.string().optional(),
  topicCorrected: z.boolean().optional(),
  crossDepartmental: z.boolean().optional(),
});
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/** JSON problem response (RFC 9457). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  problems: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
  currentStatus: z.string().optional(),
  /** A decision that is recorded but still has to resume the workflow (503): retry the same decision. */
  decisionId: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
