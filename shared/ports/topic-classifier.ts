import type { TopicCandidate, TopicResult } from '../domain/classification/topic-result.ts';
import type { Language } from '../vocabulary/languages.ts';

export type { TopicResult };

export interface ClassifyInput {
  /** Redacted enquiry text. */
  text: string;
  /** The transcription's or the caller's language, when known. */
  language?: Language;
  /** A first classifier's most likely topics, for a second opinion to weigh. */
  candidates?: TopicCandidate[];
}

export interface TopicClassifier {
  classify(input: ClassifyInput): Promise<TopicResult>;
}
