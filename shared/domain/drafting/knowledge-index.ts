import type { KnowledgeBase } from '../../ports/knowledge-base.ts';
import type { TopicId } from '../topics.ts';
import { publicContactNumbers } from './hotlines.ts';
import { assertUniqueArticleIds, type KnowledgeArticle } from './knowledge-article.ts';
import { buildRetrievalIndex, searchIndex, type RetrievalIndex, type ScoredArticle, type SearchOptions } from './retrieval.ts';

/** A knowledge base over validated articles held in memory; adapters decide where the articles come from. */
export class InMemoryKnowledgeBase implements KnowledgeBase {
  private readonly byId: Map<string, KnowledgeArticle>;
  private readonly index: RetrievalIndex;

  constructor(articles: KnowledgeArticle[]) {
    assertUniqueArticleIds(articles);
    const sorted = [...articles].sort((a, b) => a.id.localeCompare(b.id));
    this.byId = new Map(sorted.map((article) => [article.id, article]));
    this.index = buildRetrievalIndex(sorted);
  }

  articlesFor(topic: TopicId): KnowledgeArticle[] {
    return [...this.byId.values()].filter((article) => article.topic === topic);
  }

  search(query: string, options: SearchOptions): ScoredArticle[] {
    return searchIndex(this.index, query, options);
  }

  article(id: string): KnowledgeArticle | undefined {
    return this.byId.get(id);
  }

  publicContactNumbers(): string[] {
    return publicContactNumbers([...this.byId.values()].map((article) => article.hotline));
  }

  allArticles(): KnowledgeArticle[] {
    return [...this.byId.values()];
  }
}
