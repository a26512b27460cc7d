import type { KnowledgeBase } from '../../ports/knowledge-base.ts';
import type { TopicId } from '../../vocabulary/topics.ts';
import { publicContactNumbers } from './hotlines.ts';
import { assertUniqueArticleIds, type KnowledgeArticle } from './knowledge-article.ts';
import { buildRetrievalIndex, searchIndex, type RetrievalIndex, type ScoredArticle, type SearchOptions } from './retrieval.ts';
import { compareCodeUnits } from '../order.ts';

/** A knowledge base over validated articles held in memory; adapters decide where the articles come from. */
export class InMemoryKnowledgeBase implements KnowledgeBase {
  private readonly byId: Map<string, KnowledgeArticle>;
  /**
   * Built on the first search, not at load: tokenising every article (word segmentation, Simplified forms) was
   * most of the draft function's cold start (~400 ms of ~600, bench), and topic-report and review-api load the
   * knowledge base for names and articles but search only to redraft (issue 22).
   */
  private index: RetrievalIndex | undefined;

  constructor(articles: KnowledgeArticle[]) {
    assertUniqueArticleIds(articles);
    const sorted = [...articles].sort((a, b) => compareCodeUnits(a.id, b.id));
    this.byId = new Map(sorted.map((article) => [article.id, article]));
  }

  articlesFor(topic: TopicId): KnowledgeArticle[] {
    return [...this.byId.values()].filter((article) => article.topic === topic);
  }

  search(query: string, options: SearchOptions): ScoredArticle[] {
    this.index ??= buildRetrievalIndex([...this.byId.values()]);
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
