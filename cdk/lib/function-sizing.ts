/**
 * Memory per Lambda function (MB): the one definition CDK deploys and `npm run bench -- --only cost` prices.
 *
 * Chosen from `npm run bench -- --only bundles` (cold-init RSS in a fresh node, local handle times) after
 * issue 22 made the bundles lean: the smallest size that leaves at least twice the measured cold-init RSS,
 * so that invocation allocations and GC have room. Lambda gives CPU in proportion to memory (one vCPU at
 * 1 769 MB), so CPU-bound work costs about the same at any size (it runs longer on less), while waiting
 * (DynamoDB, SQS, Bedrock) costs in proportion to memory: the pipeline steps, which mostly wait, run at 256 MB.
 * Two keep more for speed, not memory: review-api (an agent waits on it; its redraft drafts in-process) and
 * classify (its cold start decodes the topic model and builds the script converters, CPU-bound; and if the
 * layer's model were ever stale it trains instead, ~420 MB). retrain trains the full model (15-60 s, ~500 MB).
 *
 * Measured cold-init RSS, 2026-12-02 (bench/results/latest.json): plain steps 76-87 MB, draft 109,
 * review-api 116, topic-report 117, classify 238, retrain 167 before training. privacy-api (issue 18, measured
 * the same way on the merge with main): 80 MB, like the plain steps; it waits on DynamoDB and KMS, and an
 * export holds one caller's few enquiries, so 256. classify after its lean cold start (2026-12-03: glossary
 * searched in its file, weights kept int8, OpenCC tries in typed arrays): 131 MB; it stays at 1 024 because a
 * stale layer model still trains at init (~420 MB), and its cold start is CPU-bound work that Lambda's CPU share
 * at 512 MB would stretch ~2×. Second stop of 2026-12-03 (feature names kept in the model file's text): classify
 * 118 MB, group-incident 72 MB (its first measurement: like the plain steps, so 256 stays); sizes unchanged.
 * Third stop (feature-name index in the model file, layer files read synchronously, topic-report reading only the
 * topics' names): classify 112 MB, topic-report 82 MB, the rest as before; sizes unchanged for the same reasons.
 */
export const FUNCTION_MEMORY_MB = {
  'await-review': 256,
  'backlog-monitor': 256,
  classify: 1024,
  draft: 256,
  // Like the plain steps: two keyed reads and one small transaction (72 MB cold-init RSS, 2026-12-03).
  'group-incident': 256,
  intake: 256,
  'needs-manual': 256,
  'privacy-api': 256,
  'queue-sms': 256,
  'record-outcome': 256,
  redact: 256,
  retrain: 2048,
  'review-api': 1024,
  'send-sms': 256,
  'sms-inbound': 256,
  'start-transcription': 256,
  'topic-report': 256,
  'transcription-complete': 256,
} as const satisfies Record<string, number>;

export type FunctionFolder = keyof typeof FUNCTION_MEMORY_MB;

/** Memory of the function built from functions/<folder>; a folder missing here fails synthesis. */
export function memoryFor(folder: string): number {
  const size = (FUNCTION_MEMORY_MB as Record<string, number>)[folder];
  if (size === undefined) throw new Error(`no memory size for functions/${folder}: add it to cdk/lib/function-sizing.ts`);
  return size;
}

/** Lambda's CPU share: a function gets one full vCPU at this size, proportionally less below it. */
export const MB_PER_VCPU = 1769;
