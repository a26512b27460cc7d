import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsCallerHasher } from '#adapters/aws/kms-caller-hasher.ts';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { SqsDeadLetterSink } from '#adapters/aws/sqs-dead-letters.ts';
import { StepFunctionsWorkflowStarter } from '#adapters/aws/step-functions.ts';
import { loadConfig, required } from '#config';
import type { IntakeDeps } from '#domain/accept-intake-message.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleIntakeBatch } from './handle.ts';

// Composition root: AWS adapters, created once per container and reused by warm invocations.
const config = loadConfig();
const deps: IntakeDeps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME'), {
    callerHasher: new KmsCallerHasher(new KMSClient({}), required(config.CALLER_HASH_KEY_ID, 'CALLER_HASH_KEY_ID')),
  }),
  workflow: new StepFunctionsWorkflowStarter(new SFNClient({}), required(config.STATE_MACHINE_ARN, 'STATE_MACHINE_ARN')),
  deadLetters: new SqsDeadLetterSink(new SQSClient({}), required(config.INTAKE_DLQ_URL, 'INTAKE_DLQ_URL')),
  clock: systemClock,
};

export const handler = withMiddleware((event: SQSEvent, context: Context) => handleIntakeBatch(event, context, deps));
