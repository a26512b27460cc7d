import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoOutcomeCounters } from '#adapters/aws/dynamo-outcome-counters.ts';
import { DynamoIncidentStore } from '#adapters/aws/dynamo-incident-store.ts';
import { S3ReportStore, SnsSpikeNotifier } from '#adapters/aws/report-outputs.ts';
import { readTopicNames } from '#adapters/in-process/topic-names.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleTopicReport } from './handle.ts';

const config = loadConfig();
// Only the topics' names for labels and alerts, not the validated knowledge base (topic-names.ts says why).
const topicNames = await readTopicNames(config.KNOWLEDGE_DIR);
const dynamo = new DynamoDBClient({});
const deps = {
  counters: new DynamoOutcomeCounters(dynamo, required(config.REPORT_COUNTERS_TABLE_NAME, 'REPORT_COUNTERS_TABLE_NAME')),
  incidents: new DynamoIncidentStore(dynamo, required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME')),
  store: new S3ReportStore(new S3Client({}), required(config.REPORTS_BUCKET, 'REPORTS_BUCKET'), config.REPORTS_KEY_ARN),
  notifier: new SnsSpikeNotifier(new SNSClient({}), required(config.SPIKE_TOPIC_ARN, 'SPIKE_TOPIC_ARN'), topicNames),
  clock: systemClock,
  topicNames,
};

export const handler = withMiddleware((event: unknown) => handleTopicReport(event, deps));
