import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../domain/errors.ts';

/*
 * Reading the knowledge layer's files: `<dir>/articles/<topicId>.json` (an array of articles) and
 * `<dir>/templates.json`. In Lambda the layer is mounted at /opt/knowledge (KNOWLEDGE_DIR); locally the
 * same files are read from the repo. Only file access here: what the JSON must hold is up to the reader.
 *
 * The reads are synchronous on purpose. They happen once, at a cold start (init phase), from a local read-only
 * layer, while nothing else can run: an asynchronous read is ~4 thread-pool round trips per file (open, stat,
 * read, close) and starts the pool, and the 77 article files took 18–27 ms that way against 3 ms read in turn
 * (measured, issue 22). The functions stay async so callers need not care.
 */

const REPO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../layers/knowledge', import.meta.url));

export function defaultKnowledgeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KNOWLEDGE_DIR ?? REPO_KNOWLEDGE_DIR;
}

/** Parsed JSON of one file; `source` (the path within the layer) names the file in the error. */
export async function readJson(path: string, source: string): Promise<unknown> {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: source, problem: `is not valid JSON (${(error as Error).message})` }]);
  }
}

export interface ArticleFile {
  /** e.g. `articles/water_bill.json`: prefixes every field in validation errors. */
  source: string;
  /** The topic the file is named after. */
  topic: string;
  json: unknown;
}

/** Every `articles/*.json`, parsed but not validated, in file-name order. */
export async function readArticleFiles(dir: string): Promise<ArticleFile[]> {
  const names = readdirSync(join(dir, 'articles'))
    .filter((name) => name.endsWith('.json'))
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const source = `articles/${name}`;
      return { source, topic: basename(name, '.json'), json: await readJson(join(dir, 'articles', name), source) };
    }),
  );
}
