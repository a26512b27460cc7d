import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { WorkflowInput } from '../shared/domain/enquiry.ts';
import type { WorkflowCallbacks, WorkflowStarter } from '../shared/ports/workflow.ts';
import type { StateMachineDefinition } from './definition.ts';

/** A Lambda step run in-process: receives the task's payload, returns its result. */
export type LocalTaskHandler = (payload: Record<string, unknown>) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

export interface ExecutionRecord {
  name: string;
  input: WorkflowInput;
  status: ExecutionStatus;
  statesEntered: string[];
  output?: unknown;
  error?: string;
  done: Promise<void>;
}

export interface WorkflowRuntimeOptions {
  definition: StateMachineDefinition;
  /** Handlers by Task state name, the same names the deployed state machine uses. */
  handlers: Record<string, LocalTaskHandler>;
  /** Retry pauses in milliseconds instead of the definition's seconds (tests keep them short). */
  retryIntervalMs?: number;
  onStateEntered?: (execution: ExecutionRecord, stateName: string) => void;
  onExecutionEnded?: (execution: ExecutionRecord) => void;
}

class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** Raised like Step Functions' TaskTimedOut / InvalidToken when a token is unknown or already used. */
export class TaskTokenError extends Error {
  override readonly name = 'TaskTimedOut';
}

type TaskHandlers = NonNullable<NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<TaskHandlers[string]>[0];

type Waiter = { resolve: (output: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

/**
 * Runs the synthesized EnquiryWorkflow definition with aws-local-stepfunctions. Lambda Task states call
 * the same handler code in-process; `.waitForTaskToken` states get a fresh token per attempt, pass it to
 * their handler and wait until `succeed`/`fail` is called with it (the WorkflowCallbacks port), or until
 * the state's TimeoutSeconds passes (States.Timeout, as in AWS).
 */
export class LocalWorkflowRuntime implements WorkflowStarter, WorkflowCallbacks {
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly overrides: Record<string, (input: JsonValue) => Promise<JsonValue>>;
  private readonly retryOverrides: Record<string, number> | undefined;

  constructor(private readonly options: WorkflowRuntimeOptions) {
    // The definition is JSON from CDK; the library's own type is structurally the same.
    this.machine = new StateMachine(options.definition as unknown as ConstructorParameters<typeof StateMachine>[0], {
      validationOptions: { checkPaths: true, checkArn: false },
    });
    const taskStates = Object.entries(options.definition.States).filter(([, state]) => state['Type'] === 'Task');
    const missing = taskStates.map(([name]) => name).filter((name) => !options.handlers[name]);
    if (missing.length > 0) throw new Error(`no local handler for task state(s): ${missing.join(', ')}`);
    this.overrides = Object.fromEntries(taskStates.map(([name, state]) => [name, this.overrideFor(name, state)]));
    this.retryOverrides =
      options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(taskStates.filter(([, s]) => s['Retry']).map(([name]) => [name, options.retryIntervalMs!]));
  }

  async start(input: WorkflowInput): Promise<{ alreadyStarted: boolean }> {
    if (this.executions.has(input.enquiryId)) return { alreadyStarted: true };
    const record: ExecutionRecord = { name: input.enquiryId, input, status: 'RUNNING', statesEntered: [], done: Promise.resolve() };
    this.executions.set(record.name, record);
    const execution = this.machine.run(input as unknown as Record<string, never>, {
      overrides: {
        taskResourceLocalHandlers: this.overrides,
        ...(this.retryOverrides ? { retryIntervalOverrides: this.retryOverrides } : {}),
      },
      context: {
        Execution: { Id: `arn:aws:states:local:000000000000:execution:EnquiryWorkflow:${record.name}`, Name: record.name },
        StateMachine: { Id: 'arn:aws:states:local:000000000000:stateMachine:EnquiryWorkflow', Name: 'EnquiryWorkflow' },
        // Replaced per attempt by a fresh token in the override below.
        Task: { Token: 'pending' },
      },
    });
    record.done = (async () => {
      const events = (async () => {
        for await (const event of execution.eventLogs) {
          if (event.type === 'StateEntered') {
            record.statesEntered.push(event.state.name);
            this.options.onStateEntered?.(record, event.state.name);
          }
        }
      })();
      try {
        record.output = await execution.result;
        record.status = 'SUCCEEDED';
      } catch (error) {
        record.status = 'FAILED';
        record.error = `${(error as Error).name}: ${(error as Error).message}`;
      }
      await events.catch(() => undefined);
      this.options.onExecutionEnded?.(record);
    })();
    return { alreadyStarted: false };
  }

  async succeed(taskToken: string, output: unknown): Promise<void> {
    this.take(taskToken).resolve(output);
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    this.take(taskToken).reject(new TaskFailure(error, cause));
  }

  execution(name: string): ExecutionRecord | undefined {
    return this.executions.get(name);
  }

  allExecutions(): ExecutionRecord[] {
    return [...this.executions.values()];
  }

  /** Resolves when every execution started so far has ended. */
  async settle(): Promise<void> {
    let pending = this.allExecutions().filter((e) => e.status === 'RUNNING');
    while (pending.length > 0) {
      await Promise.all(pending.map((e) => e.done));
      pending = this.allExecutions().filter((e) => e.status === 'RUNNING');
    }
  }

  /**
   * Resolves once no execution is working (each has ended or waits for a task token, one token per waiting
   * execution in this workflow), or after timeoutMs. Closing the stack waits for it, so a step still running
   * (RecordOutcome after a decision) never writes to a closed database.
   */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const working = () => this.allExecutions().filter((e) => e.status === 'RUNNING').length > this.waiters.size;
    while (working() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private take(taskToken: string): Waiter {
    const waiter = this.waiters.get(taskToken);
    if (!waiter) throw new TaskTokenError('task token is unknown, already used or timed out');
    this.waiters.delete(taskToken);
    clearTimeout(waiter.timer);
    return waiter;
  }

  private overrideFor(stateName: string, state: Record<string, unknown>): (input: JsonValue) => Promise<JsonValue> {
    const handler = this.options.handlers[stateName]!;
    const resource = String(state['Resource']);
    // Handler results are JSON by construction (they are what a Lambda would return).
    if (!resource.endsWith('.waitForTaskToken')) return async (input) => (await handler(input as Record<string, unknown>)) as JsonValue;
    const timeoutMs = Number(state['TimeoutSeconds'] ?? 365 * 24 * 3600) * 1000;
    return async (input) => {
      const token = `local:${stateName}:${randomUUID()}`;
      const payload = { ...((input as { Payload?: Record<string, unknown> }).Payload ?? {}), taskToken: token };
      const outcome = new Promise<unknown>((resolve, reject) => {
        // The state's own timeout fires States.Timeout; dropping the token then makes late callbacks fail.
        const timer = setTimeout(() => this.waiters.delete(token), timeoutMs + 1000);
        timer.unref();
        this.waiters.set(token, { resolve, reject, timer });
      });
      try {
        await handler(payload);
      } catch (error) {
        const waiter = this.waiters.get(token);
        if (waiter) clearTimeout(waiter.timer);
        this.waiters.delete(token);
        throw error;
      }
      return (await outcome) as JsonValue;
    };
  }
}
