import type { TopicResult } from '../domain/classification/topic-result.ts';
import type { Language } from '../domain/language.ts';

export type { TopicResult };

export interface TopicClassifier {
  /** Classifies redacted enquiry text; `language` is the transcription's or the caller's, when known. */
  classify(input: { text: string; language?: Language }): Promise<TopicResult>;
}
