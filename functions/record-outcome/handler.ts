import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { DynamoOutcomeCounters } from '#adapters/aws/dynamo-outcome-counters.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleRecordOutcome } from './handle.ts';

const config = loadConfig();
const dynamo = new DynamoDBClient({});
const deps = {
  // Closing an enquiry starts its raw contact data's retention: the only restricted write this step may make.
  store: new DynamoEnquiryStore(dynamo, required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME'), {
    restrictedAccess: 'expiry',
  }),
  outcomes: new DynamoOutcomeCounters(dynamo, required(config.REPORT_COUNTERS_TABLE_NAME, 'REPORT_COUNTERS_TABLE_NAME')),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleRecordOutcome(event, deps));
