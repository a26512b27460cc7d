import type { WorkflowInput } from '../domain/enquiry.ts';

export interface WorkflowStarter {
  /** Starts the execution named by the enquiry id. An execution with that name already existing is success. */
  start(input: WorkflowInput): Promise<{ alreadyStarted: boolean }>;
}

/** Resumes `.waitForTaskToken` tasks. */
export interface WorkflowCallbacks {
  succeed(taskToken: string, output: unknown): Promise<void>;
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
