import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BedrockReplyDrafter } from '#adapters/aws/bedrock-reply-drafter.ts';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { FileKnowledgeBase } from '#adapters/in-process/file-knowledge-base.ts';
import { TemplateReplyDrafter } from '#adapters/in-process/template-reply-drafter.ts';
import { smsComposerFrom } from '#adapters/in-process/knowledge-views.ts';
import { loadConfig, required } from '#config';
import { withMiddleware } from '#middleware/stack.ts';
import { logger } from '#powertools';
import { systemClock } from '#ports/clock.ts';
import { handleDraft } from './handle.ts';

const config = loadConfig();
const knowledgeBase = await FileKnowledgeBase.load(config.KNOWLEDGE_DIR);
const deps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME')),
  drafter: new BedrockReplyDrafter(
    {
      // One SDK attempt: the drafter retries throttling itself with bounded, jittered backoff.
      bedrock: new BedrockRuntimeClient({ region: config.BEDROCK_REGION ?? config.AWS_REGION, maxAttempts: 1 }),
      knowledgeBase,
      fallback: new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
      onEvent: (event) => logger.warn('drafting fell back or retried', { ...event }),
    },
    { modelId: required(config.BEDROCK_MODEL_ID, 'BEDROCK_MODEL_ID') },
  ),
  clock: systemClock,
  composeSms: smsComposerFrom(knowledgeBase),
};

export const handler = withMiddleware((event: unknown) => handleDraft(event, deps));
