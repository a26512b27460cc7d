import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { S3LabelledExampleStore, S3TopicModelStore } from '#adapters/aws/s3-retraining-stores.ts';
import { layerTrainer, loadGoldSet } from '#adapters/in-process/local-topic-classifier.ts';
import { readPublicContactNumbers } from '#adapters/in-process/public-hotlines.ts';
import { loadConfig, required } from '#config';
import { createRedactor } from '#domain/redaction/index.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleRetrain } from './handle.ts';

const config = loadConfig();
const s3 = new S3Client({});
const bucket = required(config.MODELS_BUCKET, 'MODELS_BUCKET');
const deps = {
  decided: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME')),
  examples: new S3LabelledExampleStore(s3, bucket, config.MODELS_KEY_ARN),
  models: new S3TopicModelStore(s3, bucket, config.MODELS_KEY_ARN),
  // The same redactor as the RedactPersonalData step (public hotline numbers kept), run a second time.
  redactor: createRedactor({ publicNumbers: await readPublicContactNumbers(config.KNOWLEDGE_DIR) }),
  trainer: await layerTrainer(config.KNOWLEDGE_DIR),
  gold: await loadGoldSet(config.KNOWLEDGE_DIR),
  clock: systemClock,
  actor: 'retrain:scheduled',
};

export const handler = withMiddleware((event: unknown) => handleRetrain(event, deps));
