import type { Language } from '../language.ts';
import type { TopicId } from '../topics.ts';
import { loadClassifier, trainClassifier, type ClassifierOptions, type LabelledText, type TrainedClassifier } from './classifier.ts';
import type { Glossary } from './glossary.ts';
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
  private readonly topicIds: RegExp;

  private constructor(
    readonly taxonomy: Taxonomy,
    private readonly model: TrainedClassifier,
    private readonly options: { rejectBelow?: number },
  ) {
    this.topicIds = new RegExp(`\\b(${taxonomy.topics.map((t) => t.id).join('|')})\\b`, 'giu');
  }

  /** Trains on labelled examples, with the taxonomy's keywords as a cross-language lexicon. */
  static train(taxonomy: Taxonomy, examples: LabelledText[], options: ClassifierOptions & { rejectBelow?: number } = {}): LocalTopicModel {
    const { rejectBelow, ...training } = options;
    const model = trainClassifier(examples, { keywordGroups: keywordGroupsOf(taxonomy), ...training });
    return new LocalTopicModel(taxonomy, model, { rejectBelow });
  }

  /** A model trained earlier (`toJSON`), e.g. the one shipped in the knowledge layer. */
  static fromJSON(taxonomy: Taxonomy, json: unknown, resources: { glossary?: Glossary } = {}, options: { rejectBelow?: number } = {}): LocalTopicModel {
    const model = loadClassifier(json, resources);
    const unknown = model.labels.filter((label) => !taxonomy.topics.some((topic) => topic.id === label));
    if (unknown.length > 0) throw new Error(`topic model predicts labels the taxonomy does not have: ${unknown.join(', ')}`);
    return new LocalTopicModel(taxonomy, model, options);
  }

  toJSON(): ReturnType<TrainedClassifier['toJSON']> {
    return this.model.toJSON();
  }

  classify(text: string, language?: Language): TopicResult {
    const prediction = this.model.predict(withoutTopicIds(text, this.topicIds));
    const rejected = prediction.confidence < (this.options.rejectBelow ?? DEFAULT_REJECT_BELOW);
    const topic = (rejected ? 'out_of_scope' : prediction.label) as TopicId;
    const evidence = prediction.evidence.length ? `"${prediction.evidence.join('", "')}"` : 'no known terms';
    return {
      topic,
      department: departmentOf(topic),
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
