import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { StepFunctionsCallbacks } from '#adapters/aws/step-functions.ts';
import { FileKnowledgeBase } from '#adapters/local/file-knowledge-base.ts';
import { loadConfig } from '#config';
import { analyseSms } from '#domain/sms/encoding.ts';
import { reviewApiOpenApi } from '#events/openapi.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleReviewApi, type ReviewApiDeps } from './handle.ts';
import { describeArticleFrom } from './articles.ts';

const config = loadConfig();
const knowledgeBase = await FileKnowledgeBase.load(config.KNOWLEDGE_DIR);
const openApi = reviewApiOpenApi();
const deps: ReviewApiDeps = {
  store: new DynamoEnquiryStore(new DynamoDBClient({}), config.ENQUIRY_TABLE_NAME),
  callbacks: new StepFunctionsCallbacks(new SFNClient({})),
  clock: systemClock,
  newDecisionId: randomUUID,
  smsSegments: (text) => analyseSms(text).segments,
  maxSmsSegments: config.SMS_MAX_SEGMENTS,
  smsPreview: analyseSms,
  describeArticle: describeArticleFrom(knowledgeBase),
  openApiDocument: () => openApi,
};

export const handler = withMiddleware((event: APIGatewayProxyEventV2WithJWTAuthorizer) => handleReviewApi(event, deps));
