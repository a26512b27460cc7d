import type { Context, SQSEvent } from 'aws-lambda';
import type { Duration } from 'aws-cdk-lib';
import { join } from 'node:path';
import { KNOWLEDGE_DIR, REPO_ROOT, SAMPLES_DIR } from './paths.ts';
import { DynamoEnquiryStore } from '../shared/adapters/aws/dynamo-enquiry-store.ts';
import { LocalQueue, LocalQueueDeadLetterSink } from '../shared/adapters/local/local-queue.ts';
import { RecordedTranscriber } from '../shared/adapters/local/recorded-transcriber.ts';
import type { TranscribeJobStateChange } from '../events/transcribe.ts';
import type { Clock } from '../shared/ports/clock.ts';
import { systemClock } from '../shared/ports/clock.ts';
import type { PersonalDataRedactor } from '../shared/ports/personal-data-redactor.ts';
import type { ReplyDrafter } from '../shared/ports/reply-drafter.ts';
import type { TopicClassifier } from '../shared/ports/topic-classifier.ts';
import type { Transcriber } from '../shared/ports/transcriber.ts';
import type { EnquiryStore } from '../shared/ports/enquiry-store.ts';
import { handleIntakeBatch } from '../functions/intake/handle.ts';
import { handleStartTranscription } from '../functions/start-transcription/handle.ts';
import { handleTranscriptionEvent } from '../functions/transcription-complete/handle.ts';
import { handleRedact } from '../functions/redact/handle.ts';
import { handleClassify } from '../functions/classify/handle.ts';
import { handleDraft } from '../functions/draft/handle.ts';
import { handleNeedsManual } from '../functions/needs-manual/handle.ts';
import { STATE_NAMES } from '../cdk/lib/workflow.ts';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from './definition.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo.ts';
import { LocalWorkflowRuntime, type ExecutionRecord, type LocalTaskHandler } from './workflow-runtime.ts';
import { localAnalysisAdapters } from './analysis-adapters.ts';

export { REPO_ROOT, SAMPLES_DIR, KNOWLEDGE_DIR };

export interface AnalysisAdapters {
  redactor: PersonalDataRedactor;
  classifier: TopicClassifier;
  drafter: ReplyDrafter;
}

export interface LocalStackOptions {
  /** Pre-synthesized definition (tests share one synth); synthesized from the CDK app when absent. */
  definition?: StateMachineDefinition;
  transcriptionTimeout?: Duration;
  clock?: Clock;
  /** Replace adapters, e.g. to inject faults or a mocked Bedrock client in tests. */
  adapters?: Partial<AnalysisAdapters> & { transcriber?: Transcriber };
  /** Wrap every task handler (fault injection, call counting). */
  wrapHandler?: (stateName: string, handler: LocalTaskHandler) => LocalTaskHandler;
  retryIntervalMs?: number;
  recordingsDir?: string;
  onStateEntered?: (execution: ExecutionRecord, stateName: string) => void;
  onExecutionEnded?: (execution: ExecutionRecord) => void;
}

export interface LocalStack {
  dynamo: LocalDynamo;
  store: EnquiryStore;
  intakeQueue: LocalQueue;
  intakeDlq: LocalQueue;
  runtime: LocalWorkflowRuntime;
  definition: StateMachineDefinition;
  /** Delivers everything on the intake queue to the intake handler (like the SQS event source mapping). */
  processIntake(): Promise<number>;
  /** Delivers a Transcribe job-state event to transcription-complete (like the EventBridge rule). */
  deliverTranscribeEvent(event: unknown): Promise<void>;
  close(): Promise<void>;
}

const lambdaContext = (functionName: string): Context =>
  ({
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'local',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

/**
 * The whole backend in one process: dynalite for DynamoDB, in-process queues with SQS semantics, the
 * synthesized state machine run by aws-local-stepfunctions, and every Lambda's handler code with local
 * adapters behind the same ports the AWS adapters implement.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const clock = options.clock ?? systemClock;
  const dynamo = await startLocalDynamo();
  const store = new DynamoEnquiryStore(dynamo.client, dynamo.tableName);
  const intakeDlq = new LocalQueue({ name: 'intake-dlq' });
  const intakeQueue = new LocalQueue({ name: 'intake', maxReceiveCount: 5, deadLetterQueue: intakeDlq });
  const definition = options.definition ?? synthesizeWorkflowDefinition(options.transcriptionTimeout ? { transcriptionTimeout: options.transcriptionTimeout } : {});
  const analysis = { ...(options.adapters?.redactor && options.adapters.classifier && options.adapters.drafter ? {} : await localAnalysisAdapters(KNOWLEDGE_DIR)), ...options.adapters } as AnalysisAdapters;

  // Filled in below: the runtime needs the handlers, and transcription-complete needs the runtime.
  let runtime: LocalWorkflowRuntime | undefined;
  const pendingEvents = new Set<Promise<void>>();
  const deliverTranscribeEvent = async (event: unknown) => {
    await handleTranscriptionEvent(event, { store, transcriber, callbacks: runtime!, clock });
  };
  const transcriber =
    options.adapters?.transcriber ??
    new RecordedTranscriber(options.recordingsDir ?? join(SAMPLES_DIR, 'transcripts'), (event: TranscribeJobStateChange) => {
      const delivery = deliverTranscribeEvent(event).catch(() => undefined);
      pendingEvents.add(delivery);
      void delivery.finally(() => pendingEvents.delete(delivery));
    });

  const wrap = options.wrapHandler ?? ((_name: string, handler: LocalTaskHandler) => handler);
  const handlers: Record<string, LocalTaskHandler> = {
    [STATE_NAMES.startTranscription]: wrap(STATE_NAMES.startTranscription, (p) => handleStartTranscription(p, { store, transcriber, clock })),
    [STATE_NAMES.redact]: wrap(STATE_NAMES.redact, (p) => handleRedact(p, { store, redactor: analysis.redactor, clock })),
    [STATE_NAMES.classify]: wrap(STATE_NAMES.classify, (p) => handleClassify(p, { store, classifier: analysis.classifier, clock })),
    [STATE_NAMES.draft]: wrap(STATE_NAMES.draft, (p) => handleDraft(p, { store, drafter: analysis.drafter, clock })),
    [STATE_NAMES.needsManual]: wrap(STATE_NAMES.needsManual, (p) => handleNeedsManual(p, { store, clock })),
  };
  runtime = new LocalWorkflowRuntime({
    definition,
    handlers,
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.onStateEntered ? { onStateEntered: options.onStateEntered } : {}),
    ...(options.onExecutionEnded ? { onExecutionEnded: options.onExecutionEnded } : {}),
  });
  const intakeDeps = { store, workflow: runtime, deadLetters: new LocalQueueDeadLetterSink(intakeDlq), clock };

  return {
    dynamo,
    store,
    intakeQueue,
    intakeDlq,
    runtime,
    definition,
    processIntake: () => intakeQueue.drain((event: SQSEvent) => handleIntakeBatch(event, lambdaContext('intake'), intakeDeps)),
    deliverTranscribeEvent,
    close: async () => {
      await Promise.allSettled([...pendingEvents]);
      await dynamo.close();
    },
  };
}
