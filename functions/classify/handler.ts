import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { BedrockTopicClassifier, TieredTopicClassifier } from '#adapters/aws/bedrock-topic-classifier.ts';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { S3TopicModelStore } from '#adapters/aws/s3-retraining-stores.ts';
import { LocalTopicClassifier } from '#adapters/in-process/local-topic-classifier.ts';
import { loadGazetteer } from '#adapters/in-process/gazetteer-file.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { logger } from '#powertools';
import { systemClock } from '#ports/clock.ts';
import { handleClassify } from './handle.ts';

const config = loadConfig();
// The version promoted by retraining (models bucket), else the model shipped in the knowledge layer: loaded
// once per container and reused by warm invocations, so a promotion or rollback serves from the next cold start.
const local = await LocalTopicClassifier.load(config.KNOWLEDGE_DIR, {
  ...(config.CLASSIFIER_ACCEPT_CONFIDENCE === undefined ? {} : { acceptAtOrAbove: config.CLASSIFIER_ACCEPT_CONFIDENCE }),
  ...(config.MODELS_BUCKET ? { models: new S3TopicModelStore(new S3Client({}), config.MODELS_BUCKET) } : {}),
});
logger.info('local topic model loaded', { origin: local.origin, version: local.version });
if (local.fallback) logger.warn('promoted topic model not used; the shipped model serves', { reason: local.fallback });
// Only when the layer's examples changed without `train-model`: the container trained for seconds.
if (local.origin !== 'shipped' && local.origin !== 'promoted') logger.warn('local topic model trained at cold start', { origin: local.origin });
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
  classifier: new TieredTopicClassifier(local, bedrock),
  clock: systemClock,
  // Read and validated once per container, like the model.
  gazetteer: await loadGazetteer(config.KNOWLEDGE_DIR),
};

export const handler = withMiddleware((event: unknown) => handleClassify(event, deps));
