import * as z from 'zod/mini';
import { DecisionRequestSchema, ListEnquiriesQuerySchema, ProblemSchema, TopicCorrectionRequestSchema } from './review-api.ts';
import { DataAccessRequestSchema, ErasureRequestSchema } from './privacy.ts';
import { ReportQuerySchema } from './reports.ts';
import { ApplyIncidentReplyRequestSchema, ListIncidentsQuerySchema } from './incidents.ts';
import { INCIDENT_ID_PATTERN } from '../shared/vocabulary/incidents.ts';

const schema = (s: z.core.$ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const queryParameters = () => {
  const properties = (schema(ListEnquiriesQuerySchema)['properties'] ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
};

const incidentIdParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: INCIDENT_ID_PATTERN.source } };
const incidentQueryParameters = () => {
  const properties = (schema(ListIncidentsQuerySchema)['properties'] ?? {}) as Record<string, unknown>;
  return Object.entries(properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
};

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^ENQ-\\d{8}-[A-Z0-9]{12}$' } };
const common = { '401': problemResponse('No valid token'), '403': problemResponse('Signed in without the required group') };

/** OpenAPI 3.1 for the review API, generated from the same zod schemas the handler validates with. */
export function reviewApiOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: '1823 Assist review API', version: '1.0.0', description: 'Agents review drafted replies; supervisors read topic reports.' },
    security: [{ cognito: [] }],
    components: {
      securitySchemes: { cognito: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        DecisionRequest: schema(DecisionRequestSchema),
        TopicCorrectionRequest: schema(TopicCorrectionRequestSchema),
        ApplyIncidentReplyRequest: schema(ApplyIncidentReplyRequestSchema),
        DataAccessRequest: schema(DataAccessRequestSchema),
        ErasureRequest: schema(ErasureRequestSchema),
        Problem: schema(ProblemSchema),
      },
    },
    paths: {
      '/enquiries': {
        get: {
          summary: 'Enquiries in a status (default awaiting_review), oldest first, paged',
          parameters: queryParameters(),
          responses: { '200': { description: 'A page of enquiry summaries (topic, district and place, urgency, age; no text)' }, '400': problemResponse('Invalid query'), ...common },
        },
      },
      '/enquiries/{id}': {
        get: {
          summary: 'One enquiry: redacted text, topic, district and place, draft with citations and flags, SMS preview, audit trail',
          parameters: [idParameter],
          responses: { '200': { description: 'The enquiry' }, '400': problemResponse('Invalid id'), '404': problemResponse('No such enquiry'), ...common },
        },
      },
      '/enquiries/{id}/decision': {
        post: {
          summary: 'Approve, edit or reject the draft, confirming or correcting the topic; resumes the workflow',
          description:
            'The topic, department and alsoInvolves fields confirm or correct the AI topic (absent: keep the current one). ' +
            'A department must be one the taxonomy allows for the topic (GET /taxonomy). Approving needs a draft written for the ' +
            'chosen topic and department: after a correction, redraft first (POST /enquiries/{id}/topic). Once an enquiry has been ' +
            'redrafted, a decision must name the draftId it was made on. A 503 means the decision is recorded but the workflow ' +
            'could not be resumed: send the same decision again (it resumes idempotently; any other decision gets 409).',
          parameters: [idParameter],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DecisionRequest' } } } },
          responses: {
            '200': { description: 'Decision recorded and the workflow resumed' },
            '400': problemResponse(
              'Invalid body (field and problem named), unknown topic or department, a department the topic does not allow, or an edit that adds a phone number, link or fee the cited knowledge articles do not give',
            ),
            '404': problemResponse('No such enquiry'),
            '409': problemResponse('Not awaiting review (current status given), another agent decided or redrafted first, or the draft named is not the current one'),
            '422': problemResponse('Decision not possible: no consent, SMS too long, nothing to approve, or the draft was written for another topic'),
            '503': problemResponse('Decision recorded but the workflow not resumed yet (decisionId given): retry the same decision'),
            ...common,
          },
        },
      },
      '/enquiries/{id}/topic': {
        post: {
          summary: 'Correct the topic (and department, also-involved departments) and get a new draft and SMS text before deciding',
          description:
            'Redrafts the reply grounded in the corrected topic article, checked by the same validator; the enquiry stays awaiting ' +
            'review (the workflow keeps waiting at AwaitAgentReview) and the earlier draft goes into the audit trail. Answers the ' +
            'enquiry as GET /enquiries/{id} does, with the new draft and its draftId.',
          parameters: [idParameter],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/TopicCorrectionRequest' } } } },
          responses: {
            '200': { description: '{ redrafted, changes, enquiry }: the enquiry with its new draft' },
            '400': problemResponse('Invalid body, unknown topic or department, or a department the topic does not allow'),
            '404': problemResponse('No such enquiry'),
            '409': problemResponse('Not awaiting review (current status given), or a decision or another redraft landed first'),
            '422': problemResponse('Too many drafts for one enquiry'),
            ...common,
          },
        },
      },
      '/incidents': {
        get: {
          summary: 'Open incidents (reports of one topic at one place within 6 hours), latest report first',
          description:
            'Each incident: incidentId, topic, district, place (public names), firstReportAt, lastReportAt, reports (count), status. ' +
            'Open: not closed by an agent and a report within the last 6 hours. No enquiry ids, nothing from callers.',
          parameters: incidentQueryParameters(),
          responses: { '200': { description: '{ items }' }, '400': problemResponse('Invalid query (field named)'), ...common },
        },
      },
      '/incidents/{id}/apply': {
        post: {
          summary: 'Apply the reply an agent decided on one report of the incident to its other reports awaiting review (agent group)',
          description:
            'Each other report gets its own decision (own decisionId, the agent, the time, appliedFrom naming the reviewed enquiry) through ' +
            'the normal decision path: its own consent check (an SMS only where that caller consented), its own workflow resumption and SMS. ' +
            'The reply and SMS carry each enquiry\'s own reference number. Reports in another language or script, or whose topic or ' +
            'department differs from the reviewed one, are skipped with the reason. At most 50 reports per request: when `more` is true, ' +
            'send the same request again (reports already decided are left alone).',
          parameters: [incidentIdParameter],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApplyIncidentReplyRequest' } } } },
          responses: {
            '200': { description: '{ incidentId, sourceEnquiryId, applied: [{ enquiryId, decisionId, action, sendSms }], skipped: [{ enquiryId, reason, detail }], more }' },
            '400': problemResponse('Invalid body or id (field named), or sourceEnquiryId is not a report of this incident'),
            '404': problemResponse('No such incident'),
            '422': problemResponse('sourceEnquiryId has no approved or edited reply, or its reply was itself applied from another report'),
            ...common,
          },
        },
      },
      '/incidents/{id}/close': {
        post: {
          summary: 'Close the incident (agent group): later reports of its topic and place start a new one',
          parameters: [incidentIdParameter],
          responses: { '200': { description: 'The closed incident' }, '404': problemResponse('No such incident'), '409': problemResponse('Closed already'), ...common },
        },
      },
      '/taxonomy': {
        get: {
          summary: 'Topics (names in English and Chinese, scope, the departments each allows) and departments, for a topic picker',
          responses: { '200': { description: '{ topics, departments }' }, ...common },
        },
      },
      '/reports/topics': {
        get: {
          summary: 'Topic trend report (supervisor group)',
          description:
            'Topics over time with spikes, and where: counts by the 18 districts and by district × topic, each district\'s top topics, ' +
            'and district × topic spikes (district ids and names only, never a place or an address). format=csv is the topic table, ' +
            'format=district-csv the district × topic counts, format=html the self-contained report with the district tile map.',
          parameters: reportQueryParameters(),
          responses: { '200': { description: 'The report as JSON, CSV (topics or districts) or HTML' }, '400': problemResponse('Invalid query'), ...common },
        },
      },
      '/privacy/exports': {
        post: {
          summary: 'Data access request (privacy group): everything held for a phone number, as JSON or a readable HTML summary',
          description:
            'Finds the enquiries through the keyed-hash (HMAC) index of callers\' numbers, never a plain index. The number is sent in the ' +
            'body so no URL (access log, CloudFront) holds it. Every export is audited: who, when, which number\'s hash.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DataAccessRequest' } } } },
          responses: { '200': { description: 'The export (application/json) or its summary (text/html)' }, '400': problemResponse('Invalid body (field and problem named)'), ...common },
        },
      },
      '/privacy/erasures': {
        post: {
          summary: 'Erase the raw contact data of a phone number\'s settled enquiries (privacy group)',
          description:
            'The redacted records and their audit trails stay until their own retention ends; report counters are not touched. ' +
            'Enquiries still being handled are listed in skipped with the reason. Audited, and noted on each enquiry\'s audit trail.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErasureRequest' } } } },
          responses: { '200': { description: '{ requestId, erased, skipped }' }, '400': problemResponse('Invalid body (field and problem named)'), ...common },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' }, ...common } } },
    },
  };
}

/** The report query's parameters, from its zod schema (types, enums and defaults), so the two cannot drift. */
function reportQueryParameters() {
  const schema = z.toJSONSchema(ReportQuerySchema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: (schema.required ?? []).includes(name),
    schema: property,
  }));
}
