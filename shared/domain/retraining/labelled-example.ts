import * as z from 'zod/mini';
import { check } from '../validation.ts';
import type { PersonalDataRedactor } from '../../ports/personal-data-redactor.ts';
import type { DecidedEnquiry } from '../../ports/enquiry-store.ts';
import { LANGUAGES } from '../../vocabulary/languages.ts';

/**
 * An agent-labelled example for retraining the topic model: the enquiry's redacted text, run through the
 * redactor once more before it is stored, and the topic the agent confirmed or corrected to. Ids, topics
 * and redacted text only: nothing here identifies a caller.
 */
export const LabelledExampleSchema = z.object({
  enquiryId: z.string().check(z.minLength(1)),
  decisionId: z.string().check(z.minLength(1)),
  decidedAt: z.iso.datetime({ offset: true }),
  /** Redacted twice: by the pipeline's RedactPersonalData step and again when the example was collected. */
  text: z.string().check(z.minLength(1)),
  /** The agent-confirmed topic (the label). */
  label: z.string().check(z.minLength(1)),
  language: z.nullable(z.enum(LANGUAGES)),
  aiTopic: z.nullable(z.string()),
  topicCorrected: z.boolean(),
  action: z.enum(['approve', 'edit', 'reject']),
  /** Who wrote the label; calibration keeps agents' examples in their own group. */
  source: z.literal('agents'),
});
export type LabelledExample = z.infer<typeof LabelledExampleSchema>;

/** Why a decided enquiry did not become an example. */
export type SkipReason = 'rejected_without_topic' | 'unknown_topic' | 'empty_text';

/**
 * The labelled example a decided enquiry gives, or why it gives none. A rejection the agent did not correct
 * says nothing about the topic (the reply was refused, not the classification), so it is skipped; so is a
 * topic the current taxonomy no longer has. `reRedacted` counts what the second pass still found.
 */
export function labelledExampleFrom(
  decided: DecidedEnquiry,
  redactor: PersonalDataRedactor,
  knownTopics: ReadonlySet<string>,
): { example: LabelledExample; reRedacted: number } | { skipped: SkipReason } {
  if (decided.action === 'reject' && !decided.topicCorrected) return { skipped: 'rejected_without_topic' };
  if (!knownTopics.has(decided.agentTopic)) return { skipped: 'unknown_topic' };
  const redacted = redactor.redact(decided.redactedText);
  const text = redacted.text.trim();
  if (!text) return { skipped: 'empty_text' };
  const language = (LANGUAGES as readonly string[]).includes(decided.language ?? '') ? (decided.language as LabelledExample['language']) : null;
  return {
    example: {
      enquiryId: decided.enquiryId,
      decisionId: decided.decisionId,
      decidedAt: decided.decidedAt,
      text,
      label: decided.agentTopic,
      language,
      aiTopic: decided.aiTopic,
      topicCorrected: decided.topicCorrected,
      action: decided.action,
      source: 'agents',
    },
    reRedacted: redacted.entities.length,
  };
}

/** Identifies an example: one decision on one enquiry. */
export const exampleKey = (example: Pick<LabelledExample, 'enquiryId' | 'decisionId'>): string => `${example.enquiryId}#${example.decisionId}`;

/**
 * One example per enquiry (its latest decision), oldest decision first: the order held-out splits and
 * training use.
 */
export function latestPerEnquiry(examples: readonly LabelledExample[]): LabelledExample[] {
  const byEnquiry = new Map<string, LabelledExample>();
  for (const example of examples) {
    const seen = byEnquiry.get(example.enquiryId);
    if (!seen || Date.parse(example.decidedAt) >= Date.parse(seen.decidedAt)) byEnquiry.set(example.enquiryId, example);
  }
  return [...byEnquiry.values()].sort((a, b) => Date.parse(a.decidedAt) - Date.parse(b.decidedAt) || a.enquiryId.localeCompare(b.enquiryId));
}

/** Share of the newest agent-labelled examples held out to judge a candidate. */
export const HELD_OUT_SHARE = 0.2;

/**
 * Splits agent examples (oldest first) into training and held out: the newest `share` of them (at least
 * one when there are any). Examples decided no later than `seenThrough` (what the current model was trained
 * on) are never held out: judging the current model on its own training data would favour it.
 */
export function splitNewestHeldOut(
  examples: readonly LabelledExample[],
  options: { share?: number; seenThrough?: string } = {},
): { training: LabelledExample[]; heldOut: LabelledExample[] } {
  const share = options.share ?? HELD_OUT_SHARE;
  const count = examples.length === 0 ? 0 : Math.max(1, Math.ceil(examples.length * share));
  const newest = examples.slice(examples.length - count);
  const seenMs = options.seenThrough ? Date.parse(options.seenThrough) : Number.NEGATIVE_INFINITY;
  const heldOut = newest.filter((e) => Date.parse(e.decidedAt) > seenMs);
  const held = new Set(heldOut);
  return { training: examples.filter((e) => !held.has(e)), heldOut };
}

/** Stored examples as JSON lines (one object per collection run). */
export function examplesToJsonl(examples: readonly LabelledExample[]): string {
  return examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length ? '\n' : '');
}

/** Parses stored JSON lines, validating each; errors name the batch and line. */
export function examplesFromJsonl(jsonl: string, batch: string): LabelledExample[] {
  return jsonl
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim())
    .map(({ line, i }) => {
      const parsed = check(LabelledExampleSchema, JSON.parse(line));
      if (!parsed.success) throw new Error(`labelled example ${batch}:${i + 1} is invalid: ${parsed.problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
      return parsed.data;
    });
}
