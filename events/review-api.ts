import * as z from 'zod/mini';
import { ENQUIRY_STATUSES } from '../shared/vocabulary/enquiry-statuses.ts';
import { LANGUAGES } from '../shared/vocabulary/languages.ts';
import { DEPARTMENT_IDS, TOPIC_IDS } from '../shared/vocabulary/topics.ts';

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
  topic: z.optional(z.enum(TOPIC_IDS)),
  /** Another department the taxonomy allows for the topic (absent: the topic's own). */
  department: z.optional(z.enum(DEPARTMENT_IDS)),
  /** Other departments the enquiry also involves; any makes it cross-departmental. */
  alsoInvolves: z.optional(z.array(z.enum(DEPARTMENT_IDS)).check(z.maxLength(MAX_ALSO_INVOLVES, `must list at most ${MAX_ALSO_INVOLVES} departments`))),
};

const DraftIdSchema = z.string().check(z.regex(/^D[1-9]\d{0,2}$/, 'must be a draft id this API returned, e.g. D2'));

/** Free text an agent types: trimmed, not empty, bounded. */
const trimmedText = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max, `must be at most ${max} characters`));

function checkAlsoInvolves(request: { alsoInvolves?: string[] | undefined }, ctx: z.core.$RefinementCtx) {
  const list = request.alsoInvolves ?? [];
  const repeated = list.filter((department, i) => list.indexOf(department) !== i);
  if (repeated.length > 0) ctx.addIssue({ code: 'custom', path: ['alsoInvolves'], message: `lists ${[...new Set(repeated)].join(', ')} twice` });
}

/** POST /enquiries/{id}/decision */
export const DecisionRequestSchema = z
  .strictObject({
    action: z.enum(DECISION_ACTIONS),
    text: z.optional(trimmedText(MAX_REPLY_CHARS)),
    reason: z.optional(trimmedText(500)),
    /** The agent's edit of the follow-up SMS (defaults to the draft's SMS text). */
    smsText: z.optional(trimmedText(MAX_SMS_EDIT_CHARS)),
    sendSms: z._default(z.boolean(), false),
    ...topicFields,
    /** The draft the agent reviewed (from GET /enquiries/{id}); required once the enquiry has been redrafted. */
    draftId: z.optional(DraftIdSchema),
  })
  .check(
    z.superRefine((request, ctx) => {
    checkAlsoInvolves(request, ctx);
    if (request.action === 'edit' && request.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required to edit' });
    if (request.action !== 'edit' && request.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is only accepted with action "edit"' });
    if (request.action === 'reject' && request.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to reject' });
    if (request.action === 'reject' && request.sendSms) ctx.addIssue({ code: 'custom', path: ['sendSms'], message: 'cannot be true when rejecting' });
    if (request.smsText !== undefined && !request.sendSms) ctx.addIssue({ code: 'custom', path: ['smsText'], message: 'is only accepted with sendSms true' });
    }),
  );
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

/** POST /enquiries/{id}/topic: correct the topic (and department) and get a new draft before deciding. */
export const TopicCorrectionRequestSchema = z
  .strictObject({
    topic: z.enum(TOPIC_IDS),
    department: topicFields.department,
    alsoInvolves: topicFields.alsoInvolves,
    /** The draft the agent is looking at; when given and no longer current, the correction is refused (409). */
    draftId: z.optional(DraftIdSchema),
  })
  .check(z.superRefine(checkAlsoInvolves));
export type TopicCorrectionRequest = z.infer<typeof TopicCorrectionRequestSchema>;

/** GET /enquiries query string. */
export const ListEnquiriesQuerySchema = z.strictObject({
  status: z._default(z.enum(ENQUIRY_STATUSES), 'awaiting_review'),
  topic: z.optional(z.enum(TOPIC_IDS)),
  language: z.optional(z.enum(LANGUAGES)),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 25),
});
export type ListEnquiriesQuery = z.infer<typeof ListEnquiriesQuerySchema>;

/** What the review API returns to the workflow through SendTaskSuccess. */
export const ReviewOutcomeSchema = z.object({
  action: z.enum(DECISION_ACTIONS),
  decisionId: z.string(),
  sendSms: z.boolean(),
  /** The agent-confirmed topic and department: the workflow's output carries the final answer, not the AI's. */
  topic: z.optional(z.string()),
  department: z.optional(z.string()),
  topicCorrected: z.optional(z.boolean()),
  crossDepartmental: z.optional(z.boolean()),
});
export type ReviewOutcome = z.infer<typeof ReviewOutcomeSchema>;

/** JSON problem response (RFC 9457). */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  problems: z.optional(z.array(z.object({ field: z.string(), problem: z.string() }))),
  currentStatus: z.optional(z.string()),
  /** A decision that is recorded but still has to resume the workflow (503): retry the same decision. */
  decisionId: z.optional(z.string()),
});
export type Problem = z.infer<typeof ProblemSchema>;
