import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { TranscribeJobs, vocabulariesFromEnv } from '#adapters/aws/transcribe-jobs.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleStartTranscription } from './handle.ts';

const config = loadConfig();
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  transcriber: new TranscribeJobs(new TranscribeClient({}), {
    outputBucket: required(config.TRANSCRIPTS_BUCKET, 'TRANSCRIPTS_BUCKET'),
    outputKeyArn: required(config.TRANSCRIPTS_KEY_ARN, 'TRANSCRIPTS_KEY_ARN'),
    vocabularies: vocabulariesFromEnv(process.env),
  }),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleStartTranscription(event, deps));
