import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataPlane } from './data-plane.ts';
import { Intake } from './intake.ts';
import { PipelineSteps } from './pipeline-steps.ts';
import { EnquiryWorkflow } from './workflow.ts';

export interface AssistStackProps extends StackProps {
  /** Shorter waits for tests of the timeout paths; production uses the defaults. */
  transcriptionTimeout?: Duration;
}

/** 1823 Assist: one stack composed of one construct per capability. */
export class AssistStack extends Stack {
  readonly data: DataPlane;
  readonly intake: Intake;
  readonly workflow: EnquiryWorkflow;

  constructor(scope: Construct, id: string, props: AssistStackProps = {}) {
    super(scope, id, props);
    this.data = new DataPlane(this, 'Data');
    this.intake = new Intake(this, 'Intake', { key: this.data.key, enquiryTable: this.data.enquiryTable });
    const steps = new PipelineSteps(this, 'Steps', { data: this.data });
    this.workflow = new EnquiryWorkflow(this, 'Workflow', {
      key: this.data.key,
      steps: steps.functions,
      ...(props.transcriptionTimeout ? { transcriptionTimeout: props.transcriptionTimeout } : {}),
    });
    steps.connectWorkflow(this.workflow.stateMachine);
    this.intake.function.addEnvironment('STATE_MACHINE_ARN', this.workflow.stateMachine.stateMachineArn);
    this.workflow.stateMachine.grantStartExecution(this.intake.function);
  }
}
