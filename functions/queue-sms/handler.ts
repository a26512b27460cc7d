import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { SqsSmsOutbox } from '#adapters/aws/sqs-sms-outbox.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleQueueSms } from './handle.ts';

const config = loadConfig();
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  outbox: new SqsSmsOutbox(new SQSClient({}), required(config.SMS_OUTBOX_URL, 'SMS_OUTBOX_URL')),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleQueueSms(event, deps));
