import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import type { Script } from '../../vocabulary/languages.ts';
import { DEPARTMENT_IDS, TOPIC_DEPARTMENT, TOPIC_IDS, type TopicId } from '../../vocabulary/topics.ts';
import { check } from '../validation.ts';
import { HotlineSchema } from './hotlines.ts';
import { traditionalInScript } from './script.ts';

/** Text authored in English and Traditional Chinese; Simplified is derived (see script.ts). */
export const AuthoredTextSchema = z.object({
  en: z.string().check(z.trim(), z.minLength(1, 'English text is required')),
  'zh-Hant': z.string().check(z.trim(), z.minLength(1, 'Traditional Chinese text is required')),
});
export type AuthoredText = z.infer<typeof AuthoredTextSchema>;

export const FeeSchema = z.object({
  item: AuthoredTextSchema,
  amountHkd: z.number().check(z.nonnegative()),
});
export type Fee = z.infer<typeof FeeSchema>;

/** KB-<TOPIC IN CAPITALS, hyphenated>-NN, e.g. KB-WATER-BILL-01. */
export const articleIdPrefixFor = (topic: TopicId): string => `KB-${topic.toUpperCase().replaceAll('_', '-')}-`;

const ArticleFieldsSchema = z.object({
  id: z.string().check(z.regex(/^KB-[A-Z0-9-]+-\d{2}$/, 'must look like KB-<TOPIC>-01')),
  topic: z.enum(TOPIC_IDS),
  /** Short noun phrase used in acknowledgements: "about {topicName}". */
  topicName: AuthoredTextSchema,
  title: AuthoredTextSchema,
  /** What the department does, what the caller should prepare. */
  body: AuthoredTextSchema,
  hotline: HotlineSchema,
  web: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
  processingTime: AuthoredTextSchema,
  fees: z.optional(z.array(FeeSchema)),
});

// The id carries the topic so a citation is readable on its own in an agent's screen.
function idMatchesTopic(article: { id: string; topic: TopicId }, context: z.core.$RefinementCtx): void {
  if (!article.id.startsWith(articleIdPrefixFor(article.topic))) {
    context.addIssue({ code: 'custom', path: ['id'], message: `must start with ${articleIdPrefixFor(article.topic)} for topic ${article.topic}` });
  }
}

/** An article as the knowledge base holds it: the department is the topic's route in the taxonomy, joined in at load. */
export const KnowledgeArticleSchema = z.extend(ArticleFieldsSchema, { department: z.enum(DEPARTMENT_IDS) }).check(z.superRefine(idMatchesTopic));
export type KnowledgeArticle = z.infer<typeof KnowledgeArticleSchema>;

/** An article as authored in `articles/<topic>.json`: no department (the taxonomy routes the topic; one definition). */
export const ArticleFileSchema = z.array(ArticleFieldsSchema.check(z.superRefine(idMatchesTopic))).check(z.minLength(1, 'a file holds at least one article'));

export function parseArticleFile(json: unknown, source: string, expectedTopic?: string): KnowledgeArticle[] {
  const result = check(ArticleFileSchema, json);
  if (!result.success) {
    throw new ValidationError(result.problems.map((p) => ({ field: `${source}:${p.field}`, problem: p.problem })));
  }
  const misplaced = result.data.flatMap((article, index) =>
    expectedTopic !== undefined && article.topic !== expectedTopic
      ? [{ field: `${source}:${index}.topic`, problem: `is ${article.topic} but the file is for ${expectedTopic}` }]
      : [],
  );
  if (misplaced.length > 0) throw new ValidationError(misplaced);
  return result.data.map((article) => ({ ...article, department: TOPIC_DEPARTMENT[article.topic] }));
}

/** Rejects duplicate ids across files: citations must resolve to exactly one article. */
export function assertUniqueArticleIds(articles: KnowledgeArticle[]): void {
  const seen = new Set<string>();
  const duplicates = articles.filter((article) => (seen.has(article.id) ? true : (seen.add(article.id), false)));
  if (duplicates.length > 0) {
    throw new ValidationError(duplicates.map((article) => ({ field: `${article.id}.id`, problem: 'is used by more than one article' })));
  }
}

/** Authored text in the requested script; Simplified is derived from Traditional. */
export function textIn(text: AuthoredText, script: Script): string {
  return script === 'en' ? text.en : traditionalInScript(text['zh-Hant'], script);
}

/** Every piece of text in an article, all scripts: what facts in a draft may be checked against. */
export function allArticleText(article: KnowledgeArticle): string {
  const authored = [article.topicName, article.title, article.body, article.processingTime, ...(article.fees ?? []).map((fee) => fee.item)];
  return authored.flatMap((text) => [text.en, text['zh-Hant']]).join('\n');
}
