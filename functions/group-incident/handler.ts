import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { DynamoIncidentStore } from '#adapters/aws/dynamo-incident-store.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { handleGroupIncident } from './handle.ts';

const config = loadConfig();
const client = new DynamoDBClient({});
const table = required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME');
const deps = { store: new DynamoEnquiryStore(client, table), incidents: new DynamoIncidentStore(client, table) };

export const handler = withMiddleware((event: unknown) => handleGroupIncident(event, deps));
