import type { KnowledgeBase } from '../../ports/knowledge-base.ts';
import type { DraftRequest } from '../../ports/reply-drafter.ts';
import type { KnowledgeArticle } from './knowledge-article.ts';

/**
 * The articles a draft may rely on, best first. The classified topic's articles lead (ranked by the
 * enquiry text when a topic has several); related articles found by search follow, so a model can
 * mention e.g. the police for a fallen tree blocking a road. Deterministic for the same input.
 */
export function groundingFor(knowledgeBase: KnowledgeBase, request: Pick<DraftRequest, 'redactedText' | 'topic'>, limit: number): KnowledgeArticle[] {
  const topicArticles = knowledgeBase.articlesFor(request.topic);
  const ranked = knowledgeBase.search(request.redactedText, { topic: request.topic, limit: limit + topicArticles.length });
  const rankedTopic = ranked.filter((scored) => scored.article.topic === request.topic).map((scored) => scored.article);
  // Topic articles missing from the ranking (no term matched) still lead: the classifier chose the topic.
  const lead = [...rankedTopic, ...topicArticles.filter((article) => !rankedTopic.includes(article))];
  const related = ranked.map((scored) => scored.article).filter((article) => article.topic !== request.topic);
  const grounding = [...lead, ...related].slice(0, Math.max(1, limit));
  if (grounding.length === 0) throw new Error(`the knowledge base has no article for topic ${request.topic} or its enquiry`);
  return grounding;
}
