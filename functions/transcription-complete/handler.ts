import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { StepFunctionsCallbacks } from '#adapters/aws/step-functions.ts';
import { TranscriptOutputs } from '#adapters/aws/transcript-outputs.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleTranscriptionEvent } from './handle.ts';

const config = loadConfig();
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  transcriber: new TranscriptOutputs(new S3Client({}), { outputBucket: required(config.TRANSCRIPTS_BUCKET, 'TRANSCRIPTS_BUCKET') }),
  callbacks: new StepFunctionsCallbacks(new SFNClient({})),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleTranscriptionEvent(event, deps));
