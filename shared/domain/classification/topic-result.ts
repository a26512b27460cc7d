import { z } from 'zod';
import { LANGUAGES } from '../language.ts';
import { DEPARTMENT_IDS, TOPIC_IDS, URGENCIES } from '../topics.ts';

/** A classification, from the local model or Bedrock; Bedrock's tool schema is generated from this. */
export const TopicResultSchema = z.object({
  topic: z.enum(TOPIC_IDS),
  department: z.enum(DEPARTMENT_IDS),
  urgency: z.enum(URGENCIES),
  confidence: z.number().min(0).max(1),
  language: z.enum(LANGUAGES),
  rationale: z.string().max(500),
});
export type ModelTopicResult = z.infer<typeof TopicResultSchema>;

export type TopicResult = ModelTopicResult & {
  source: 'local' | 'bedrock';
  /** Bedrock was wanted but unavailable; the local model answered. */
  degraded?: boolean;
  usage?: { inputTokens: number; outputTokens: number };
};
