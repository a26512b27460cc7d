/**
 * The pipeline's step functions (handle.ts) called directly, in sequence, with local adapters and the
 * same dynalite-backed store the local runtime uses: intake → redact → classify → draft → await-review.
 * Used by the pipeline bench (the no-runtime baseline), the bundles table ("local handle" time per
 * function) and the cost model (Lambda durations).
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DynamoEnquiryStore } from '../shared/adapters/aws/dynamo-enquiry-store.ts';
import { FileKnowledgeBase } from '../shared/adapters/in-process/file-knowledge-base.ts';
import { TemplateReplyDrafter } from '../shared/adapters/in-process/template-reply-drafter.ts';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import type { TopicResultRecord, WorkflowInput } from '../shared/domain/enquiry.ts';
import type { Language } from '../shared/vocabulary/languages.ts';
import { systemClock } from '../shared/ports/clock.ts';
import { TOPIC_DEPARTMENT } from '../shared/vocabulary/topics.ts';
import type { EnquiryStore } from '../shared/ports/enquiry-store.ts';
import type { KnowledgeBase } from '../shared/ports/knowledge-base.ts';
import type { PersonalDataRedactor } from '../shared/ports/personal-data-redactor.ts';
import type { ReplyDrafter } from '../shared/ports/reply-drafter.ts';
import { handleIntakeBatch } from '../functions/intake/handle.ts';
import { handleRedact } from '../functions/redact/handle.ts';
import { handleClassify } from '../functions/classify/handle.ts';
import { handleDraft } from '../functions/draft/handle.ts';
import { handleAwaitReview } from '../functions/await-review/handle.ts';
import type { ClassifyDeps, DraftDeps } from '../shared/domain/steps/analysis.ts';
import { smsComposerFrom } from '../shared/adapters/in-process/knowledge-views.ts';
import { loadGazetteer } from '../shared/adapters/in-process/gazetteer-file.ts';
import { startLocalDynamo, type LocalDynamo } from '../local/dynamo.ts';
import { KNOWLEDGE_DIR } from '../local/paths.ts';
import { loadSamples } from '../local/samples.ts';
import { errorMessage, median, round, type Scale } from './lib.ts';
import { OPTIONAL_MODULES, findExport, importFromRepo } from './optional.ts';

/** The classifier port as the step uses it; the port file itself belongs to the classifier work. */
export interface BenchClassifier {
  classify(input: { text: string; language?: Language }): Promise<TopicResultRecord>;
}

export interface Analysis {
  redactor: PersonalDataRedactor;
  classifier: BenchClassifier;
  drafter: ReplyDrafter;
  /** 'local adapters' when the real local classifier is there, else what stood in for it. */
  source: string;
  /** The real local classifier and drafter, as the local runtime uses them. */
  real: boolean;
}

/** Pipeline function names (folders under functions/) in call order. */
export const DIRECT_STEPS = ['intake', 'redact', 'classify', 'draft', 'await-review'] as const;
export type DirectStep = (typeof DIRECT_STEPS)[number];

const hasHan = (text: string) => /\p{Script=Han}/u.test(text);

/**
 * Until the local classifier lands: the topic of the best BM25 article for the text. Only so the other
 * steps can be timed; every figure it influences says so.
 */
export function knowledgeSearchClassifier(knowledgeBase: KnowledgeBase): BenchClassifier {
  return {
    classify: ({ text, language }) => {
      const best = knowledgeBase.search(text, { limit: 1 })[0]?.article;
      return Promise.resolve({
        topic: best?.topic ?? 'out_of_scope',
        department: best?.department ?? TOPIC_DEPARTMENT.out_of_scope,
        urgency: 'routine',
        confidence: best ? 0.5 : 0,
        language: language ?? (hasHan(text) ? 'zh-HK' : 'en-US'),
        rationale: 'bench stand-in: best knowledge-base article',
        source: 'bench-stand-in',
      });
    },
  };
}

/** The local runtime's adapters (local/analysis-adapters.ts) when they exist, else redactor + template drafter + stand-in. */
export async function loadAnalysis(): Promise<Analysis> {
  try {
    const module = await importFromRepo(OPTIONAL_MODULES.analysisAdapters);
    const load = findExport(module, /^localAnalysisAdapters$/);
    if (load) {
      const adapters = (await (load.value as unknown as (dir: string) => Promise<Omit<Analysis, 'source' | 'real'>>)(KNOWLEDGE_DIR));
      return { ...adapters, source: 'local adapters', real: true };
    }
  } catch (error) {
    // Falls through to the stand-in; the reason is reported by the benches that need the real thing.
    standInReason = errorMessage(error).slice(0, 200);
  }
  const knowledgeBase = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
  return {
    redactor: createRedactor({ publicNumbers: knowledgeBase.publicContactNumbers() }),
    classifier: knowledgeSearchClassifier(knowledgeBase),
    drafter: new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
    source: 'stand-in classifier (knowledge-base search)',
    real: false,
  };
}

let standInReason = 'local/analysis-adapters.ts has no localAnalysisAdapters export';
/** Why loadAnalysis fell back to the stand-in classifier. */
export const whyStandIn = (): string => standInReason;

/** Written sample enquiries, each given a unique messageId so every copy is a new enquiry. */
export function writtenEnquiries(count: number, tag = randomUUID().slice(0, 8)): string[] {
  const written = loadSamples()
    .map((sample) => JSON.parse(sample.body) as Record<string, unknown>)
    .filter((body) => body['kind'] === 'written');
  if (written.length === 0) throw new Error('events/samples has no written enquiries');
  return Array.from({ length: count }, (_, i) => {
    const body = written[i % written.length] ?? {};
    return JSON.stringify({ ...body, messageId: `bench-${tag}-${i}` });
  });
}

export const lambdaContext = (functionName: string): Context =>
  ({
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

export function sqsEventOf(body: string): SQSEvent {
  const messageId = randomUUID();
  return {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:intake',
        awsRegion: 'local',
      },
    ],
  };
}

export interface DirectDeps {
  store: EnquiryStore;
  analysis: Analysis;
  composeSms: DraftDeps['composeSms'];
  gazetteer: ClassifyDeps['gazetteer'];
}

export type StepDurations = Partial<Record<DirectStep, number>>;

async function step<T>(name: DirectStep, durations: StepDurations, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  durations[name] = performance.now() - started;
  return value;
}

/** One written enquiry through the five step functions, as Step Functions would call them, timed per step. */
export async function runDirect(body: string, deps: DirectDeps): Promise<StepDurations> {
  const { store, analysis, composeSms } = deps;
  const clock = systemClock;
  const durations: StepDurations = {};
  let started: WorkflowInput | undefined;
  const workflow = { start: (input: WorkflowInput) => ((started = input), Promise.resolve({ alreadyStarted: false })) };
  const deadLetters = { reject: () => Promise.reject(new Error('a bench enquiry was dead-lettered')) };
  await step('intake', durations, () => handleIntakeBatch(sqsEventOf(body), lambdaContext('intake'), { store, workflow, deadLetters, clock }));
  if (!started) throw new Error('intake did not start a workflow for a bench enquiry');
  const input = { enquiryId: started.enquiryId, correlationId: started.correlationId };
  await step('redact', durations, () => handleRedact(input, { store, redactor: analysis.redactor, clock }));
  // The classifier port type belongs to the classifier work; the bench's structural type stands in for it.
  const classifier = analysis.classifier as unknown as ClassifyDeps['classifier'];
  await step('classify', durations, () => handleClassify(input, { store, classifier, clock, gazetteer: deps.gazetteer }));
  await step('draft', durations, () => handleDraft(input, { store, drafter: analysis.drafter, clock, composeSms }));
  await step('await-review', durations, () => handleAwaitReview({ ...input, taskToken: `bench-${randomUUID()}` }, { store, clock }));
  return durations;
}

export interface DirectEnvironment extends DirectDeps {
  dynamo: LocalDynamo;
  close(): Promise<void>;
}

export async function startDirectEnvironment(analysis?: Analysis): Promise<DirectEnvironment> {
  const dynamo = await startLocalDynamo();
  const store = new DynamoEnquiryStore(dynamo.client, dynamo.tableName, dynamo.restrictedTableName);
  const composeSms = smsComposerFrom(await FileKnowledgeBase.load(KNOWLEDGE_DIR));
  const gazetteer = await loadGazetteer(KNOWLEDGE_DIR);
  return { dynamo, store, composeSms, gazetteer, analysis: analysis ?? (await loadAnalysis()), close: () => dynamo.close() };
}

export interface StepTiming {
  step: DirectStep;
  /** First call in a fresh environment (lazy initialisation, JIT warm-up, first dynalite table access). */
  firstMs: number;
  /** Median of the following calls. */
  warmMs: number;
  samples: number;
}

export interface LocalStepTimings {
  classifierSource: string;
  steps: StepTiming[];
}

const STEP_SAMPLES: Record<Scale, number> = { tiny: 3, quick: 12, full: 40 };

/** Per-step duration of the direct sequence, first call vs warm, with local adapters and dynalite. */
export async function measureLocalSteps(scale: Scale): Promise<LocalStepTimings> {
  const environment = await startDirectEnvironment();
  try {
    const runs: StepDurations[] = [];
    for (const body of writtenEnquiries(STEP_SAMPLES[scale] + 1)) runs.push(await runDirect(body, environment));
    const [first, ...warm] = runs;
    const steps = DIRECT_STEPS.map((name) => ({
      step: name,
      firstMs: round(first?.[name] ?? Number.NaN, 2),
      warmMs: round(median(warm.map((run) => run[name] ?? Number.NaN)), 2),
      samples: warm.length,
    }));
    return { classifierSource: environment.analysis.source, steps };
  } finally {
    await environment.close();
  }
}

const memo = new Map<Scale, Promise<LocalStepTimings>>();
/** Shared by the bundles and cost benches so one run measures the steps once. */
export function localStepTimings(scale: Scale): Promise<LocalStepTimings> {
  let timings = memo.get(scale);
  if (!timings) {
    timings = measureLocalSteps(scale);
    memo.set(scale, timings);
  }
  return timings;
}
