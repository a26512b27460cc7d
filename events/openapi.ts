import { z } from 'zod';
import { DecisionRequestSchema, ListEnquiriesQuerySchema, ProblemSchema } from './review.ts';

const schema = (s: z.ZodType) => {
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
      schemas: { DecisionRequest: schema(DecisionRequestSchema), Problem: schema(ProblemSchema) },
    },
    paths: {
      '/enquiries': {
        get: {
          summary: 'Enquiries in a status (default awaiting_review), oldest first, paged',
          parameters: queryParameters(),
          responses: { '200': { description: 'A page of enquiry summaries' }, '400': problemResponse('Invalid query'), ...common },
        },
      },
      '/enquiries/{id}': {
        get: {
          summary: 'One enquiry: redacted text, topic, draft with citations and flags, SMS preview, audit trail',
          parameters: [idParameter],
          responses: { '200': { description: 'The enquiry' }, '400': problemResponse('Invalid id'), '404': problemResponse('No such enquiry'), ...common },
        },
      },
      '/enquiries/{id}/decision': {
        post: {
          summary: 'Approve, edit or reject the draft; resumes the workflow',
          parameters: [idParameter],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/DecisionRequest' } } } },
          responses: {
            '200': { description: 'Decision recorded' },
            '400': problemResponse('Invalid body (field and problem named), or an edit that adds a phone number, link or fee the cited knowledge articles do not give'),
            '404': problemResponse('No such enquiry'),
            '409': problemResponse('Not awaiting review (current status given), or another agent decided first'),
            '422': problemResponse('Decision not possible: no consent, SMS too long, nothing to approve'),
            ...common,
          },
        },
      },
      '/reports/topics': {
        get: {
          summary: 'Topic trend report (supervisor group)',
          parameters: ['from', 'to', 'granularity', 'format'].map((name) => ({ name, in: 'query', required: name === 'from' || name === 'to', schema: { type: 'string' } })),
          responses: { '200': { description: 'The report as JSON, CSV or HTML' }, '400': problemResponse('Invalid query'), ...common },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' }, ...common } } },
    },
  };
}
