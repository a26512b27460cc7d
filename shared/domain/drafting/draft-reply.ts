import * as z from 'zod/mini';
import { LANGUAGES } from '../../vocabulary/languages.ts';

export const DRAFT_FLAG_KINDS = [
  'unsupported_phone',
  'unsupported_url',
  'unsupported_fee',
  'too_long',
  'missing_citation',
  'wrong_language',
] as const;
export type DraftFlagKind = (typeof DRAFT_FLAG_KINDS)[number];

/** Something a reviewing agent must check before sending. `detail` never holds caller data, only draft facts. */
export const DraftFlagSchema = z.object({
  kind: z.enum(DRAFT_FLAG_KINDS),
  detail: z.string(),
});
export type DraftFlag = z.infer<typeof DraftFlagSchema>;

export const TokenUsageSchema = z.object({
  inputTokens: z.int().check(z.nonnegative()),
  outputTokens: z.int().check(z.nonnegative()),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const DraftReplySchema = z.object({
  text: z.string().check(z.minLength(1)),
  language: z.enum(LANGUAGES),
  script: z.enum(['en', 'zh-Hant', 'zh-Hans']),
  citedArticleIds: z.array(z.string()).check(z.minLength(1, 'a draft cites at least one knowledge-base article')),
  flags: z.array(DraftFlagSchema),
  source: z.enum(['local', 'bedrock']),
  /** True when Bedrock was unavailable and the local drafter stood in. */
  degraded: z.optional(z.boolean()),
  /** Model tokens spent on this draft, including rejected attempts. */
  usage: z.optional(TokenUsageSchema),
});
export type DraftReply = z.infer<typeof DraftReplySchema>;
