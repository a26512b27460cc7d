import { Stack, type Duration, type StackProps } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DataPlane } from './data-plane.ts';
import { Intake } from './intake.ts';
import { PipelineSteps } from './pipeline-steps.ts';
import { Reports } from './reports.ts';
import { PRIVACY_ROUTES, REVIEW_ROUTES, ReviewApi } from './review-api.ts';
import { Sms } from './sms.ts';
import { EnquiryWorkflow } from './workflow.ts';
import { acknowledgeGrantWildcards } from './nag-acknowledgements.ts';
import { Observability } from './observability.ts';
import { ConsoleHosting } from './console-hosting.ts';
import { Retraining } from './retraining.ts';
import { AssistFunction } from './assist-function.ts';
import { allowServiceToPublish } from './keys.ts';
import { LOCAL_CONSOLE_ORIGIN, readDeploymentContext } from './deployment-context.ts';
import { logoutUriFor, redirectUriFor } from '../../shared/vocabulary/console-sign-in.ts';
import { TRANSCRIBE_JOB_PREFIX } from '../../shared/domain/transcription.ts';

export interface AssistStackProps extends StackProps {
  /** Shorter waits for tests of the timeout paths; production uses the defaults. */
  transcriptionTimeout?: Duration;
  reviewTimeout?: Duration;
  /** The console's CLOUDFRONT-scope WAF web ACL (EdgeProtectionStack in us-east-1, see cdk/bin/app.ts). */
  consoleWebAclArn?: string;
}

/** 1823 Assist: one stack composed of one construct per capability. */
export class AssistStack extends Stack {
  readonly data: DataPlane;
  readonly intake: Intake;
  readonly workflow: EnquiryWorkflow;
  readonly reviewApi: ReviewApi;
  readonly sms: Sms;
  readonly alarmTopic: Topic;
  /** Where staff open the console (and, through the same distribution, the API). */
  readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: AssistStackProps = {}) {
    super(scope, id, props);
    const context = readDeploymentContext(this.node);
    this.data = new DataPlane(this, 'Data');
    this.alarmTopic = new Topic(this, 'OperationsAlarms', {
      masterKey: this.data.operationsKey,
      enforceSSL: true,
      displayName: '1823 Assist operations alarms',
    });
    allowServiceToPublish(this.alarmTopic, this.data.operationsKey, 'cloudwatch.amazonaws.com', `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`);
    this.intake = new Intake(this, 'Intake', { key: this.data.key, data: this.data });
    this.sms = new Sms(this, 'Sms', { key: this.data.key, data: this.data, originationIdentityArn: context.smsOriginationIdentityArn, quietHours: context.smsQuietHours });
    const reports = new Reports(this, 'Reports', { data: this.data });
    const steps = new PipelineSteps(this, 'Steps', { data: this.data, smsOutbox: this.sms.outbox, reportCounting: reports });
    this.workflow = new EnquiryWorkflow(this, 'Workflow', {
      key: this.data.key,
      steps: steps.functions,
      ...(props.transcriptionTimeout ? { transcriptionTimeout: props.transcriptionTimeout } : {}),
      ...(props.reviewTimeout ? { reviewTimeout: props.reviewTimeout } : {}),
    });
    steps.connectWorkflow(this.workflow.stateMachine);
    this.intake.function.addEnvironment('STATE_MACHINE_ARN', this.workflow.stateMachine.stateMachineArn);
    this.workflow.stateMachine.grantStartExecution(this.intake.function);

    const consoleHosting = new ConsoleHosting(this, 'Console', {
      cognitoDomainPrefix: context.cognitoDomainPrefix,
      ...(props.consoleWebAclArn ? { webAclArn: props.consoleWebAclArn } : {}),
      ...(context.consoleDomain ? { domain: context.consoleDomain } : {}),
    });
    this.consoleUrl = consoleHosting.url;
    // Sign-in returns to <origin>/callback and sign-out to <origin>/, exactly as the console builds them.
    const origins = [consoleHosting.url, ...(context.allowLocalConsole ? [LOCAL_CONSOLE_ORIGIN] : [])];
    this.reviewApi = new ReviewApi(this, 'Review', {
      key: this.data.key,
      data: this.data,
      knowledgeLayer: steps.knowledgeLayer,
      // The console reaches the API through its own distribution (same origin): CORS only for a local console.
      allowedOrigins: context.allowLocalConsole ? [LOCAL_CONSOLE_ORIGIN] : [],
      callbackUrls: origins.map(redirectUriFor),
      logoutUrls: origins.map(logoutUriFor),
    });
    consoleHosting.addApi(this.reviewApi.api, [...REVIEW_ROUTES, ...PRIVACY_ROUTES].map((route) => route.path));
    const cognitoDomainPrefix = context.cognitoDomainPrefix;
    this.reviewApi.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: cognitoDomainPrefix } });
    consoleHosting.deploy({ apiUrl: consoleHosting.url, userPool: this.reviewApi.userPool, client: this.reviewApi.client, cognitoDomainPrefix });
    this.reviewApi.connectWorkflow(this.workflow.stateMachine);
    reports.connectApi(this.reviewApi.function);
    const reportGenerator = reports.addGenerator(steps.knowledgeLayer);
    const retraining = new Retraining(this, 'Retraining', { data: this.data, knowledgeLayer: steps.knowledgeLayer });
    retraining.connectClassifier(steps.classify);

    const observability = new Observability(this, 'Observability', {
      key: this.data.key,
      alarmTopic: this.alarmTopic,
      data: this.data,
      userPool: this.reviewApi.userPool,
      apiAccessLogs: this.reviewApi.accessLogs,
      stateMachine: this.workflow.stateMachine,
      functions: this.node.findAll().filter((c): c is AssistFunction => c instanceof AssistFunction),
      deadLetterQueues: { Intake: this.intake.deadLetterQueue, SmsOutbox: this.sms.outboxDlq },
    });

    acknowledgeGrantWildcards(
      this,
      {
        tables: [this.data.enquiryTable, this.sms.table, reports.counters],
        buckets: [this.data.voicemailBucket, steps.transcriptsBucket, reports.bucket, consoleHosting.site, retraining.bucket],
        functions: [...Object.values(steps.functions), reportGenerator, observability.backlogMonitor, retraining.function],
        prefixedObjects: [retraining.prefixedObjects],
      },
      {
        smsIdentityScoped: Boolean(context.smsOriginationIdentityArn),
        transcribeJobPrefix: TRANSCRIBE_JOB_PREFIX,
      },
    );
  }
}
