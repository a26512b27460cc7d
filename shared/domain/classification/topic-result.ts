import * as z from 'zod/mini';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import { CASE_TYPES, DEPARTMENT_IDS, TOPIC_IDS, URGENCIES } from '../../vocabulary/topics.ts';

/** One of the model's most likely topics, for the agent's picker and for Bedrock's prompt. */
export const TopicCandidateSchema = z.object({
  topic: z.enum(TOPIC_IDS),
  department: z.enum(DEPARTMENT_IDS),
  confidence: z.number().check(z.gte(0), z.lte(1)),
});
export type TopicCandidate = z.infer<typeof TopicCandidateSchema>;

/** A classification, from the local model or Bedrock; Bedrock's tool schema is generated from this. */
export const TopicResultSchema = z.object({
  topic: z.enum(TOPIC_IDS),
  department: z.enum(DEPARTMENT_IDS),
  urgency: z.enum(URGENCIES),
  confidence: z.number().check(z.gte(0), z.lte(1)),
  language: z.enum(LANGUAGES),
  caseType: z.enum(CASE_TYPES),
  rationale: z.string().check(z.maxLength(500)),
});
export type ModelTopicResult = z.infer<typeof TopicResultSchema>;

export type TopicResult = ModelTopicResult & {
  source: 'local' | 'bedrock';
  /**
   * Whether the answer can stand without a second opinion: the local model at or above its accept
   * threshold, or Bedrock. False means unsure: an agent must check the topic (flagged in the console).
   */
  accepted: boolean;
  /** The local model's three most likely topics (also when Bedrock answered, for the agent). */
  candidates?: TopicCandidate[];
  /** Bedrock was wanted but unavailable; the local model answered. */
  degraded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
};
