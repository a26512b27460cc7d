import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { FileKnowledgeBase } from '#adapters/local/file-knowledge-base.ts';
import { loadConfig, required } from '#config';
import { createRedactor } from '#domain/redaction/index.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleRedact } from './handle.ts';

const config = loadConfig();
// Government hotline numbers in the knowledge base are public and useful in replies: never redacted.
const knowledge = await FileKnowledgeBase.load(config.KNOWLEDGE_DIR);
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME')),
  redactor: createRedactor({ publicNumbers: knowledge.publicContactNumbers() }),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleRedact(event, deps));
