import type { Duration } from 'aws-cdk-lib';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../../local/definition.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { EnquiryStatus } from '../../shared/vocabulary/enquiry-statuses.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const definitions = new Map<string, StateMachineDefinition>();

/** The synthesized EnquiryWorkflow definition, synthesized once per process per timeout setting. */
export function workflowDefinition(timeouts: { transcriptionTimeout?: Duration; reviewTimeout?: Duration } = {}): StateMachineDefinition {
  const key = `${timeouts.transcriptionTimeout?.toSeconds() ?? '-'}/${timeouts.reviewTimeout?.toSeconds() ?? '-'}`;
  let definition = definitions.get(key);
  if (!definition) {
    definition = synthesizeWorkflowDefinition(timeouts);
    definitions.set(key, definition);
  }
  return definition;
}

/**
 * Starts the local stack on the real synthesized definition with short retry pauses. Every workflow test
 * goes through here, so all of them exercise the same ASL that CDK deploys.
 */
export async function startHarness(options: LocalStackOptions = {}): Promise<LocalStack> {
  const timeouts = {
    ...(options.transcriptionTimeout ? { transcriptionTimeout: options.transcriptionTimeout } : {}),
    ...(options.reviewTimeout ? { reviewTimeout: options.reviewTimeout } : {}),
  };
  return startLocalStack({ definition: workflowDefinition(timeouts), retryIntervalMs: 5, ...options });
}

/** Waits until `predicate` holds, polling (executions park in AwaitAgentReview, so they never settle). */
export async function waitFor<T>(probe: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (predicate(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Enquiries in the given statuses. */
export async function enquiriesIn(stack: LocalStack, statuses: readonly EnquiryStatus[]) {
  const pages = await Promise.all(statuses.map((status) => stack.store.listByStatus(status, { limit: 100 })));
  return pages.flatMap((page) => page.items);
}

/** Puts messages on the intake queue, delivers them, and waits until each has reached one of `statuses`. */
export async function intakeUntil(stack: LocalStack, bodies: (string | object)[], statuses: readonly EnquiryStatus[] = ['awaiting_review', 'needs_manual']) {
  for (const body of bodies) stack.intakeQueue.send(typeof body === 'string' ? body : JSON.stringify(body));
  await stack.processIntake();
  const expected = stack.runtime.allExecutions().length;
  return waitFor(() => enquiriesIn(stack, statuses), (items) => items.length >= expected);
}

/** An HTTP API (payload 2.0) event as API Gateway delivers it after the Cognito JWT authorizer. */
export function apiEvent(
  routeKey: string,
  options: { id?: string; groups?: string[]; sub?: string; body?: unknown; query?: Record<string, string> } = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace('{id}', options.id ?? '');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json' },
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
    ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.local',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.groups ? { sub: options.sub ?? 'agent-1', 'cognito:groups': `[${options.groups.join(' ')}]` } : {}, scopes: [] },
      },
    },
  };
}

