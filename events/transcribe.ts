import { z } from 'zod';
import { LANGUAGES } from '../shared/domain/language.ts';

/** Amazon Transcribe batch output (the subset we read). Transcribe writes numbers as strings. */
const NumericString = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number written as a string');

export const TranscribeOutputSchema = z.object({
  jobName: z.string(),
  status: z.string().optional(),
  results: z.object({
    language_code: z.string().optional(),
    language_identification: z.array(z.object({ code: z.string(), score: NumericString })).optional(),
    transcripts: z.array(z.object({ transcript: z.string() })).min(1, 'must hold at least one transcript'),
    items: z.array(
      z.object({
        type: z.enum(['pronunciation', 'punctuation']),
        start_time: NumericString.optional(),
        end_time: NumericString.optional(),
        alternatives: z.array(z.object({ confidence: NumericString, content: z.string() })).min(1),
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
    TranscriptionJobName: z.string().regex(/^enq-/, 'must be a job this system started (enq- prefix)'),
    TranscriptionJobStatus: z.enum(['COMPLETED', 'FAILED']),
    FailureReason: z.string().optional(),
  }),
});
export type TranscribeJobStateChange = z.infer<typeof TranscribeJobStateChangeSchema>;

export const TranscribedLanguageSchema = z.enum(LANGUAGES);
