import type { TranscribeOutput } from '../../events/transcribe.ts';
import { LANGUAGES, type Language } from '../vocabulary/languages.ts';
import type { TranscriptionSummary } from './enquiry.ts';

/** Below this average word confidence an agent should listen to the recording before trusting the text. */
export const LOW_CONFIDENCE_THRESHOLD = 0.75;
export const TRANSCRIBE_JOB_PREFIX = 'enq-';

export const jobNameFor = (enquiryId: string): string => `${TRANSCRIBE_JOB_PREFIX}${enquiryId}`;

export function enquiryIdFromJobName(jobName: string): string | undefined {
  return jobName.startsWith(TRANSCRIBE_JOB_PREFIX) ? jobName.slice(TRANSCRIBE_JOB_PREFIX.length) : undefined;
}

/**
 * Language options for Transcribe language identification. All three stay possible (callers code-switch
 * and hints from the IVR menu are often wrong); the hint goes first so it wins ties.
 */
export function languageOptionsFor(hint?: Language): Language[] {
  return hint ? [hint, ...LANGUAGES.filter((l) => l !== hint)] : [...LANGUAGES];
}

function isLanguage(code: string | undefined): code is Language {
  return (LANGUAGES as readonly string[]).includes(code ?? '');
}

/** Text plus what agents and later steps need to know about its quality. */
export function normaliseTranscript(
  output: TranscribeOutput,
  fallbackLanguage: Language,
): { text: string; summary: TranscriptionSummary } {
  const text = output.results.transcripts.map((t) => t.transcript.trim()).join(' ').trim();
  const words = output.results.items.filter((item) => item.type === 'pronunciation');
  const confidences = words.map((w) => Number(w.alternatives[0]?.confidence ?? 0));
  const averageConfidence = confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : 0;
  const endTimes = words.map((w) => Number(w.end_time ?? 0));
  const identified = output.results.language_code;
  return {
    text,
    summary: {
      jobName: output.jobName,
      language: isLanguage(identified) ? identified : fallbackLanguage,
      averageConfidence: Math.round(averageConfidence * 1000) / 1000,
      lowConfidence: averageConfidence < LOW_CONFIDENCE_THRESHOLD || text.length === 0,
      durationSeconds: endTimes.length ? Math.max(...endTimes) : 0,
    },
  };
}

/** Transcribe custom-vocabulary phrases: one per line, `#` comments; Transcribe rejects spaces, so words join with hyphens. */
export function parseVocabulary(text: string): string[] {
  const phrases = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const phrase of phrases) {
    if (/\s/.test(phrase) || phrase.length > 256) throw new Error(`vocabulary phrase "${phrase}" must have no spaces and at most 256 characters`);
  }
  return [...new Set(phrases)];
}
