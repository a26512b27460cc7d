import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArticleFile, type KnowledgeArticle } from '../../domain/drafting/knowledge-article.ts';
import { InMemoryKnowledgeBase } from '../../domain/drafting/knowledge-index.ts';
import { parseReplyTemplates, type ReplyTemplates } from '../../domain/drafting/templates.ts';
import { ValidationError } from '../../domain/errors.ts';

/*
 * The knowledge layer as files: `<dir>/articles/<topicId>.json` (an array of articles) and
 * `<dir>/templates.json`. In Lambda the layer is mounted at /opt/knowledge (KNOWLEDGE_DIR); locally the
 * same files are read from the repo. Loaded once per directory and cached: warm invocations reuse it.
 */

const REPO_KNOWLEDGE_DIR = fileURLToPath(new URL('../../../layers/knowledge', import.meta.url));

export function defaultKnowledgeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KNOWLEDGE_DIR ?? REPO_KNOWLEDGE_DIR;
}

async function readJson(path: string, source: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ValidationError([{ field: source, problem: `is not valid JSON (${(error as Error).message})` }]);
  }
}

async function readArticles(dir: string): Promise<KnowledgeArticle[]> {
  const files = (await readdir(join(dir, 'articles'))).filter((name) => name.endsWith('.json')).sort();
  const perFile = await Promise.all(
    files.map(async (name) => {
      const source = `articles/${name}`;
      return parseArticleFile(await readJson(join(dir, 'articles', name), source), source, basename(name, '.json'));
    }),
  );
  return perFile.flat();
}

export class FileKnowledgeBase extends InMemoryKnowledgeBase {
  private static readonly cache = new Map<string, Promise<FileKnowledgeBase>>();

  private constructor(
    readonly dir: string,
    articles: KnowledgeArticle[],
    private readonly templates: ReplyTemplates,
  ) {
    super(articles);
  }

  /** Reads and validates the whole layer; errors name the file and field. Cached per directory. */
  static load(dir: string = defaultKnowledgeDir()): Promise<FileKnowledgeBase> {
    const key = resolve(dir);
    let loading = FileKnowledgeBase.cache.get(key);
    if (!loading) {
      loading = FileKnowledgeBase.read(key);
      // A failed load is not cached: fixing the file and retrying must work in a long-lived process.
      loading.catch(() => FileKnowledgeBase.cache.delete(key));
      FileKnowledgeBase.cache.set(key, loading);
    }
    return loading;
  }

  private static async read(dir: string): Promise<FileKnowledgeBase> {
    const [articles, templatesJson] = await Promise.all([readArticles(dir), readJson(join(dir, 'templates.json'), 'templates.json')]);
    return new FileKnowledgeBase(dir, articles, parseReplyTemplates(templatesJson, 'templates.json'));
  }

  /** Reply and SMS templates from the same layer. */
  replyTemplates(): ReplyTemplates {
    return this.templates;
  }
}
