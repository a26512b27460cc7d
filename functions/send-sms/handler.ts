import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { KmsCallerHasher } from '#adapters/aws/kms-caller-hasher.ts';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { DynamoOptOutRegistry, DynamoSentSmsLedger } from '#adapters/aws/dynamo-sms-tables.ts';
import { EndUserMessagingSmsSender } from '#adapters/aws/end-user-messaging-sms.ts';
import { SqsMessageDeferral } from '#adapters/aws/sqs-message-deferral.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleSendSmsBatch, type SendSmsDeps } from './handle.ts';

const config = loadConfig();
const dynamo = new DynamoDBClient({});
const smsTable = required(config.SMS_TABLE_NAME, 'SMS_TABLE_NAME');
const deps: SendSmsDeps = {
  store: new DynamoEnquiryStore(dynamo, required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  // One attempt: an SDK retry after a timeout or 5xx could text the caller twice; definite refusals are
  // retried through SQS, ambiguous ones are recorded as delivery_unknown (send-sms/handle.ts).
  sender: new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({ maxAttempts: 1 }), {
    ...(config.SMS_ORIGINATION_IDENTITY ? { originationIdentity: config.SMS_ORIGINATION_IDENTITY } : {}),
  }),
  optOuts: new DynamoOptOutRegistry(dynamo, smsTable, new KmsCallerHasher(new KMSClient({}), required(config.CALLER_HASH_KEY_ID, 'CALLER_HASH_KEY_ID'))),
  ledger: new DynamoSentSmsLedger(dynamo, smsTable),
  deferral: new SqsMessageDeferral(new SQSClient({}), required(config.SMS_OUTBOX_URL, 'SMS_OUTBOX_URL')),
  clock: systemClock,
  maxSegments: config.SMS_MAX_SEGMENTS,
  ...(config.SMS_QUIET_HOURS ? { quietHours: config.SMS_QUIET_HOURS } : {}),
};

export const handler = withMiddleware((event: SQSEvent, context: Context) => handleSendSmsBatch(event, context, deps));
