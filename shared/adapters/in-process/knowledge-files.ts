import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '../../domain/errors.ts';

/*
 * Reading the knowledge layer's files: `<dir>/articles/<topicId>.json` (an array of articles) and
 * `<dir>/templates.json`. In Lambda the layer is mounted at /opt/knowledge (KNOWLEDGE_DIR); locally the
 * same files are read from the repo. Only file access here: what the JSON must hold is up to the reader.
 */

const REPO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../layers/knowledge', import.meta.url));

export function defaultKnowledgeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KNOWLEDGE_DIR ?? REPO_KNOWLEDGE_DIR;
}

/** Parsed JSON of one file; `source` (the path within the layer) names the file in the error. */
export async function readJson(path: string, source: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
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
  const names = (await readdir(join(dir, 'articles'))).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(
    names.map(async (name) => {
      const source = `articles/${name}`;
      return { source, topic: basename(name, '.json'), json: await readJson(join(dir, 'articles', name), source) };
    }),
  );
}
