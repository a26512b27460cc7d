import * as z from 'zod/mini';
import { LANGUAGES } from '../shared/vocabulary/languages.ts';

/** Amazon Transcribe batch output (the subset we read). Transcribe writes numbers as strings. */
const NumericString = z.string().check(z.regex(/^-?\d+(\.\d+)?$/, 'must be a number written as a string'));

export const TranscribeOutputSchema = z.object({
  jobName: z.string(),
  status: z.optional(z.string()),
  results: z.object({
    language_code: z.optional(z.string()),
    language_identification: z.optional(z.array(z.object({ code: z.string(), score: NumericString }))),
    transcripts: z.array(z.object({ transcript: z.string() })).check(z.minLength(1, 'must hold at least one transcript')),
    items: z.array(
      z.object({
        type: z.enum(['pronunciation', 'punctuation']),
        start_time: z.optional(NumericString),
        end_time: z.optional(NumericString),
        alternatives: z.array(z.object({ confidence: NumericString, content: z.string() })).check(z.minLength(1)),
      }),
    ),
  }),
});
export type TranscribeOutput = z.infer<typeof TranscribeOutputSchema>;

/** EventBridge "Transcribe Job State Change". */
export const TranscribeJobStateChangeSchema = z.object({
  source: z.literal('aws.transcribe'),
  'detail-type': z.literal('Transcribe Job State Change'),
  detail: z.object({
    TranscriptionJobName: z.string().check(z.regex(/^enq-/, 'must be a job this system started (enq- prefix)')),
    TranscriptionJobStatus: z.enum(['COMPLETED', 'FAILED']),
    FailureReason: z.optional(z.string()),
  }),
});
export type TranscribeJobStateChange = z.infer<typeof TranscribeJobStateChangeSchema>;

export const TranscribedLanguageSchema = z.enum(LANGUAGES);
