import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { DynamoPrivacyRecords } from '#adapters/aws/dynamo-privacy-records.ts';
import { KmsCallerHasher } from '#adapters/aws/kms-caller-hasher.ts';
import { loadConfig, required } from '#config';
import type { PrivacyDeps } from '#domain/privacy/requests.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handlePrivacyApi } from './handle.ts';

const config = loadConfig();
const dynamo = new DynamoDBClient({});
const enquiryTable = required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME');
const restrictedTable = required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME');
const deps: PrivacyDeps = {
  records: new DynamoPrivacyRecords(dynamo, enquiryTable, restrictedTable),
  store: new DynamoEnquiryStore(dynamo, enquiryTable, restrictedTable),
  hasher: new KmsCallerHasher(new KMSClient({}), required(config.CALLER_HASH_KEY_ID, 'CALLER_HASH_KEY_ID')),
  clock: systemClock,
  newRequestId: randomUUID,
};

export const handler = withMiddleware((event: APIGatewayProxyEventV2WithJWTAuthorizer) => handlePrivacyApi(event, deps));
