import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { WorkflowInput } from '../../domain/enquiry.ts';
import type { WorkflowCallbacks, WorkflowStarter } from '../../ports/workflow.ts';

export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: WorkflowInput): Promise<{ alreadyStarted: boolean }> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: input.enquiryId,
          input: JSON.stringify(input),
        }),
      );
      return { alreadyStarted: false };
    } catch (error) {
      // The execution name is the enquiry id: a second start for the same enquiry is a duplicate delivery.
      if (error instanceof ExecutionAlreadyExists) return { alreadyStarted: true };
      throw error;
    }
  }
}

export class StepFunctionsCallbacks implements WorkflowCallbacks {
  constructor(private readonly client: SFNClient) {}

  async succeed(taskToken: string, output: unknown): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) }));
  }
}
