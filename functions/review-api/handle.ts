import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DecisionRequestSchema, ListEnquiriesQuerySchema, TopicCorrectionRequestSchema, type Problem } from '#events/review-api.ts';
import { EnquiryIdSchema } from '#events/workflow.ts';
import type { Enquiry } from '#domain/enquiry.ts';
import { ValidationError } from '#domain/errors.ts';
import { redraftForTopic, type RedraftDeps } from '#domain/review/redraft-for-topic.ts';
import { decideEnquiry, type DecideDeps } from '#domain/review/decide-enquiry.ts';
import { draftIdOf } from '#domain/drafting/draft-ids.ts';
import { pickerTaxonomy } from '#domain/topic-confirmation.ts';
import { parseJsonOrThrow, parseOrThrow } from '#domain/validation.ts';
import { logger, metrics } from '#powertools';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import { staffGroupsOf, type StaffGroup } from '#vocabulary/staff-groups.ts';
import { summaryOf } from '#domain/review/enquiry-summary.ts';
import { ApplyIncidentReplyRequestSchema, IncidentIdSchema, ListIncidentsQuerySchema } from '#events/incidents.ts';
import { INCIDENT_WINDOW_MS, incidentStatusAt } from '#domain/incidents/incident.ts';
import { isMultiReportIncident } from '#vocabulary/incidents.ts';
import { applyIncidentReply, type ApplyIncidentDeps } from '#domain/review/apply-incident-reply.ts';

export type Group = StaffGroup;

export interface ReviewApiDeps extends DecideDeps, RedraftDeps, ApplyIncidentDeps {
  store: EnquiryStore;
  /** Title and language of a cited knowledge article, for the agent's detail view. */
  describeArticle: (id: string) => { id: string; title: string; titleZhHant?: string } | undefined;
  smsPreview: (text: string) => { encoding: string; segments: number; units: number };
  openApiDocument: () => unknown;
  /** Supervisor reports (GET /reports/topics); absent until the reports capability is deployed. */
  topicReport?: (query: Record<string, string | undefined>) => Promise<{ contentType: string; body: string }>;
}

type Response = APIGatewayProxyStructuredResultV2;

const json = (statusCode: number, body: unknown, contentType = 'application/json'): Response => ({
  statusCode,
  headers: { 'content-type': contentType, 'cache-control': 'no-store' },
  body: JSON.stringify(body),
});

const problem = (status: number, title: string, extra: Partial<Problem> = {}): Response =>
  json(status, { type: `https://1823-assist.example/problems/${title.toLowerCase().replaceAll(' ', '-')}`, title, status, ...extra }, 'application/problem+json');

/** Groups from the Cognito access/ID token, as the HTTP API JWT authorizer passes them. */
export function groupsOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Group[] {
  return staffGroupsOf(event.requestContext.authorizer?.jwt?.claims?.['cognito:groups']);
}

async function detailOf(enquiry: Enquiry, deps: ReviewApiDeps, now: Date) {
  const draft = enquiry.draft;
  return {
    ...summaryOf(enquiry, now),
    smsConsent: enquiry.smsConsent,
    redactedText: enquiry.redactedText ?? null,
    redactedEntities: (enquiry.redactedEntities ?? []).map(({ type, verified }) => ({ type, ...(verified === undefined ? {} : { verified }) })),
    transcription: enquiry.transcription ?? null,
    topicResult: enquiry.topic ?? null,
    /** The agent's topic choice so far (set by a redraft): topic, department, alsoInvolves, what the AI said. */
    topicChoice: enquiry.agentTopic ?? null,
    draft: draft
      ? {
          draftId: draftIdOf(draft)!,
          topic: draft.topic ?? enquiry.topic?.topic ?? null,
          department: draft.department ?? enquiry.topic?.department ?? null,
          text: draft.text,
          language: draft.language,
          script: draft.script,
          source: draft.source,
          flags: draft.flags,
          citedArticles: draft.citedArticleIds.map((id) => deps.describeArticle(id) ?? { id, title: id }),
          smsText: draft.smsText ?? null,
          sms: deps.smsPreview(draft.smsText ?? draft.text),
        }
      : null,
    decision: enquiry.decision ?? null,
    sms: enquiry.sms ?? null,
    /** The incident this enquiry is a report of (topic, district, place, report count, open or closed), or null. */
    incident: await incidentOfEnquiry(enquiry.enquiryId, deps, now),
    audit: await deps.store.auditTrail(enquiry.enquiryId),
  };
}

async function incidentOfEnquiry(enquiryId: string, deps: ReviewApiDeps, now: Date) {
  const incidentId = await deps.incidents.incidentOf(enquiryId);
  const incident = incidentId ? await deps.incidents.get(incidentId) : undefined;
  return incident ? incidentStatusAt(incident, now) : null;
}

const IncidentPathSchema = z.object({ id: IncidentIdSchema });
const incidentIdFrom = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => parseOrThrow(IncidentPathSchema, { id: event.pathParameters?.['id'] }).id;

const PathSchema = z.object({ id: EnquiryIdSchema });
const enquiryIdFrom = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => parseOrThrow(PathSchema, { id: event.pathParameters?.['id'] }).id;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** Base64 bodies must decode to valid UTF-8: a lossy decode would put U+FFFD into a reply sent to a caller. */
function bodyText(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  if (!event.isBase64Encoded) return event.body ?? '';
  try {
    return strictUtf8.decode(Buffer.from(event.body ?? '', 'base64'));
  } catch {
    throw new ValidationError([{ field: '(body)', problem: 'is not valid UTF-8' }]);
  }
}

type Failure =
  | { kind: 'not_found' }
  | { kind: 'conflict'; currentStatus: string; detail: string }
  | { kind: 'invalid' | 'unprocessable'; problems: { field: string; problem: string }[] };

/** not found → 404, conflict → 409 with the current status, invalid → 400 and unprocessable → 422 naming the fields. */
function failure(result: Failure, enquiryId: string): Response {
  if (result.kind === 'not_found') return problem(404, 'Not Found', { detail: `no enquiry ${enquiryId}` });
  if (result.kind === 'conflict') return problem(409, 'Conflict', { detail: result.detail, currentStatus: result.currentStatus });
  const detail = result.problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
  return result.kind === 'invalid'
    ? problem(400, 'Bad Request', { problems: result.problems, detail })
    : problem(422, 'Unprocessable Content', { problems: result.problems, detail });
}

function requireGroup(groups: Group[], allowed: Group[]): Response | undefined {
  if (groups.length === 0) return problem(401, 'Unauthorized', { detail: 'sign in: no staff group (agent, supervisor, privacy) in the token' });
  if (!groups.some((g) => allowed.includes(g))) return problem(403, 'Forbidden', { detail: `this route is for: ${allowed.join(', ')}` });
  return undefined;
}

/**
 * The agents' and supervisors' HTTP API (API Gateway HTTP API, payload 2.0, Cognito JWT authorizer).
 * Every error is an RFC 9457 problem naming the field or the state.
 */
export async function handleReviewApi(event: APIGatewayProxyEventV2WithJWTAuthorizer, deps: ReviewApiDeps): Promise<Response> {
  const groups = groupsOf(event);
  const agentId = String(event.requestContext.authorizer?.jwt?.claims?.['sub'] ?? '');
  const now = deps.clock.now();
  try {
    switch (event.routeKey) {
      case 'GET /openapi.json':
        return requireGroup(groups, ['agent', 'supervisor']) ?? json(200, deps.openApiDocument());
      case 'GET /enquiries': {
        const denied = requireGroup(groups, ['agent', 'supervisor']);
        if (denied) return denied;
        const query = parseOrThrow(ListEnquiriesQuerySchema, event.queryStringParameters ?? {});
        const page = await deps.store.listByStatus(query.status, {
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.topic ? { topic: query.topic } : {}),
          ...(query.language ? { language: query.language } : {}),
        });
        return json(200, { items: page.items.map((e) => summaryOf(e, now)), cursor: page.cursor ?? null });
      }
      case 'GET /enquiries/{id}': {
        const denied = requireGroup(groups, ['agent', 'supervisor']);
        if (denied) return denied;
        const enquiryId = enquiryIdFrom(event);
        const enquiry = await deps.store.get(enquiryId);
        // Who read what: every detail read (the view holding the redacted text and the draft) is recorded
        // with the enquiry id and the reader's Cognito sub; never any content.
        logger.info('enquiry detail read', { audit: 'detail_read', enquiryId, sub: agentId, groups, found: enquiry !== undefined });
        return enquiry ? json(200, await detailOf(enquiry, deps, now)) : problem(404, 'Not Found', { detail: `no enquiry ${enquiryId}` });
      }
      case 'POST /enquiries/{id}/decision': {
        const denied = requireGroup(groups, ['agent']);
        if (denied) return denied;
        const enquiryId = enquiryIdFrom(event);
        const raw = bodyText(event);
        const body = parseJsonOrThrow(DecisionRequestSchema, raw);
        const result = await decideEnquiry({ enquiryId, agentId, body }, deps);
        if (result.ok) {
          const { decision } = result;
          logger.info('agent decision recorded', {
            enquiryId,
            action: decision.action,
            decisionId: decision.decisionId,
            replayed: result.replayed,
            topicCorrected: decision.topic?.topicCorrected ?? false,
            crossDepartmental: decision.topic?.crossDepartmental ?? false,
          });
          if (!result.tokenCleared) logger.warn('workflow resumed but its used task token could not be cleared', { enquiryId, decisionId: decision.decisionId });
          return json(200, { enquiryId, decision });
        }
        if (result.kind === 'resume_failed') {
          logger.warn('agent decision recorded but the workflow did not resume; the same decision can be retried', { enquiryId, decisionId: result.decision.decisionId, error: result.error });
          metrics.addMetric('DecisionResumeFailed', MetricUnit.Count, 1);
          return {
            ...problem(503, 'Service Unavailable', {
              detail: `decision ${result.decision.decisionId} is recorded but the workflow could not be resumed (${result.error}); send the same decision again`,
              decisionId: result.decision.decisionId,
            }),
            headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'retry-after': '2' },
          };
        }
        if (result.kind === 'edit_refused') {
          logger.warn('agent edit refused', { enquiryId, fields: result.problems.map((p) => p.field) });
          return problem(400, 'Bad Request', { problems: result.problems, detail: result.problems.map((p) => `${p.field}: ${p.problem}`).join('; ') });
        }
        return failure(result, enquiryId);
      }
      case 'POST /enquiries/{id}/topic': {
        const denied = requireGroup(groups, ['agent']);
        if (denied) return denied;
        const enquiryId = enquiryIdFrom(event);
        const body = parseJsonOrThrow(TopicCorrectionRequestSchema, bodyText(event));
        const result = await redraftForTopic({ enquiryId, agentId, body }, deps);
        if (!result.ok) return failure(result, enquiryId);
        const choice = result.enquiry.agentTopic;
        logger.info('topic confirmed by agent', {
          enquiryId,
          topicCorrected: choice?.topicCorrected ?? false,
          departmentChanged: choice?.departmentChanged ?? false,
          crossDepartmental: choice?.crossDepartmental ?? false,
          redrafted: result.redrafted,
          draftId: draftIdOf(result.enquiry.draft),
        });
        if (result.redrafted) metrics.addMetric('ReplyRedrafted', MetricUnit.Count, 1);
        return json(200, { redrafted: result.redrafted, changes: result.changes, enquiry: await detailOf(result.enquiry, deps, now) });
      }
      case 'GET /incidents': {
        const denied = requireGroup(groups, ['agent', 'supervisor']);
        if (denied) return denied;
        const query = parseOrThrow(ListIncidentsQuerySchema, event.queryStringParameters ?? {});
        const since = new Date(now.getTime() - INCIDENT_WINDOW_MS).toISOString();
        const items = (await deps.incidents.listOpen(since, { limit: query.limit })).map((incident) => incidentStatusAt(incident, now)).filter((i) => i.status === 'open' && isMultiReportIncident(i));
        return json(200, { items });
      }
      case 'POST /incidents/{id}/apply': {
        const denied = requireGroup(groups, ['agent']);
        if (denied) return denied;
        const incidentId = incidentIdFrom(event);
        const body = parseJsonOrThrow(ApplyIncidentReplyRequestSchema, bodyText(event));
        const outcome = await applyIncidentReply({ incidentId, sourceEnquiryId: body.sourceEnquiryId, agentId }, deps);
        if (!outcome.ok) {
          if (outcome.kind === 'not_found') return problem(404, 'Not Found', { detail: outcome.detail });
          return failure(outcome, incidentId);
        }
        const { result } = outcome;
        logger.info('incident reply applied', {
          incidentId,
          sourceEnquiryId: result.sourceEnquiryId,
          applied: result.applied.length,
          skipped: result.skipped.map((s) => s.reason),
          more: result.more,
        });
        metrics.addMetric('IncidentReplyApplied', MetricUnit.Count, result.applied.length);
        return json(200, result);
      }
      case 'POST /incidents/{id}/close': {
        const denied = requireGroup(groups, ['agent']);
        if (denied) return denied;
        const incidentId = incidentIdFrom(event);
        const closed = await deps.incidents.close(incidentId, `agent:${agentId}`, now.toISOString());
        const incident = await deps.incidents.get(incidentId);
        if (!incident) return problem(404, 'Not Found', { detail: `no incident ${incidentId}` });
        if (!closed) return problem(409, 'Conflict', { detail: 'the incident is closed already', currentStatus: 'closed' });
        logger.info('incident closed by agent', { incidentId, sub: agentId });
        return json(200, incidentStatusAt(incident, now));
      }
      case 'GET /taxonomy': {
        const denied = requireGroup(groups, ['agent', 'supervisor']);
        if (denied) return denied;
        return json(200, pickerTaxonomy(deps.taxonomy));
      }
      case 'GET /reports/topics': {
        const denied = requireGroup(groups, ['supervisor']);
        if (denied) return denied;
        if (!deps.topicReport) return problem(404, 'Not Found', { detail: 'reports are not available' });
        const report = await deps.topicReport(event.queryStringParameters ?? {});
        return { statusCode: 200, headers: { 'content-type': report.contentType, 'cache-control': 'no-store' }, body: report.body };
      }
      default:
        return problem(404, 'Not Found', { detail: `no route ${event.routeKey}` });
    }
  } catch (error) {
    if (error instanceof ValidationError) {
      return problem(400, 'Bad Request', { problems: error.problems, detail: error.message });
    }
    logger.error('review API request failed', { routeKey: event.routeKey, error: (error as Error).name });
    return problem(500, 'Internal Server Error', { detail: 'the request could not be completed; check the enquiry status before retrying' });
  }
}
