import { Duration, Stack } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Code, LayerVersion, Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Reports } from './reports.ts';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { RETENTION } from '../../shared/domain/retention.ts';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { LANGUAGES } from '../../shared/vocabulary/languages.ts';
import { AssistFunction, REPO_ROOT } from './assist-function.ts';
import type { DataPlane, EnquiryAccess } from './data-plane.ts';
import type { WorkflowSteps } from './workflow.ts';

export interface PipelineStepsProps {
  data: DataPlane;
  smsOutbox: IQueue;
  /** The report counters RecordOutcome adds to (supervisor reports): its table and the grant to count. */
  reportCounting: Pick<Reports, 'counters' | 'grantCounting'>;
  /** Bedrock model for classification and drafting (context `bedrockModelId`). */
  bedrockModelId?: string;
}

/** Transcribe job names are `enq-<enquiry id>`: IAM and the EventBridge rule are scoped to that prefix. */
import { parseVocabulary, TRANSCRIBE_JOB_PREFIX } from '../../shared/domain/transcription.ts';

/**
 * The Lambda steps of EnquiryWorkflow, the knowledge layer they read, the transcripts bucket and the
 * EventBridge rule that resumes the workflow when a Transcribe job ends.
 */
export class PipelineSteps extends Construct {
  readonly functions: WorkflowSteps;
  readonly transcriptionComplete: AssistFunction;
  /** ClassifyTopic's function (retraining lets it read the promoted model). */
  readonly classify: AssistFunction;
  readonly transcriptsBucket: Bucket;
  readonly knowledgeLayer: LayerVersion;

  constructor(scope: Construct, id: string, props: PipelineStepsProps) {
    super(scope, id);
    const { data } = props;
    const stack = Stack.of(this);
    const modelId =
      props.bedrockModelId ?? (this.node.tryGetContext('bedrockModelId') as string | undefined) ?? 'anthropic.claude-haiku-4-5-20251001-v1:0';

    // Transcribe output holds the raw transcript: kept no longer than the voicemail audio.
    this.transcriptsBucket = data.dataBucket('Transcripts', 'transcripts/', Duration.days(RETENTION.rawObjectsDays));

    const knowledge = (this.knowledgeLayer = new LayerVersion(this, 'KnowledgeLayer', {
      code: Code.fromAsset(join(REPO_ROOT, 'layers')),
      compatibleRuntimes: [Runtime.NODEJS_24_X],
      compatibleArchitectures: [Architecture.ARM_64],
      description: 'Topic taxonomy, labelled examples, knowledge articles and reply/SMS templates (/opt/knowledge)',
    }));

    // Every step reads and writes its enquiry; raw contact data and task tokens only where named.
    const make = (
      name: string,
      description: string,
      restricted: Omit<EnquiryAccess, 'enquiry'>,
      extra: Record<string, string> = {},
      sizing: { memorySize?: number; timeout?: Duration } = {},
    ) => {
      const fn = new AssistFunction(this, name, {
        handlerFolder: name,
        ...sizing,
        key: data.key,
        description,
        layers: [knowledge],
        environment: { KNOWLEDGE_DIR: '/opt/knowledge', ...extra },
      });
      data.grantEnquiryAccess(fn, { enquiry: ['read', 'write'], ...restricted });
      return fn;
    };

    // Jobs are named enq-<enquiry id>: both Transcribe functions are scoped to this system's jobs.
    const transcriptionJobs = `arn:${stack.partition}:transcribe:${stack.region}:${stack.account}:transcription-job/${TRANSCRIBE_JOB_PREFIX}*`;
    const vocabularies = this.customVocabularies();
    const startTranscription = make('start-transcription', 'Starts the Transcribe job for a voicemail and parks the task token', { contact: ['read'], taskToken: ['write'] }, {
      TRANSCRIPTS_BUCKET: this.transcriptsBucket.bucketName,
      TRANSCRIPTS_KEY_ARN: data.key.keyArn,
      ...Object.fromEntries(Object.entries(vocabularies).map(([language, name]) => [`TRANSCRIBE_VOCABULARY_${language.replace('-', '_').toUpperCase()}`, name])),
    });
    startTranscription.addToRolePolicy(
      new PolicyStatement({
        actions: ['transcribe:StartTranscriptionJob', 'transcribe:GetTranscriptionJob'],
        resources: [
          transcriptionJobs,
          ...Object.values(vocabularies).map((name) => `arn:${stack.partition}:transcribe:${stack.region}:${stack.account}:vocabulary/${name}`),
        ],
      }),
    );
    // Transcribe reads the audio and writes the transcript with the caller's (this function's) permissions.
    data.voicemailBucket.grantRead(startTranscription);
    this.transcriptsBucket.grantPut(startTranscription);

    this.transcriptionComplete = make('transcription-complete', 'Reads a finished transcript and resumes the workflow', { contact: ['update'], taskToken: ['read', 'write'] }, {
      TRANSCRIPTS_BUCKET: this.transcriptsBucket.bucketName,
    });
    this.transcriptsBucket.grantRead(this.transcriptionComplete);
    this.transcriptionComplete.addToRolePolicy(
      new PolicyStatement({
        actions: ['transcribe:GetTranscriptionJob'],
        resources: [transcriptionJobs],
      }),
    );
    new Rule(this, 'TranscribeJobEnded', {
      description: 'Transcribe jobs of EnquiryWorkflow that completed or failed',
      eventPattern: {
        source: ['aws.transcribe'],
        detailType: ['Transcribe Job State Change'],
        detail: {
          TranscriptionJobName: [{ prefix: TRANSCRIBE_JOB_PREFIX }],
          TranscriptionJobStatus: ['COMPLETED', 'FAILED'],
        },
      },
      targets: [new LambdaFunction(this.transcriptionComplete, { retryAttempts: 8, maxEventAge: Duration.hours(6) })],
    });

    const bedrockEnv = { BEDROCK_MODEL_ID: modelId, BEDROCK_REGION: (this.node.tryGetContext('bedrockRegion') as string | undefined) ?? stack.region };
    // Models see redacted text only: classify and draft get no restricted access at all.
    const classify = (this.classify = make('classify', 'Classifies the redacted enquiry into the hotline taxonomy', {}, bedrockEnv, {
      // Memory: cdk/lib/function-sizing.ts (sized so that training, if the layer's model were stale, still succeeds).
      timeout: Duration.seconds(30),
    }));
    const draft = make('draft', 'Drafts a knowledge-grounded reply for agent review', {}, bedrockEnv);
    for (const fn of [classify, draft]) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: [`arn:${stack.partition}:bedrock:${bedrockEnv.BEDROCK_REGION}::foundation-model/${modelId}`],
        }),
      );
    }

    // Reads the classified enquiry (GetItem) and writes incident items only (pk INCIDENT…): no enquiry writes.
    const groupIncident = new AssistFunction(this, 'group-incident', {
      handlerFolder: 'group-incident',
      key: data.key,
      description: 'Groups the classified enquiry into the incident of its topic, district and place',
    });
    data.grantEnquiryAccess(groupIncident, { enquiry: ['read'] });
    data.grantIncidentAccess(groupIncident, 'write');

    const queueSms = make('queue-sms', 'Queues the approved reply as an SMS to the caller', { contact: ['read'] }, { SMS_OUTBOX_URL: props.smsOutbox.queueUrl });
    props.smsOutbox.grantSendMessages(queueSms);
    // Closing starts the raw contact data's retention: record-outcome may set its expiry and nothing else there.
    const recordOutcome = make('record-outcome', 'Closes the enquiry and adds its outcome to the report counters', { contact: ['expire'] }, {
      REPORT_COUNTERS_TABLE_NAME: props.reportCounting.counters.tableName,
    });
    props.reportCounting.grantCounting(recordOutcome);

    this.functions = {
      startTranscription,
      redact: make('redact', 'Replaces personal data in the enquiry text with typed placeholders', { contact: ['read'] }),
      classify,
      groupIncident,
      draft,
      awaitReview: make('await-review', 'Parks a drafted enquiry for agent review with its task token', { taskToken: ['write'] }),
      queueSms,
      recordOutcome,
      needsManual: make('needs-manual', 'Hands a failed enquiry to agents with the reason', {}),
    };
  }

  /**
   * One Transcribe custom vocabulary per language from layers/knowledge/vocabularies (Hong Kong places,
   * department names, hotline terms). CloudFormation has no Transcribe vocabulary resource, so a custom
   * resource calls Create/Update/DeleteVocabulary.
   */
  private customVocabularies(): Record<string, string> {
    const stack = Stack.of(this);
    const names: Record<string, string> = {};
    for (const language of LANGUAGES) {
      const phrases = parseVocabulary(readFileSync(join(REPO_ROOT, 'layers', 'knowledge', 'vocabularies', `${language}.txt`), 'utf8'));
      const name = `${stack.stackName}-${language}`.toLowerCase();
      const call = (action: string) => ({
        service: 'Transcribe',
        action,
        parameters: { VocabularyName: name, LanguageCode: language, Phrases: phrases },
        physicalResourceId: PhysicalResourceId.of(name),
      });
      new AwsCustomResource(this, `Vocabulary-${language}`, {
        onCreate: call('CreateVocabulary'),
        onUpdate: call('UpdateVocabulary'),
        onDelete: { service: 'Transcribe', action: 'DeleteVocabulary', parameters: { VocabularyName: name } },
        policy: AwsCustomResourcePolicy.fromSdkCalls({
          resources: [`arn:${stack.partition}:transcribe:${stack.region}:${stack.account}:vocabulary/${name}`],
        }),
        installLatestAwsSdk: false,
      });
      names[language] = name;
    }
    return names;
  }

  /** Grants what needs the state machine, which is created after the steps. */
  connectWorkflow(stateMachine: IStateMachine): void {
    stateMachine.grantTaskResponse(this.transcriptionComplete);
  }
}
