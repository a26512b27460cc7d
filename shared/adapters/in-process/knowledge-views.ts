import { TOPIC_IDS, type DepartmentId, type TopicId } from '../../vocabulary/topics.ts';
import type { TopicNames } from '../../domain/reports/csv.ts';
import { topicNamesOf } from './topic-names.ts';
import { replyScriptFor, type Language } from '../../vocabulary/languages.ts';
import { renderSmsText } from '../../domain/drafting/templates.ts';
import { toSimplified } from '../../domain/drafting/script.ts';
import type { FileKnowledgeBase } from './file-knowledge-base.ts';
import type { KnowledgeBase } from '../../ports/knowledge-base.ts';

/** Cited article ids → titles for the agent's detail view. */
export function describeArticleFrom(knowledgeBase: KnowledgeBase) {
  return (id: string) => {
    const article = knowledgeBase.article(id);
    return article ? { id, title: article.title.en, titleZhHant: article.title['zh-Hant'] } : undefined;
  };
}

/** Topic names in English and Traditional Chinese for report labels, from the knowledge articles (topic-names.ts). */
export function topicNamesFrom(knowledgeBase: KnowledgeBase): TopicNames {
  return topicNamesOf(TOPIC_IDS.flatMap((topic) => knowledgeBase.articlesFor(topic)));
}

/** The follow-up SMS of an enquiry: the knowledge base's SMS template in the caller's script. */
export function smsComposerFrom(knowledgeBase: FileKnowledgeBase) {
  const templates = knowledgeBase.replyTemplates();
  return (facts: { enquiryId: string; topic: TopicId; department: DepartmentId; language: Language }): string => {
    const article = knowledgeBase.articlesFor(facts.topic)[0];
    const script = replyScriptFor(facts.language);
    const topicName = article ? (script === 'en' ? article.topicName.en : article.topicName['zh-Hant']) : facts.topic;
    const text = renderSmsText(templates, { script, topicName, department: facts.department, enquiryId: facts.enquiryId, hotline: article?.hotline ?? '1823' });
    return script === 'zh-Hans' ? toSimplified(text) : text;
  };
}
