import type { TranscribeOutput } from '../../events/transcribe.ts';
import type { Language } from '../vocabulary/languages.ts';

export interface TranscriptionJobRequest {
  jobName: string;
  audio: { bucket: string; key: string };
  languageOptions: Language[];
}

export interface Transcriber {
  /** Starts a batch job. A job with the same name already existing is not an error. */
  startJob(request: TranscriptionJobRequest): Promise<{ alreadyStarted: boolean }>;
  /** Reads the output of a completed job. */
  readOutput(jobName: string): Promise<TranscribeOutput>;
}
