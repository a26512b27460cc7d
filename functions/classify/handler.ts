import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BedrockTopicClassifier, TieredTopicClassifier } from '#adapters/aws/bedrock-topic-classifier.ts';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { LocalTopicClassifier } from '#adapters/local/local-topic-classifier.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { logger } from '#powertools';
import { systemClock } from '#ports/clock.ts';
import { handleClassify } from './handle.ts';

const config = loadConfig();
// Trained once per container from the knowledge layer (cold start), reused by warm invocations.
const local = await LocalTopicClassifier.load(config.KNOWLEDGE_DIR);
const bedrock = new BedrockTopicClassifier(
  {
    // One SDK attempt: the classifier retries throttling itself with bounded, jittered backoff.
    bedrock: new BedrockRuntimeClient({ region: config.BEDROCK_REGION ?? config.AWS_REGION, maxAttempts: 1 }),
    taxonomy: local.taxonomy,
    fallback: local,
    onEvent: (event) => logger.warn('classification retried or fell back', { ...event }),
  },
  { modelId: required(config.BEDROCK_MODEL_ID, 'BEDROCK_MODEL_ID') },
);
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME')),
  classifier: new TieredTopicClassifier(local, bedrock, config.CLASSIFIER_ACCEPT_CONFIDENCE),
  clock: systemClock,
};

export const handler = withMiddleware((event: unknown) => handleClassify(event, deps));
