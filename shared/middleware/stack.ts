import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { logger, metrics, tracer } from './powertools.ts';

/**
 * The one middleware stack every handler uses: Lambda context + correlation id on every log line,
 * EMF metrics flushed per invocation, X-Ray tracing. Events are never logged (they carry personal data).
 */
export function withMiddleware<TEvent, TResult>(handler: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy(handler)
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics, { throwOnEmptyMetrics: false }));
}
