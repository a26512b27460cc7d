import { FileKnowledgeBase } from '../shared/adapters/in-process/file-knowledge-base.ts';
import { LocalTopicClassifier } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { TemplateReplyDrafter } from '../shared/adapters/in-process/template-reply-drafter.ts';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import { loadGazetteer } from '../shared/adapters/in-process/gazetteer-file.ts';
import { publicPlaceNames } from '../shared/domain/location/gazetteer.ts';
import type { PersonalDataRedactor } from '../shared/ports/personal-data-redactor.ts';
import type { ReplyDrafter } from '../shared/ports/reply-drafter.ts';
import type { TopicClassifier } from '../shared/ports/topic-classifier.ts';
import type { TopicModelStore } from '../shared/ports/topic-models.ts';

/**
 * The local analysis adapters: the real redactor, the trained local classifier (the version promoted in
 * `models` when given and loadable, as classify does on AWS; else the shipped model), the template drafter.
 */
export async function localAnalysisAdapters(
  knowledgeDir: string,
  options: { models?: TopicModelStore } = {},
): Promise<{ redactor: PersonalDataRedactor; classifier: TopicClassifier; drafter: ReplyDrafter }> {
  const [knowledgeBase, classifier, gazetteer] = await Promise.all([
    FileKnowledgeBase.load(knowledgeDir),
    LocalTopicClassifier.load(knowledgeDir, options.models ? { models: options.models } : {}),
    loadGazetteer(knowledgeDir),
  ]);
  return {
    redactor: createRedactor({ publicNumbers: knowledgeBase.publicContactNumbers(), publicPlaces: publicPlaceNames(gazetteer) }),
    classifier,
    drafter: new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
  };
}
