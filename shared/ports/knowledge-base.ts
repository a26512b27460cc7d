import type { KnowledgeArticle } from '../domain/drafting/knowledge-article.ts';
import type { ScoredArticle, SearchOptions } from '../domain/drafting/retrieval.ts';
import type { TopicId } from '../vocabulary/topics.ts';

export type { KnowledgeArticle, ScoredArticle, SearchOptions };

/** The knowledge base drafts are grounded in: department articles per topic, searchable in any script. */
export interface KnowledgeBase {
  /** The topic's articles, in id order. */
  articlesFor(topic: TopicId): KnowledgeArticle[];
  /** BM25 over all articles, boosted towards `topic` when given; best first. */
  search(query: string, options: SearchOptions): ScoredArticle[];
  article(id: string): KnowledgeArticle | undefined;
  /** Every public number the articles give (plus 1823): safe to keep in text, never personal data. */
  publicContactNumbers(): string[];
}
