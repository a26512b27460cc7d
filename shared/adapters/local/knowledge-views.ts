import { TOPIC_IDS } from '../../domain/topics.ts';
import type { KnowledgeBase } from '../../ports/knowledge-base.ts';

/** Cited article ids → titles for the agent's detail view. */
export function describeArticleFrom(knowledgeBase: KnowledgeBase) {
  return (id: string) => {
    const article = knowledgeBase.article(id);
    return article ? { id, title: article.title.en, titleZhHant: article.title['zh-Hant'] } : undefined;
  };
}

/** Topic names in English and Traditional Chinese for report labels, from the knowledge articles. */
export function topicNamesFrom(knowledgeBase: KnowledgeBase): Record<string, { en: string; zhHant: string }> {
  return Object.fromEntries(
    TOPIC_IDS.flatMap((topic) => {
      const article = knowledgeBase.articlesFor(topic)[0];
      return article ? [[topic, { en: article.topicName.en, zhHant: article.topicName['zh-Hant'] }]] : [];
    }),
  );
}
