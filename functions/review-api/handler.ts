import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { DynamoEnquiryStore } from '#adapters/aws/dynamo-enquiry-store.ts';
import { DynamoIncidentStore } from '#adapters/aws/dynamo-incident-store.ts';
import { StepFunctionsCallbacks } from '#adapters/aws/step-functions.ts';
import { FileKnowledgeBase } from '#adapters/in-process/file-knowledge-base.ts';
import { loadConfig, required } from '#config';
import { analyseSms } from '#domain/sms/encoding.ts';
import { reviewApiOpenApi } from '#events/openapi.ts';
import { withMiddleware } from '#middleware/stack.ts';
import { systemClock } from '#ports/clock.ts';
import { handleReviewApi, type ReviewApiDeps } from './handle.ts';
import { describeArticleFrom, smsComposerFrom, topicNamesFrom } from '#adapters/in-process/knowledge-views.ts';
import { TemplateReplyDrafter } from '#adapters/in-process/template-reply-drafter.ts';
import { DynamoOutcomeCounters } from '#adapters/aws/dynamo-outcome-counters.ts';
import { topicReportResponder } from '#domain/reports/produce-report.ts';

const config = loadConfig();
const knowledgeBase = await FileKnowledgeBase.load(config.KNOWLEDGE_DIR);
// Built on the first GET /openapi.json (a tool's rare request), not at every cold start of the agents' API.
let openApi: ReturnType<typeof reviewApiOpenApi> | undefined;
const dynamo = new DynamoDBClient({});
const counters = new DynamoOutcomeCounters(dynamo, required(config.REPORT_COUNTERS_TABLE_NAME, 'REPORT_COUNTERS_TABLE_NAME'));
const incidents = new DynamoIncidentStore(dynamo, required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'));
const deps: ReviewApiDeps = {
  store: new DynamoEnquiryStore(dynamo, required(config.ENQUIRY_TABLE_NAME, 'ENQUIRY_TABLE_NAME'), required(config.RESTRICTED_TABLE_NAME, 'RESTRICTED_TABLE_NAME')),
  incidents,
  callbacks: new StepFunctionsCallbacks(new SFNClient({})),
  clock: systemClock,
  newDecisionId: randomUUID,
  knowledgeArticle: (id) => knowledgeBase.article(id),
  smsSegments: (text) => analyseSms(text).segments,
  maxSmsSegments: config.SMS_MAX_SEGMENTS,
  smsPreview: analyseSms,
  describeArticle: describeArticleFrom(knowledgeBase),
  openApiDocument: () => (openApi ??= reviewApiOpenApi()),
  topicReport: topicReportResponder(counters, { topicNames: topicNamesFrom(knowledgeBase), clock: systemClock, incidents }),
  taxonomy: knowledgeBase.taxonomy,
  // Redrafts after a topic correction use the knowledge-grounded template drafter (the draft step's
  // fallback): the agent waits for it, and the review API needs no model permission.
  drafter: new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
  composeSms: smsComposerFrom(knowledgeBase),
};

export const handler = withMiddleware((event: APIGatewayProxyEventV2WithJWTAuthorizer) => handleReviewApi(event, deps));
