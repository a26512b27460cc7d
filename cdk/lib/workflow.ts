import { Duration, Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { stackLogGroup } from './keys.ts';
import {
  Choice,
  Condition,
  CustomerManagedEncryptionConfiguration,
  DefinitionBody,
  IntegrationPattern,
  JitterType,
  JsonPath,
  LogLevel,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  type IChainable,
  type INextable,
  type RetryProps,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** State names are part of the contract: the local runtime and tests bind handlers to them. */
export const STATE_NAMES = {
  hasAudio: 'HasAudio',
  startTranscription: 'StartTranscription',
  redact: 'RedactPersonalData',
  classify: 'ClassifyTopic',
  groupIncident: 'GroupIncident',
  draft: 'DraftReply',
  awaitReview: 'AwaitAgentReview',
  reviewDecision: 'ReviewDecision',
  queueSms: 'QueueSms',
  recordOutcome: 'RecordOutcome',
  needsManual: 'NeedsManualHandling',
  done: 'Done',
  handedToAgents: 'HandedToAgents',
} as const;

/** Errors our functions throw for faults worth retrying (see shared/domain/errors.ts). */
const TRANSIENT_ERRORS = ['TransientError', 'StatusConflictError'];
/** Bounded, jittered retries for transient faults: every Lambda step uses the same policy. */
const TRANSIENT_RETRY: RetryProps = {
  errors: TRANSIENT_ERRORS,
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 4,
  maxDelay: Duration.seconds(30),
  jitterStrategy: JitterType.FULL,
};

export interface WorkflowSteps {
  startTranscription: IFunction;
  redact: IFunction;
  classify: IFunction;
  groupIncident: IFunction;
  draft: IFunction;
  awaitReview: IFunction;
  queueSms: IFunction;
  recordOutcome: IFunction;
  needsManual: IFunction;
}

export interface EnquiryWorkflowProps {
  key: IKey;
  steps: WorkflowSteps;
  /** How long a voicemail may wait for Transcribe before going to agents by hand. */
  transcriptionTimeout?: Duration;
  /** How long a draft may wait for an agent's decision before it moves to needs_manual (default 72 h). */
  reviewTimeout?: Duration;
}

const ids = {
  enquiryId: JsonPath.stringAt('$.enquiryId'),
  correlationId: JsonPath.stringAt('$.correlationId'),
};

/**
 * EnquiryWorkflow (Standard): voicemail → transcription → redaction → classification → draft → agent
 * review → (SMS if the agent asked and the caller consented) → outcome recorded.
 * Every step retries transient faults with jittered backoff and, when it still fails, hands the enquiry
 * to agents through NeedsManualHandling, so no enquiry ends without a status an agent can see.
 */
export class EnquiryWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: EnquiryWorkflowProps) {
    super(scope, id);
    const { steps } = props;

    const needsManual = new LambdaInvoke(this, STATE_NAMES.needsManual, {
      lambdaFunction: steps.needsManual,
      payload: TaskInput.fromObject({ ...ids, failure: JsonPath.objectAt('$.failure') }),
      payloadResponseOnly: true,
      resultPath: '$.outcome',
    });
    needsManual.addRetry({
      errors: [...TRANSIENT_ERRORS, 'States.TaskFailed'],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      jitterStrategy: JitterType.FULL,
    });
    needsManual.next(new Succeed(this, STATE_NAMES.handedToAgents));

    const step = (name: string, fn: IFunction) => {
      const task = new LambdaInvoke(this, name, {
        lambdaFunction: fn,
        payload: TaskInput.fromObject(ids),
        payloadResponseOnly: true,
        resultPath: JsonPath.DISCARD,
      });
      return this.guarded(task, needsManual);
    };

    const startTranscription = new LambdaInvoke(this, STATE_NAMES.startTranscription, {
      lambdaFunction: steps.startTranscription,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...ids, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.duration(props.transcriptionTimeout ?? Duration.hours(2)),
      resultPath: JsonPath.DISCARD,
    });
    this.guarded(startTranscription, needsManual);

    const awaitReview = new LambdaInvoke(this, STATE_NAMES.awaitReview, {
      lambdaFunction: steps.awaitReview,
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({ ...ids, taskToken: JsonPath.taskToken }),
      taskTimeout: Timeout.duration(props.reviewTimeout ?? Duration.hours(72)),
      // The review API resumes with { action, decisionId, sendSms } (events/review-api.ts ReviewOutcomeSchema).
      resultPath: '$.review',
    });
    this.guarded(awaitReview, needsManual);

    const recordOutcome = step(STATE_NAMES.recordOutcome, steps.recordOutcome);
    const queueSms = step(STATE_NAMES.queueSms, steps.queueSms);
    const reviewDecision = new Choice(this, STATE_NAMES.reviewDecision)
      .when(
        Condition.and(Condition.booleanEquals('$.review.sendSms', true), Condition.not(Condition.stringEquals('$.review.action', 'reject'))),
        queueSms.next(recordOutcome),
      )
      .otherwise(recordOutcome);
    recordOutcome.next(new Succeed(this, STATE_NAMES.done));

    const draft = step(STATE_NAMES.draft, steps.draft);
    // Grouping helps agents; it must never hold a caller's enquiry back: after its retries, a failure goes on
    // to drafting (the enquiry stays ungrouped, the error is in the execution's `$.groupingFailure`).
    const groupIncident = new LambdaInvoke(this, STATE_NAMES.groupIncident, {
      lambdaFunction: steps.groupIncident,
      payload: TaskInput.fromObject(ids),
      payloadResponseOnly: true,
      resultPath: JsonPath.DISCARD,
    });
    groupIncident.addRetry(TRANSIENT_RETRY);
    groupIncident.addCatch(draft, { errors: ['States.ALL'], resultPath: '$.groupingFailure' });

    const redact = step(STATE_NAMES.redact, steps.redact);
    const definition = new Choice(this, STATE_NAMES.hasAudio)
      .when(Condition.booleanEquals('$.hasAudio', true), startTranscription.next(redact))
      .otherwise(redact);
    redact
      .next(step(STATE_NAMES.classify, steps.classify))
      .next(groupIncident)
      .next(draft)
      .next(awaitReview)
      .next(reviewDecision);

    this.stateMachine = new StateMachine(this, 'EnquiryWorkflow', {
      // Named, so CDK's KMS permission for the execution role names this state machine's ARN (unnamed, the
      // encryption-context condition ends in "stateMachine:" and matches nothing).
      stateMachineName: `${Stack.of(this).stackName}-EnquiryWorkflow`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition as IChainable),
      tracingEnabled: true,
      encryptionConfiguration: new CustomerManagedEncryptionConfiguration(props.key),
      logs: {
        destination: stackLogGroup(this, 'ExecutionLogs', { name: 'states/EnquiryWorkflow', key: props.key, retention: RetentionDays.THREE_MONTHS }),
        level: LogLevel.ALL,
        // Execution data holds ids only, but keep it out of logs anyway: defence in depth.
        includeExecutionData: false,
      },
    });
  }

  /** Bounded, jittered retries for transient faults, then hand-off to agents with the error as the reason. */
  private guarded<T extends LambdaInvoke>(task: T, needsManual: LambdaInvoke): T & INextable {
    task.addRetry(TRANSIENT_RETRY);
    task.addCatch(needsManual, { errors: ['States.ALL'], resultPath: '$.failure' });
    return task;
  }
}
