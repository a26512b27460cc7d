import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One Logger and Metrics per process, shared by every handler (Powertools examples/app pattern).
 * Service name and namespace come from POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE set by CDK.
 *
 * No Powertools Tracer: it only added a `## handler` subsegment and a ColdStart annotation (no AWS SDK client
 * was ever captured) for ~115 KB of bundle (aws-xray-sdk-core, semver, cls-hooked) and ~40 ms of init in every
 * function (bench, issue 22). Lambda's active tracing (AssistFunction sets `tracing: ACTIVE`) still records each
 * invocation's segment with its Init and Invocation phases, and the trace id flows through Step Functions; the
 * logger's `cold_start` key says which invocations were cold.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? '1823-assist' });
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Assist1823',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? '1823-assist',
});
