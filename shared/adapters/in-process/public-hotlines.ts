import * as z from 'zod/mini';
import { HotlineSchema, publicContactNumbers } from '../../domain/drafting/hotlines.ts';
import { ValidationError, type FieldProblem } from '../../domain/errors.ts';
import { check } from '../../domain/validation.ts';
import { defaultKnowledgeDir, readArticleFiles } from './knowledge-files.ts';

/*
 * The public government hotlines in the knowledge layer's articles, read on their own: the redact Lambda
 * needs only these numbers (never redacted), not the articles, templates or OpenCC script conversion that
 * FileKnowledgeBase loads. Gives the same numbers as `FileKnowledgeBase.publicContactNumbers()`.
 */

/** Only the field needed; the rest of each article is FileKnowledgeBase's to validate. */
const HotlinesFileSchema = z.array(z.object({ hotline: HotlineSchema })).check(z.minLength(1, 'a file holds at least one article'));

/** The articles' hotlines plus 1823, sorted. Errors name the file and field, e.g. `articles/x.json:0.hotline`. */
export async function readPublicContactNumbers(dir: string = defaultKnowledgeDir()): Promise<string[]> {
  const hotlines: string[] = [];
  const problems: FieldProblem[] = [];
  for (const { source, json } of await readArticleFiles(dir)) {
    const result = check(HotlinesFileSchema, json);
    if (result.success) hotlines.push(...result.data.map((article) => article.hotline));
    else problems.push(...result.problems.map((p) => ({ field: `${source}:${p.field}`, problem: p.problem })));
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return publicContactNumbers(hotlines);
}
