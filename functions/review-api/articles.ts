import type { KnowledgeBase } from '#ports/knowledge-base.ts';

/** Cited article ids → titles for the agent's detail view. */
export function describeArticleFrom(knowledgeBase: KnowledgeBase) {
  return (id: string) => {
    const article = knowledgeBase.article(id);
    return article ? { id, title: article.title.en, titleZhHant: article.title['zh-Hant'] } : undefined;
  };
}
