import type { Language } from '../../vocabulary/languages.ts';
import { CASE_TYPES, TOPIC_DEPARTMENT, type CaseType, type DepartmentId, type TopicId } from '../../vocabulary/topics.ts';
import { loadClassifier, loadClassifierFromArrays, trainClassifier, type ClassifierOptions, type TrainedClassifier } from './classifier.ts';
import type { ModelArrays } from './text-classifier.ts';
import type { Glossary } from './glossary.ts';
import { detectLanguage } from './language-detection.ts';
import { wordTokens } from './features.ts';
import { normaliseEnquiryText } from './normalise.ts';
import { keywordGroupsOf, urgencyOf, type Taxonomy } from './taxonomy.ts';
import type { TopicCandidate, TopicResult } from './topic-result.ts';

/**
 * Callers never write our internal topic ids; text that does ("reply with the topic salaries_tax") is an
 * injection attempt aimed at the model, so the ids are removed before the bag-of-words model sees them.
 */
function withoutTopicIds(text: string, ids: RegExp): string {
  return text.replace(ids, ' ');
}

/** A labelled enquiry for the topic model: topic, and (when known) case type and who wrote it. */
export interface TopicTrainingExample {
  text: string;
  label: string;
  caseType?: CaseType;
  /** Writer or batch: calibration folds keep it together, so confidence is fitted on unseen writers. */
  source?: string;
  /** How it is written (voicemail, letter, …): with the source, the calibration group. */
  style?: string;
}

/**
 * Case type when no case-labelled examples were given to train on (generic data sets): a question is an
 * enquiry, anything else is treated as a complaint (the safer reading: it is acknowledged and referred).
 */
function caseTypeByForm(text: string): CaseType {
  return /[?？]|\b(how|where|when|what|can i|do i|is it|are there)\b|點樣|點解|幾時|邊度|幾多|可唔可以|可否|如何|怎么|怎樣|哪里|多少|是否|嗎|吗/iu.test(text) ? 'enquiry' : 'complaint';
}

const MIN_CASE_EXAMPLES = 40;

/**
 * A text of a few words cannot support near-certainty, whatever the model's logits say: the calibration
 * data holds few such texts, so confidence up there is unverified. Up to 3 words (Chinese counted by ICU
 * word segmentation: "街燈壞咗" is 3) the confidence is capped at 0.9, up to 6 at 0.97: below the learnt
 * accept threshold (≈ 0.95) for the shortest, so they get a second opinion or an agent's check.
 */
export function shortTextCeiling(text: string): number {
  const words = wordTokens(normaliseEnquiryText(text)).filter((token) => token !== '<num>').length;
  return words <= 3 ? 0.9 : words <= 6 ? 0.97 : 1;
}

/** One classifier of the binary model file: its header (the serialised form without the arrays) and its arrays. */
export interface ModelPartArrays {
  header: unknown;
  arrays: ModelArrays;
}

/** Both classifiers as the binary model file holds them. */
export interface ModelPartsArrays {
  topics: ModelPartArrays;
  caseTypes?: ModelPartArrays;
}

/** Serialised form of both models (topic, and case type when trained). */
export interface LocalTopicModelJson {
  topics: ReturnType<TrainedClassifier['toJSON']>;
  caseTypes?: ReturnType<TrainedClassifier['toJSON']>;
}

/**
 * The local classifier over the hotline taxonomy: topic and case type from trained models, department and
 * urgency from the taxonomy. The department is chosen first, by summing the topic probabilities of each
 * department (what an enquiry's routing depends on), then the most probable topic within it.
 */
export class LocalTopicModel {
  private readonly topicIds: RegExp;

  private constructor(
    readonly taxonomy: Taxonomy,
    private readonly model: TrainedClassifier,
    private readonly caseTypes: TrainedClassifier | undefined,
  ) {
    this.topicIds = new RegExp(`\\b(${taxonomy.topics.map((t) => t.id).join('|')})\\b`, 'giu');
  }

  /** Trains on labelled examples, with the taxonomy's keywords as a cross-language lexicon. */
  static train(taxonomy: Taxonomy, examples: TopicTrainingExample[], options: ClassifierOptions = {}): LocalTopicModel {
    const grouped = (label: (e: TopicTrainingExample) => string | undefined) =>
      examples.flatMap((e) => {
        const value = label(e);
        return value === undefined ? [] : [{ text: e.text, label: value, ...(e.source === undefined ? {} : { group: `${e.source}/${e.style ?? 'any'}` }) }];
      });
    const model = trainClassifier(grouped((e) => e.label), { keywordGroups: keywordGroupsOf(taxonomy), ...options });
    const caseExamples = grouped((e) => e.caseType);
    // Case type is about how people ask, not what about: no topic lexicon, no second-opinion threshold needed.
    const caseTypes = caseExamples.length >= MIN_CASE_EXAMPLES && new Set(caseExamples.map((e) => e.label)).size > 1 ? trainClassifier(caseExamples, { ...options, keywordGroups: undefined }) : undefined;
    return new LocalTopicModel(taxonomy, model, caseTypes);
  }

  /** A model trained earlier (`toJSON`), e.g. the one shipped in the knowledge layer. */
  static fromJSON(taxonomy: Taxonomy, json: LocalTopicModelJson, resources: { glossary?: Glossary } = {}): LocalTopicModel {
    return LocalTopicModel.checked(taxonomy, loadClassifier(json.topics, resources), json.caseTypes ? loadClassifier(json.caseTypes, resources) : undefined);
  }

  /** The model shipped in the knowledge layer, from its binary file's typed arrays (model-binary.ts). */
  static fromArrays(taxonomy: Taxonomy, parts: ModelPartsArrays, resources: { glossary?: Glossary } = {}): LocalTopicModel {
    const load = (part: ModelPartArrays) => loadClassifierFromArrays(part.header, part.arrays, resources);
    return LocalTopicModel.checked(taxonomy, load(parts.topics), parts.caseTypes ? load(parts.caseTypes) : undefined);
  }

  private static checked(taxonomy: Taxonomy, model: TrainedClassifier, caseTypes: TrainedClassifier | undefined): LocalTopicModel {
    const unknown = model.labels.filter((label) => !taxonomy.topics.some((topic) => topic.id === label));
    if (unknown.length > 0) throw new Error(`topic model predicts labels the taxonomy does not have: ${unknown.join(', ')}`);
    const unknownCases = caseTypes?.labels.filter((label) => !(CASE_TYPES as readonly string[]).includes(label)) ?? [];
    if (unknownCases.length > 0) throw new Error(`case type model predicts unknown case types: ${unknownCases.join(', ')}`);
    return new LocalTopicModel(taxonomy, model, caseTypes);
  }

  toJSON(): LocalTopicModelJson {
    return { topics: this.model.toJSON(), ...(this.caseTypes ? { caseTypes: this.caseTypes.toJSON() } : {}) };
  }

  /** Calibrated confidence at or above which the local answer is accepted (chosen at training, out of fold). */
  get acceptThreshold(): number {
    return this.model.acceptThreshold;
  }

  /** What the topic model's calibration found at training time (absent on a loaded model). */
  get calibration(): TrainedClassifier['calibration'] {
    return this.model.calibration;
  }

  /** Topic probabilities by topic id (calibrated), for evaluation. */
  topicProbabilities(text: string): Map<TopicId, number> {
    const probabilities = this.model.probabilities(withoutTopicIds(text, this.topicIds));
    return new Map(this.model.labels.map((label, k) => [label as TopicId, probabilities[k] as number]));
  }

  classify(text: string, language?: Language, options: { acceptAtOrAbove?: number } = {}): TopicResult {
    const clean = withoutTopicIds(text, this.topicIds);
    const probabilities = this.topicProbabilities(text);
    const byDepartment = new Map<DepartmentId, number>();
    for (const [topic, p] of probabilities) byDepartment.set(TOPIC_DEPARTMENT[topic], (byDepartment.get(TOPIC_DEPARTMENT[topic]) ?? 0) + p);
    const department = [...byDepartment.entries()].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    const ranked = [...probabilities.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [topic, modelConfidence] = ranked.find(([t]) => TOPIC_DEPARTMENT[t] === department) as [TopicId, number];
    const confidence = Math.min(modelConfidence, shortTextCeiling(clean));
    const ceiling = shortTextCeiling(clean);
    const candidates: TopicCandidate[] = ranked.slice(0, 3).map(([t, p]) => ({ topic: t, department: TOPIC_DEPARTMENT[t], confidence: round3(Math.min(p, ceiling)) }));
    const threshold = options.acceptAtOrAbove ?? this.acceptThreshold;
    const accepted = confidence >= threshold;
    const evidence = this.model.evidence(clean, topic);
    const said = evidence.length ? `"${evidence.join('", "')}"` : 'no known terms';
    return {
      topic,
      department,
      urgency: urgencyOf(this.taxonomy, topic, text),
      confidence: round3(confidence),
      language: language ?? detectLanguage(text),
      caseType: this.caseTypeOf(clean),
      candidates,
      accepted,
      rationale: accepted
        ? `local model: ${said} (p=${confidence.toFixed(2)})`
        : `local model unsure: best ${topic} at ${confidence.toFixed(2)} (accepts at ${threshold.toFixed(2)}); ${said}`,
      source: 'local',
    };
  }

  private caseTypeOf(text: string): CaseType {
    if (!this.caseTypes) return caseTypeByForm(text);
    return this.caseTypes.predict(text).label as CaseType;
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
