import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { TranscribeOutputSchema, type TranscribeOutput } from '../../../events/transcribe.ts';
import { parseOrThrow } from '../../domain/validation.ts';
import type { Transcriber } from '../../ports/transcriber.ts';
import { transcriptKeyFor } from './transcribe-jobs.ts';

/**
 * Reads a completed Transcribe job's output from our bucket. Its own module (no Transcribe client): the
 * transcription-complete function loads only the S3 client.
 */
export class TranscriptOutputs implements Pick<Transcriber, 'readOutput'> {
  constructor(
    private readonly s3: S3Client,
    private readonly settings: { outputBucket: string },
  ) {}

  async readOutput(jobName: string): Promise<TranscribeOutput> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.settings.outputBucket, Key: transcriptKeyFor(jobName) }));
    const body = await object.Body?.transformToString('utf8');
    if (!body) throw new Error(`transcript ${transcriptKeyFor(jobName)} is empty`);
    return parseOrThrow(TranscribeOutputSchema, JSON.parse(body));
  }
}
