/**
 * Enquiries per second through the local runtime (the synthesized EnquiryWorkflow run by
 * aws-local-stepfunctions, in-process SQS, dynalite) vs the same handle functions called directly in
 * sequence on the same kind of store. The gap is what the orchestration costs locally, not on AWS.
 */
import { performance } from 'node:perf_hooks';
import { STATE_NAMES } from '../cdk/lib/workflow.ts';
import type { StateMachineDefinition } from '../local/definition.ts';
import { workflowDefinition } from './workflow-path.ts';
import { startLocalStack, type AnalysisAdapters, type LocalStack } from '../local/stack.ts';
import type { LocalTaskHandler } from '../local/workflow-runtime.ts';
import { NotAvailableError, errorMessage, round, type BenchOptions, type Scale, type Table } from './lib.ts';
import { loadAnalysis, runDirect, startDirectEnvironment, whyStandIn, writtenEnquiries, type Analysis } from './local-steps.ts';

const PLAN: Record<Scale, { levels: number[]; enquiries: number }> = {
  tiny: { levels: [2], enquiries: 2 },
  quick: { levels: [1, 4, 16], enquiries: 16 },
  full: { levels: [1, 4, 16], enquiries: 96 },
};

export interface PipelineLevel {
  concurrency: number;
  enquiries: number;
  runtimePerSecond: number;
  directPerSecond: number;
  /** direct / runtime: how many times faster the bare handle calls are. */
  overhead: number;
  needsManual: number;
}

export interface PipelineData {
  classifierSource: string;
  levels: PipelineLevel[];
}

/** Waits for each enquiry to be parked in AwaitAgentReview (its status is then awaiting_review). */
class Completions {
  private readonly waiting = new Map<string, () => void>();
  private readonly done = new Set<string>();
  needsManual = 0;

  wrap = (stateName: string, handler: LocalTaskHandler): LocalTaskHandler => {
    if (stateName !== STATE_NAMES.awaitReview && stateName !== STATE_NAMES.needsManual) return handler;
    return async (payload) => {
      const result = await handler(payload);
      if (stateName === STATE_NAMES.needsManual) this.needsManual += 1;
      this.complete(String(payload['enquiryId']));
      return result;
    };
  };

  private complete(enquiryId: string): void {
    this.done.add(enquiryId);
    this.waiting.get(enquiryId)?.();
  }

  /** Resolves once `count` more enquiries have completed than before. */
  async next(count: number, timeoutMs = 60_000): Promise<void> {
    const target = this.done.size + count;
    const deadline = Date.now() + timeoutMs;
    while (this.done.size < target) {
      if (Date.now() > deadline) throw new Error(`only ${this.done.size} of ${target} enquiries reached AwaitAgentReview within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** Waves of `concurrency` messages: send, deliver (intake starts executions), wait for all to park. */
async function throughRuntime(stack: LocalStack, completions: Completions, bodies: string[], concurrency: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < bodies.length; i += concurrency) {
    const wave = bodies.slice(i, i + concurrency);
    for (const body of wave) stack.intakeQueue.send(body);
    await stack.processIntake();
    await completions.next(wave.length);
  }
  return bodies.length / ((performance.now() - started) / 1000);
}

async function measureRuntime(definition: StateMachineDefinition, analysis: Analysis, concurrency: number, enquiries: number) {
  const completions = new Completions();
  const adapters = { redactor: analysis.redactor, classifier: analysis.classifier, drafter: analysis.drafter } as unknown as AnalysisAdapters;
  const stack = await startLocalStack({ definition, retryIntervalMs: 5, adapters, wrapHandler: completions.wrap });
  try {
    await throughRuntime(stack, completions, writtenEnquiries(1), 1); // warm-up: JIT, first table access
    const perSecond = await throughRuntime(stack, completions, writtenEnquiries(enquiries), concurrency);
    return { perSecond, needsManual: completions.needsManual };
  } finally {
    await stack.close();
  }
}

async function measureDirect(analysis: Analysis, concurrency: number, enquiries: number): Promise<number> {
  const environment = await startDirectEnvironment(analysis);
  try {
    await runDirect(writtenEnquiries(1)[0] ?? '', environment);
    const bodies = writtenEnquiries(enquiries);
    const started = performance.now();
    for (let i = 0; i < bodies.length; i += concurrency) {
      await Promise.all(bodies.slice(i, i + concurrency).map((body) => runDirect(body, environment)));
    }
    return bodies.length / ((performance.now() - started) / 1000);
  } finally {
    await environment.close();
  }
}

export async function requirements(): Promise<{ analysis: Analysis; definition: StateMachineDefinition }> {
  const analysis = await loadAnalysis();
  if (!analysis.real) throw new NotAvailableError(`not available yet: local classifier (${whyStandIn()})`);
  try {
    return { analysis, definition: workflowDefinition() };
  } catch (error) {
    throw new NotAvailableError(`not available: the CDK app does not synthesize right now (${errorMessage(error).slice(0, 160)})`);
  }
}

export async function benchPipeline(options: BenchOptions): Promise<{ tables: Table[]; data: PipelineData }> {
  const { analysis, definition } = await requirements();
  const plan = PLAN[options.scale];
  const levels: PipelineLevel[] = [];
  for (const concurrency of plan.levels) {
    const runtime = await measureRuntime(definition, analysis, concurrency, plan.enquiries);
    const directPerSecond = await measureDirect(analysis, concurrency, plan.enquiries);
    levels.push({
      concurrency,
      enquiries: plan.enquiries,
      runtimePerSecond: round(runtime.perSecond, 1),
      directPerSecond: round(directPerSecond, 1),
      overhead: round(directPerSecond / runtime.perSecond, 2),
      needsManual: runtime.needsManual,
    });
  }
  const data = { classifierSource: analysis.source, levels };
  return { tables: [pipelineTable(data)], data };
}

function pipelineTable(data: PipelineData): Table {
  return {
    title: 'Pipeline throughput (written enquiries to awaiting_review)',
    columns: ['concurrency', 'enquiries', 'local runtime /s', 'direct handle calls /s', 'overhead (direct ÷ runtime)', 'needs_manual'],
    rows: data.levels.map((l) => [l.concurrency, l.enquiries, l.runtimePerSecond, l.directPerSecond, `${l.overhead}×`, l.needsManual]),
    notes: [
      'runtime = intake queue → intake → synthesized EnquiryWorkflow (aws-local-stepfunctions) → AwaitAgentReview; direct = intake → redact → classify → draft → await-review handle.ts calls',
      'both on dynalite with the local adapters; waves of `concurrency` enquiries, each wave waits for all to park; one warm-up enquiry first',
    ],
  };
}
