import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics } from './powertools.ts';

/**
 * The one middleware stack every handler uses: Lambda context + correlation id on every log line, EMF
 * metrics flushed per invocation. Tracing is Lambda's own (active tracing in CDK; see powertools.ts).
 * Events are never logged (they carry personal data).
 */
export function withMiddleware<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy(handler)
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
}
