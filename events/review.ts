import { z } from 'zod';
import { ENQUIRY_STATUSES } from '../shared/domain/enquiry.ts';
import { LANGUAGES } from '../shared/domain/language.ts';
import { TOPIC_IDS } from '../shared/domain/topics.ts';

/** Longest reply an agent may approve: well above a useful SMS/letter, well below abuse. */
export const MAX_REPLY_CHARS = 2000;

/** Generous bound; the real limit is the segment count, checked at decision time with a clear message. */
export const MAX_SMS_EDIT_CHARS = 1000;

export const DECISION_ACTIONS = ['approve', 'edit', 'reject'] as const;

/** POST /enquiries/{id}/decision */
export const DecisionRequestSchema = z
  .strictObject({
    action: z.enum(DECISION_ACTIONS),
    text: z.string().trim().min(1, 'must not be empty').max(MAX_REPLY_CHARS, `must be at most ${MAX_REPLY_CHARS} characters`).optional(),
    reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
    /** The agent's edit of the follow-up SMS (defaults to the draft's SMS text). */
    smsText: z.string().trim().min(1, 'must not be empty').max(MAX_SMS_EDIT_CHARS, `must be at most ${MAX_SMS_EDIT_CHARS} characters`).optional(),
    sendSms: z.boolean().default(false),
  })
  .superRefine((request, ctx) => {
    if (request.action === 'edit' && request.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required to edit' });
    if (request.action !== 'edit' && request.text !== undefined)
      ctx.addIssue({ code: 'custom', path: ['text'], message: 'is only accepted with action "edit"' });
    if (request.action === 'reject' && request.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required to reject' });
    if (request.action === 'reject' && request.sendSms) ctx.addIssue({ code: 'custom', path: ['sendSms'], message: 'cannot be true when rejecting' });
    if (request.smsText !== undefined && !request.sendSms) ctx.addIssue({ code: 'custom', path: ['smsText'], message: 'is only accepted with sendSms true' });
  });
export type DecisionRequest = z.infer<typeof DecisionRequestSchema>;

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
});
export type Problem = z.infer<typeof ProblemSchema>;
