import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DataAccessRequestSchema, ErasureRequestSchema } from '#events/privacy.ts';
import { ValidationError } from '#domain/errors.ts';
import { renderExportHtml } from '#domain/privacy/export-html.ts';
import { eraseCallerContactData, exportCallerData, type PrivacyDeps } from '#domain/privacy/requests.ts';
import { staffGroupsOf } from '#vocabulary/staff-groups.ts';
import { parseJsonOrThrow } from '#domain/validation.ts';
import { logger } from '#powertools';

type Response = APIGatewayProxyStructuredResultV2;

const headers = (contentType: string) => ({ 'content-type': contentType, 'cache-control': 'no-store' });
const json = (statusCode: number, body: unknown, contentType = 'application/json'): Response => ({ statusCode, headers: headers(contentType), body: JSON.stringify(body) });
const problem = (status: number, title: string, extra: Record<string, unknown> = {}): Response =>
  json(status, { type: `https://1823-assist.example/problems/${title.toLowerCase().replaceAll(' ', '-')}`, title, status, ...extra }, 'application/problem+json');

function bodyText(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
  return event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
}

/**
 * Callers' data access and erasure requests (PDPO DPP6; DPP2 erasure), for the Cognito group `privacy`
 * only. Logs say who, which request and how many enquiries: never the number or its hash (the audit
 * record in the Enquiry table holds the hash).
 */
export async function handlePrivacyApi(event: APIGatewayProxyEventV2WithJWTAuthorizer, deps: PrivacyDeps): Promise<Response> {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const groups = staffGroupsOf(claims['cognito:groups']);
  if (groups.length === 0) return problem(401, 'Unauthorized', { detail: 'sign in: no staff group (agent, supervisor, privacy) in the token' });
  if (!groups.includes('privacy')) return problem(403, 'Forbidden', { detail: 'this route is for: privacy' });
  const actor = `privacy:${String(claims['sub'] ?? '')}`;
  try {
    switch (event.routeKey) {
      case 'POST /privacy/exports': {
        const request = parseJsonOrThrow(DataAccessRequestSchema, bodyText(event));
        const data = await exportCallerData({ number: request.number, actor }, deps);
        logger.info('privacy export', { audit: 'privacy_export', requestId: data.requestId, sub: claims['sub'], enquiries: data.enquiries.length });
        return request.format === 'html'
          ? { statusCode: 200, headers: headers('text/html; charset=utf-8'), body: renderExportHtml(data) }
          : json(200, data);
      }
      case 'POST /privacy/erasures': {
        const request = parseJsonOrThrow(ErasureRequestSchema, bodyText(event));
        const result = await eraseCallerContactData({ number: request.number, actor }, deps);
        logger.info('privacy erasure', { audit: 'privacy_erasure', requestId: result.requestId, sub: claims['sub'], erased: result.erased.length, skipped: result.skipped.length });
        return json(200, result);
      }
      default:
        return problem(404, 'Not Found', { detail: `no route ${event.routeKey}` });
    }
  } catch (error) {
    if (error instanceof ValidationError) return problem(400, 'Bad Request', { problems: error.problems, detail: error.message });
    logger.error('privacy request failed', { routeKey: event.routeKey, error: (error as Error).name });
    return problem(500, 'Internal Server Error', { detail: 'the request could not be completed; nothing was returned, retry it' });
  }
}
