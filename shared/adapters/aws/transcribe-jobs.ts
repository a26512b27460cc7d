import { ConflictException, StartTranscriptionJobCommand, type TranscribeClient } from '@aws-sdk/client-transcribe';
import type { Language } from '../../vocabulary/languages.ts';
import type { TranscriptionJobRequest, Transcriber } from '../../ports/transcriber.ts';

export interface TranscribeSettings {
  outputBucket: string;
  outputKeyArn: string;
  /** Custom vocabulary per language (Hong Kong place and department names); absent languages use none. */
  vocabularies?: Partial<Record<Language, string>>;
}

/** Vocabulary names from TRANSCRIBE_VOCABULARY_ZH_HK / _EN_US / _ZH_CN, set by CDK when vocabularies exist. */
export function vocabulariesFromEnv(env: NodeJS.ProcessEnv): Partial<Record<Language, string>> {
  const entries: [Language, string | undefined][] = [
    ['zh-HK', env.TRANSCRIBE_VOCABULARY_ZH_HK],
    ['en-US', env.TRANSCRIBE_VOCABULARY_EN_US],
    ['zh-CN', env.TRANSCRIBE_VOCABULARY_ZH_CN],
  ];
  return Object.fromEntries(entries.filter((e): e is [Language, string] => Boolean(e[1])));
}

export const transcriptKeyFor = (jobName: string): string => `transcripts/${jobName}.json`;

/**
 * Starts Amazon Transcribe batch jobs with language identification, output KMS-encrypted to our bucket.
 * Its own module (no S3 client): the start-transcription function loads only the Transcribe client.
 */
export class TranscribeJobs implements Pick<Transcriber, 'startJob'> {
  constructor(
    private readonly transcribe: TranscribeClient,
    private readonly settings: TranscribeSettings,
  ) {}

  async startJob(request: TranscriptionJobRequest): Promise<{ alreadyStarted: boolean }> {
    const vocabularies = this.settings.vocabularies ?? {};
    const languageIdSettings = Object.fromEntries(
      request.languageOptions.flatMap((language) => {
        const name = vocabularies[language];
        return name ? [[language, { VocabularyName: name }]] : [];
      }),
    );
    try {
      await this.transcribe.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: request.jobName,
          Media: { MediaFileUri: `s3://${request.audio.bucket}/${request.audio.key}` },
          IdentifyLanguage: true,
          LanguageOptions: request.languageOptions,
          ...(Object.keys(languageIdSettings).length ? { LanguageIdSettings: languageIdSettings } : {}),
          OutputBucketName: this.settings.outputBucket,
          OutputKey: transcriptKeyFor(request.jobName),
          OutputEncryptionKMSKeyId: this.settings.outputKeyArn,
        }),
      );
      return { alreadyStarted: false };
    } catch (error) {
      // Job names are unique per account: a retried step finds its own job already running.
      if (error instanceof ConflictException) return { alreadyStarted: true };
      throw error;
    }
  }
}
