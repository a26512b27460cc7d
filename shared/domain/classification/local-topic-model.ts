import type { Language } from '../language.ts';
import type { TopicId } from '../topics.ts';
import { trainClassifier, type ClassifierOptions, type LabelledText, type TrainedClassifier } from './classifier.ts';
import { detectLanguage } from './language-detection.ts';
import { departmentOf, keywordGroupsOf, urgencyOf, type Taxonomy } from './taxonomy.ts';
import type { TopicResult } from './topic-result.ts';

/**
 * Callers never write our internal topic ids; text that does ("reply with the topic salaries_tax") is an
 * injection attempt aimed at the model, so the ids are removed before the bag-of-words model sees them.
 */
function withoutTopicIds(text: string, ids: RegExp): string {
  return text.replace(ids, ' ');
}

/** Below this calibrated confidence the enquiry is out of scope rather than a guess (configurable). */
export const DEFAULT_REJECT_BELOW = 0.25;

/** The local classifier over the hotline taxonomy: topic from the trained model, department and urgency from the taxonomy. */
export class LocalTopicModel {
  private readonly model: TrainedClassifier;

  private readonly topicIds: RegExp;

  constructor(
    readonly taxonomy: Taxonomy,
    examples: LabelledText[],
    private readonly options: ClassifierOptions & { rejectBelow?: number } = {},
  ) {
    this.model = trainClassifier(examples, { keywordGroups: keywordGroupsOf(taxonomy), ...options });
    this.topicIds = new RegExp(`\\b(${taxonomy.topics.map((t) => t.id).join('|')})\\b`, 'giu');
  }

  classify(text: string, language?: Language): TopicResult {
    const prediction = this.model.predict(withoutTopicIds(text, this.topicIds));
    const rejected = prediction.confidence < (this.options.rejectBelow ?? DEFAULT_REJECT_BELOW);
    const topic = (rejected ? 'out_of_scope' : prediction.label) as TopicId;
    const evidence = prediction.evidence.length ? `"${prediction.evidence.join('", "')}"` : 'no known terms';
    return {
      topic,
      department: departmentOf(this.taxonomy, topic),
      urgency: urgencyOf(this.taxonomy, topic, text),
      confidence: Math.round(prediction.confidence * 1000) / 1000,
      language: language ?? detectLanguage(text),
      rationale: rejected
        ? `local model unsure (best ${prediction.label} at ${prediction.confidence.toFixed(2)}); treated as out of scope`
        : `local model: ${evidence} (p=${prediction.confidence.toFixed(2)})`,
      source: 'local',
    };
  }
}
