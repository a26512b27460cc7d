import type { Context, SQSEvent } from 'aws-lambda';
import type { Duration } from 'aws-cdk-lib';
import { join } from 'node:path';
import { KNOWLEDGE_DIR, REPO_ROOT, SAMPLES_DIR } from './paths.ts';
import { DynamoEnquiryStore } from '../shared/adapters/aws/dynamo-enquiry-store.ts';
import { LocalQueue, LocalQueueDeadLetterSink } from './stand-ins/local-queue.ts';
import { RecordedTranscriber } from './stand-ins/recorded-transcriber.ts';
import type { TranscribeJobStateChange } from '../events/transcribe.ts';
import type { Clock } from '../shared/ports/clock.ts';
import { systemClock } from '../shared/ports/clock.ts';
import type { PersonalDataRedactor } from '../shared/ports/personal-data-redactor.ts';
import type { ReplyDrafter } from '../shared/ports/reply-drafter.ts';
import type { TopicClassifier } from '../shared/ports/topic-classifier.ts';
import type { Transcriber } from '../shared/ports/transcriber.ts';
import type { EnquiryStore } from '../shared/ports/enquiry-store.ts';
import type { WorkflowCallbacks } from '../shared/ports/workflow.ts';
import type { TopicModelStore } from '../shared/ports/topic-models.ts';
import { TemplateReplyDrafter } from '../shared/adapters/in-process/template-reply-drafter.ts';
import { handleIntakeBatch } from '../functions/intake/handle.ts';
import { handleStartTranscription } from '../functions/start-transcription/handle.ts';
import { handleTranscriptionEvent } from '../functions/transcription-complete/handle.ts';
import { handleRedact } from '../functions/redact/handle.ts';
import { handleClassify } from '../functions/classify/handle.ts';
import { handleDraft } from '../functions/draft/handle.ts';
import { handleGroupIncident } from '../functions/group-incident/handle.ts';
import { DynamoIncidentStore } from '../shared/adapters/aws/dynamo-incident-store.ts';
import type { IncidentStore } from '../shared/ports/incident-store.ts';
import { handleNeedsManual } from '../functions/needs-manual/handle.ts';
import { handleAwaitReview } from '../functions/await-review/handle.ts';
import { handleQueueSms } from '../functions/queue-sms/handle.ts';
import { handleRecordOutcome } from '../functions/record-outcome/handle.ts';
import { handleReviewApi, type ReviewApiDeps } from '../functions/review-api/handle.ts';
import { describeArticleFrom, smsComposerFrom, topicNamesFrom } from '../shared/adapters/in-process/knowledge-views.ts';
import { handleSendSmsBatch } from '../functions/send-sms/handle.ts';
import { reviewApiOpenApi } from '../events/openapi.ts';
import { topicReportResponder } from '../shared/domain/reports/produce-report.ts';
import { analyseSms } from '../shared/domain/sms/encoding.ts';
import { FileKnowledgeBase } from '../shared/adapters/in-process/file-knowledge-base.ts';
import { FileSmsOutboxSender } from './stand-ins/file-sms-outbox-sender.ts';
import { DynamoOptOutRegistry, DynamoSentSmsLedger } from '../shared/adapters/aws/dynamo-sms-tables.ts';
import { DynamoOutcomeCounters } from '../shared/adapters/aws/dynamo-outcome-counters.ts';
import { LocalQueueSmsOutbox } from './stand-ins/local-queue.ts';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { STATE_NAMES } from '../cdk/lib/workflow.ts';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from './definition.ts';
import { startLocalDynamo, type LocalDynamo } from './dynamo.ts';
import { LocalWorkflowRuntime, type ExecutionRecord, type LocalTaskHandler } from './workflow-runtime.ts';
import { localAnalysisAdapters } from './analysis-adapters.ts';
import { loadGazetteer } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { sweepExpired } from './retention-sweeper.ts';
import type { CallerHasher } from '../shared/ports/caller-hasher.ts';
import { LocalCallerHasher } from './stand-ins/local-caller-hasher.ts';
import { DynamoPrivacyRecords } from '../shared/adapters/aws/dynamo-privacy-records.ts';
import { handlePrivacyApi } from '../functions/privacy-api/handle.ts';
import type { PrivacyDeps } from '../shared/domain/privacy/requests.ts';

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
  reviewTimeout?: Duration;
  clock?: Clock;
  /** Keep the local DynamoDB in LevelDB files here (so the report CLI can read them); in memory when absent. */
  dataDir?: string;
  /** Where the local SMS provider appends sent messages (JSONL); a temp file, removed on close, by default. */
  smsOutboxFile?: string;
  maxSmsSegments?: number;
  /** Replace adapters, e.g. to inject faults or a mocked Bedrock client in tests. */
  adapters?: Partial<AnalysisAdapters> & { transcriber?: Transcriber };
  /** Wrap every task handler (fault injection, call counting). */
  wrapHandler?: (stateName: string, handler: LocalTaskHandler) => LocalTaskHandler;
  retryIntervalMs?: number;
  recordingsDir?: string;
  onStateEntered?: (execution: ExecutionRecord, stateName: string) => void;
  onExecutionEnded?: (execution: ExecutionRecord) => void;
  /** Keyed hash of callers' numbers (caller index, opt-outs); a random key per stack when absent. */
  callerHasher?: CallerHasher;
  /** Topic model versions: ClassifyTopic loads the promoted one (npm start: .local-data/models); the shipped model when absent. */
  topicModels?: TopicModelStore;
  /** The drafter the review API redrafts with after a topic correction (default: the template drafter). */
  redraftDrafter?: ReplyDrafter;
  /** Wrap the review API's view of the workflow callbacks (fault injection on SendTaskSuccess). */
  reviewCallbacks?: (runtime: WorkflowCallbacks) => WorkflowCallbacks;
}

export interface LocalStack {
  dynamo: LocalDynamo;
  store: EnquiryStore;
  /** Incidents (on the Enquiry table, as in AWS). */
  incidents: IncidentStore;
  intakeQueue: LocalQueue;
  intakeDlq: LocalQueue;
  runtime: LocalWorkflowRuntime;
  definition: StateMachineDefinition;
  /** Delivers everything on the intake queue to the intake handler (like the SQS event source mapping). */
  processIntake(): Promise<number>;
  /** Delivers a Transcribe job-state event to transcription-complete (like the EventBridge rule). */
  deliverTranscribeEvent(event: unknown): Promise<void>;
  /** The review API (HTTP API + Cognito in AWS) with local adapters. */
  reviewApi(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2>;
  smsOutbox: LocalQueue;
  smsOutboxDlq: LocalQueue;
  /** Delivers the sms-outbox queue to send-sms (like the SQS event source mapping). */
  processSmsOutbox(): Promise<number>;
  /** What the local SMS provider has sent. */
  smsSent(): ReturnType<FileSmsOutboxSender['sent']>;
  smsSender: FileSmsOutboxSender;
  optOuts: DynamoOptOutRegistry;
  counters: DynamoOutcomeCounters;
  /** The SMS control table (opt-outs, sent-SMS ledger) and the counters table. */
  smsTableName: string;
  countersTableName: string;
  callerHasher: CallerHasher;
  /** Data access and erasure requests (the privacy API: HTTP API + Cognito `privacy` group in AWS). */
  privacyApi(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2>;
  privacy: PrivacyDeps;
  /**
   * Deletes what DynamoDB TTL would have deleted by now (dynalite never expires items): the same rule
   * (`isExpired`) over every local table. Returns how many items each table lost.
   */
  sweepExpired(): Promise<Record<string, number>>;
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
  const dynamo = await startLocalDynamo(undefined, options.dataDir ? { path: options.dataDir } : {});
  const callerHasher = options.callerHasher ?? LocalCallerHasher.random();
  const store = new DynamoEnquiryStore(dynamo.client, dynamo.tableName, dynamo.restrictedTableName, { callerHasher });
  // Steps that IAM gives no restricted access to (cdk/lib/pipeline-steps.ts) get a store without it here too.
  const unrestricted = new DynamoEnquiryStore(dynamo.client, dynamo.tableName);
  // RecordOutcome closes enquiries: it may only start the retention clock of their raw contact data.
  const expiryOnly = new DynamoEnquiryStore(dynamo.client, dynamo.tableName, dynamo.restrictedTableName, { restrictedAccess: 'expiry' });
  const incidents = new DynamoIncidentStore(dynamo.client, dynamo.tableName);
  const intakeDlq = new LocalQueue({ name: 'intake-dlq' });
  const intakeQueue = new LocalQueue({ name: 'intake', maxReceiveCount: 5, deadLetterQueue: intakeDlq });
  const smsOutboxDlq = new LocalQueue({ name: 'sms-outbox-dlq' });
  const smsOutbox = new LocalQueue({ name: 'sms-outbox', batchSize: 5, maxReceiveCount: 5, deadLetterQueue: smsOutboxDlq });
  const knowledgeBase = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
  const gazetteer = await loadGazetteer(KNOWLEDGE_DIR);
  // Opt-outs, the sent-SMS ledger and report counters live in their own tables in AWS; one local table
  // serves all three since their keys never collide.
  const smsTable = await dynamo.createTable('assist-sms-control');
  const countersTable = await dynamo.createTable('assist-report-counters');
  const optOuts = new DynamoOptOutRegistry(dynamo.client, smsTable, callerHasher);
  const ledger = new DynamoSentSmsLedger(dynamo.client, smsTable);
  const counters = new DynamoOutcomeCounters(dynamo.client, countersTable);
  // Without a file of the caller's, the outbox is the stack's own scratch file, removed when the stack closes.
  const smsOutboxFile = options.smsOutboxFile ?? join(tmpdir(), `assist-sms-outbox-${process.pid}-${randomUUID()}.jsonl`);
  const smsSender = new FileSmsOutboxSender(smsOutboxFile, clock);
  const definition =
    options.definition ??
    synthesizeWorkflowDefinition({
      ...(options.transcriptionTimeout ? { transcriptionTimeout: options.transcriptionTimeout } : {}),
      ...(options.reviewTimeout ? { reviewTimeout: options.reviewTimeout } : {}),
    });
  const analysis = { ...(options.adapters?.redactor && options.adapters.classifier && options.adapters.drafter ? {} : await localAnalysisAdapters(KNOWLEDGE_DIR, options.topicModels ? { models: options.topicModels } : {})), ...options.adapters } as AnalysisAdapters;

  // transcription-complete resumes the runtime, which is created below from the handlers that use it.
  const pendingEvents = new Set<Promise<void>>();
  const deliverTranscribeEvent = async (event: unknown) => {
    await handleTranscriptionEvent(event, { store, transcriber, callbacks: runtime, clock });
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
    [STATE_NAMES.classify]: wrap(STATE_NAMES.classify, (p) => handleClassify(p, { store: unrestricted, classifier: analysis.classifier, clock, gazetteer })),
    [STATE_NAMES.groupIncident]: wrap(STATE_NAMES.groupIncident, (p) => handleGroupIncident(p, { store: unrestricted, incidents })),
    [STATE_NAMES.draft]: wrap(STATE_NAMES.draft, (p) => handleDraft(p, { store: unrestricted, drafter: analysis.drafter, clock, composeSms: smsComposerFrom(knowledgeBase) })),
    [STATE_NAMES.awaitReview]: wrap(STATE_NAMES.awaitReview, (p) => handleAwaitReview(p, { store, clock })),
    [STATE_NAMES.queueSms]: wrap(STATE_NAMES.queueSms, (p) => handleQueueSms(p, { store, outbox: new LocalQueueSmsOutbox(smsOutbox), clock })),
    [STATE_NAMES.recordOutcome]: wrap(STATE_NAMES.recordOutcome, (p) => handleRecordOutcome(p, { store: expiryOnly, clock, outcomes: counters })),
    [STATE_NAMES.needsManual]: wrap(STATE_NAMES.needsManual, (p) => handleNeedsManual(p, { store: unrestricted, clock })),
  };
  const runtime: LocalWorkflowRuntime = new LocalWorkflowRuntime({
    definition,
    handlers,
    ...(options.retryIntervalMs !== undefined ? { retryIntervalMs: options.retryIntervalMs } : {}),
    ...(options.onStateEntered ? { onStateEntered: options.onStateEntered } : {}),
    ...(options.onExecutionEnded ? { onExecutionEnded: options.onExecutionEnded } : {}),
  });
  const intakeDeps = { store, workflow: runtime, deadLetters: new LocalQueueDeadLetterSink(intakeDlq), clock };
  const maxSmsSegments = options.maxSmsSegments ?? 4;
  const openApi = reviewApiOpenApi();
  const reviewDeps: ReviewApiDeps = {
    store,
    incidents,
    callbacks: runtime,
    clock,
    newDecisionId: randomUUID,
    knowledgeArticle: (id) => knowledgeBase.article(id),
    smsSegments: (text) => analyseSms(text).segments,
    maxSmsSegments,
    smsPreview: analyseSms,
    describeArticle: describeArticleFrom(knowledgeBase),
    openApiDocument: () => openApi,
    topicReport: topicReportResponder(counters, { topicNames: topicNamesFrom(knowledgeBase), clock, incidents }),
    taxonomy: knowledgeBase.taxonomy,
    drafter: options.redraftDrafter ?? new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
    composeSms: smsComposerFrom(knowledgeBase),
    ...(options.reviewCallbacks ? { callbacks: options.reviewCallbacks(runtime) } : {}),
  };
  const smsDeps = { store, sender: smsSender, optOuts, ledger, clock, maxSegments: maxSmsSegments, deferral: smsOutbox };
  const privacy: PrivacyDeps = {
    records: new DynamoPrivacyRecords(dynamo.client, dynamo.tableName, dynamo.restrictedTableName),
    store,
    hasher: callerHasher,
    clock,
    newRequestId: randomUUID,
  };

  return {
    dynamo,
    store,
    incidents,
    intakeQueue,
    intakeDlq,
    runtime,
    definition,
    processIntake: () => intakeQueue.drain((event: SQSEvent) => handleIntakeBatch(event, lambdaContext('intake'), intakeDeps)),
    deliverTranscribeEvent,
    reviewApi: (event) => handleReviewApi(event, reviewDeps),
    smsOutbox,
    smsOutboxDlq,
    processSmsOutbox: () => smsOutbox.drain((event: SQSEvent) => handleSendSmsBatch(event, lambdaContext('send-sms'), smsDeps)),
    smsSent: () => smsSender.sent(),
    smsSender,
    optOuts,
    counters,
    smsTableName: smsTable,
    countersTableName: countersTable,
    callerHasher,
    privacy,
    privacyApi: (event) => handlePrivacyApi(event, privacy),
    sweepExpired: () => sweepExpired(dynamo.client, [dynamo.tableName, dynamo.restrictedTableName, smsTable, countersTable], clock),
    close: async () => {
      await Promise.allSettled([...pendingEvents]);
      await runtime.idle();
      await dynamo.close();
      if (!options.smsOutboxFile) await rm(smsOutboxFile, { force: true });
    },
  };
}
