import { join, resolve } from 'node:path';
import { parseArticleFile, type KnowledgeArticle } from '../../domain/drafting/knowledge-article.ts';
import { InMemoryKnowledgeBase } from '../../domain/drafting/knowledge-index.ts';
import { parseReplyTemplates, withDepartmentNames, type ReplyTemplates } from '../../domain/drafting/templates.ts';
import { parseTaxonomy, type Taxonomy } from '../../domain/classification/taxonomy.ts';
import { defaultKnowledgeDir, readArticleFiles, readJson } from './knowledge-files.ts';

export { defaultKnowledgeDir };

/*
 * The knowledge layer as files (see knowledge-files.ts for the layout): every article validated and
 * indexed, plus the reply templates. Loaded once per directory and cached: warm invocations reuse it.
 * Code that needs only the public hotline numbers reads them with public-hotlines.ts instead.
 */

async function readArticles(dir: string): Promise<KnowledgeArticle[]> {
  const files = await readArticleFiles(dir);
  return files.flatMap(({ source, topic, json }) => parseArticleFile(json, source, topic));
}

export class FileKnowledgeBase extends InMemoryKnowledgeBase {
  private static readonly cache = new Map<string, Promise<FileKnowledgeBase>>();

  private constructor(
    readonly dir: string,
    articles: KnowledgeArticle[],
    private readonly templates: ReplyTemplates,
    /** The taxonomy the articles belong to: topics, their routes and department names. */
    readonly taxonomy: Taxonomy,
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
    const [articles, templatesJson, taxonomyJson] = await Promise.all([
      readArticles(dir),
      readJson(join(dir, 'templates.json'), 'templates.json'),
      readJson(join(dir, 'taxonomy.json'), 'taxonomy.json'),
    ]);
    const taxonomy = parseTaxonomy(taxonomyJson);
    return new FileKnowledgeBase(dir, articles, withDepartmentNames(parseReplyTemplates(templatesJson, 'templates.json'), taxonomy.departments), taxonomy);
  }

  /** Reply and SMS templates from the same layer. */
  replyTemplates(): ReplyTemplates {
    return this.templates;
  }
}
