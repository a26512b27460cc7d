import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsCallerHasher } from '#adapters/aws/kms-caller-hasher.ts';
import type { SNSEvent } from 'aws-lambda';
import { DynamoOptOutRegistry } from '#adapters/aws/dynamo-sms-tables.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleInboundSmsEvent } from './handle.ts';

const config = loadConfig();
const hasher = new KmsCallerHasher(new KMSClient({}), required(config.CALLER_HASH_KEY_ID, 'CALLER_HASH_KEY_ID'));
const deps = { optOuts: new DynamoOptOutRegistry(new DynamoDBClient({}), required(config.SMS_TABLE_NAME, 'SMS_TABLE_NAME'), hasher), clock: systemClock };

export const handler = withMiddleware((event: SNSEvent) => handleInboundSmsEvent(event, deps));
