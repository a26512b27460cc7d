import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleAwaitReview } from './handle.ts';

const config = loadConfig();
const deps = { store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')), clock: systemClock };

export const handler = withMiddleware((event: unknown) => handleAwaitReview(event, deps));
