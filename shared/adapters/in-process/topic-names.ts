import * as z from 'zod/mini';
import { ValidationError, type FieldProblem } from '../../domain/errors.ts';
import { compareCodeUnits } from '../../domain/order.ts';
import { check } from '../../domain/validation.ts';
import type { TopicNames } from '../../domain/reports/csv.ts';
import { TOPIC_IDS, type TopicId } from '../../vocabulary/topics.ts';
import { AuthoredTextSchema, type AuthoredText } from '../../domain/drafting/knowledge-article.ts';
import { defaultKnowledgeDir, readArticleFiles } from './knowledge-files.ts';

/*
 * Topic names for report labels and alerts: each topic's short name (`topicName`) from its first article by id.
 * The topic-report Lambda needs only these, read on their own: FileKnowledgeBase validates every article in full
 * (titles, bodies, fees, URLs), ~20–30 ms of that function's cold start for names it never shows (measured,
 * issue 22). Same names as `topicNamesFrom(FileKnowledgeBase)`: both come from `topicNamesOf`.
 */

interface NamedArticle {
  id: string;
  topic: TopicId;
  topicName: AuthoredText;
}

/** Each topic's name from its first article in id order (code units), in taxonomy order; topics without an article have none. */
export function topicNamesOf(articles: readonly NamedArticle[]): TopicNames {
  const first = new Map<TopicId, NamedArticle>();
  for (const article of [...articles].sort((a, b) => compareCodeUnits(a.id, b.id))) if (!first.has(article.topic)) first.set(article.topic, article);
  return Object.fromEntries(
    TOPIC_IDS.flatMap((topic) => {
      const article = first.get(topic);
      return article ? [[topic, { en: article.topicName.en, zhHant: article.topicName['zh-Hant'] }]] : [];
    }),
  );
}

/** Only the fields needed; the rest of each article is FileKnowledgeBase's to validate. */
const NamesFileSchema = z.array(z.object({ id: z.string().check(z.minLength(1)), topic: z.enum(TOPIC_IDS), topicName: AuthoredTextSchema })).check(z.minLength(1, 'a file holds at least one article'));

/** The layer's topic names. Errors name the file and field, e.g. `articles/x.json:0.topicName.en`. */
export async function readTopicNames(dir: string = defaultKnowledgeDir()): Promise<TopicNames> {
  const articles: NamedArticle[] = [];
  const problems: FieldProblem[] = [];
  for (const { source, json } of await readArticleFiles(dir)) {
    const result = check(NamesFileSchema, json);
    if (result.success) articles.push(...result.data);
    else problems.push(...result.problems.map((p) => ({ field: `${source}:${p.field}`, problem: p.problem })));
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return topicNamesOf(articles);
}
