import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssistStack } from '../../cdk/lib/assist-stack.ts';
import { FUNCTION_MEMORY_MB, memoryFor } from '../../cdk/lib/function-sizing.ts';

let template: Template;
let nagFindings: string[];

/** The context `cdk synth` runs with (cdk.json), so these tests see what the CLI synthesizes. */
const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

// Every synth writes its cloud assembly here, not into a cdk.out* folder of its own that nobody removes.
const assemblies = mkdtempSync(join(tmpdir(), 'assist-infra-'));
let synths = 0;

function synthWithNag(env: { account?: string; region: string }, extraContext: Record<string, unknown> = {}) {
  synths += 1;
  const app = new App({ outdir: join(assemblies, `cdk.out-${synths}`), context: { ...CDK_CONTEXT, ...extraContext } });
  const stack = new AssistStack(app, 'Assist1823Test', { env });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let report = '';
  try {
    app.synth();
  } catch (error) {
    report = String((error as Error).message);
  }
  return { stack, findings: report.split('\n').filter((line) => /AwsSolutions-|Acknowledge with/.test(line)) };
}

beforeAll(() => {
  // Real bundling with the local esbuild, as `cdk synth` does: proves every function bundles.
  const { stack, findings } = synthWithNag({ account: '123456789012', region: 'ap-east-1' });
  nagFindings = findings;
  template = Template.fromStack(stack);
});

afterAll(() => {
  rmSync(assemblies, { recursive: true, force: true });
});

type Resource = { Type: string; Properties?: Record<string, unknown> };
/** CDK's own singletons (S3 EventBridge notifications, console deployment, custom resources) are not ours to constrain. */
const isCdkInternal = (logicalId: string) => /^(BucketNotificationsHandler|CustomCDKBucketDeployment|AWS679f53fac002430cb0da5b7982bd2287)/.test(logicalId);
const resourcesOf = (type: string): Resource[] =>
  Object.entries(template.toJSON().Resources as Record<string, Resource>)
    .filter(([logicalId, r]) => r.Type === type && !isCdkInternal(logicalId))
    .map(([, r]) => r);

const VENDED_LOG_ACTIONS = new Set([
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

describe('AssistStack', () => {
  it('has no unacknowledged cdk-nag AwsSolutions findings', () => {
    expect(nagFindings).toEqual([]);
  });

  it('also has none when synthesized offline with no account, as `npx cdk synth` does without credentials', () => {
    const offline = synthWithNag({ region: 'us-east-1' }, { 'aws:cdk:bundling-stacks': [] });
    expect(offline.findings).toEqual([]);
  });

  it('encrypts every bucket holding caller data with the KMS key and denies non-TLS access', () => {
    const kmsBuckets = resourcesOf('AWS::S3::Bucket').filter((b) =>
      JSON.stringify(b.Properties?.['BucketEncryption']).includes('aws:kms'),
    );
    expect(kmsBuckets.length).toBeGreaterThanOrEqual(2); // voicemail, transcripts
    for (const bucket of resourcesOf('AWS::S3::Bucket')) {
      expect(bucket.Properties?.['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = resourcesOf('AWS::S3::BucketPolicy');
    expect(policies).toHaveLength(resourcesOf('AWS::S3::Bucket').length);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('keeps voicemail 90 days, versioned, with EventBridge notifications', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]) },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: Match.stringLikeRegexp('DataVoicemail') },
      NotificationConfiguration: { EventBridgeConfiguration: {} },
    });
  });

  it('stores enquiries on demand, with point-in-time recovery and the customer-managed key', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: Match.arrayWith([
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: Match.objectLike({ KMSMasterKeyId: Match.anyValue() }),
        }),
      ]),
    });
  });

  it('gives every work queue a KMS-encrypted DLQ that keeps messages 14 days', () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    const withRedrive = queues.filter((q) => q.Properties?.['RedrivePolicy']);
    expect(withRedrive.length).toBeGreaterThanOrEqual(1);
    for (const queue of withRedrive) expect(queue.Properties?.['RedrivePolicy']).toMatchObject({ maxReceiveCount: 5 });
    const dlqs = queues.filter((q) => q.Properties?.['MessageRetentionPeriod'] === 14 * 24 * 3600);
    expect(dlqs.length).toBe(withRedrive.length);
    for (const queue of queues) expect(queue.Properties?.['KmsMasterKeyId']).toBeDefined();
  });

  it('runs every function on Node.js 24, arm64, with tracing', () => {
    const functions = resourcesOf('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    }
  });

  it('gives every function the memory chosen for it from measurement (cdk/lib/function-sizing.ts)', () => {
    const functions = resourcesOf('AWS::Lambda::Function').filter((fn) => (fn.Properties?.['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables?.['POWERTOOLS_SERVICE_NAME']);
    const folders = functions.map((fn) => String((fn.Properties?.['Environment'] as { Variables: Record<string, unknown> }).Variables['POWERTOOLS_SERVICE_NAME']));
    expect(new Set(folders)).toEqual(new Set(Object.keys(FUNCTION_MEMORY_MB)));
    for (const [i, fn] of functions.entries()) expect(fn.Properties?.['MemorySize'], folders[i]).toBe(memoryFor(folders[i] ?? ''));
  });

  it('defines EnquiryWorkflow as a Standard state machine with logging, tracing and KMS', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      EncryptionConfiguration: Match.objectLike({ Type: 'CUSTOMER_MANAGED_KMS_KEY' }),
    });
  });

  it('grants no wildcard actions, and wildcard resources only where AWS scopes them by prefix', () => {
    for (const policy of resourcesOf('AWS::IAM::Policy')) {
      const statements = (policy.Properties?.['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
      for (const statement of statements) {
        for (const action of [statement.Action].flat()) {
          expect(action).not.toBe('*');
          expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
        }
        // AWS requires "*" for X-Ray trace segments and for Step Functions' vended log delivery setup.
        const requiresStar = [statement.Action].flat().every((a) => a.startsWith('xray:') || VENDED_LOG_ACTIONS.has(a));
        if (!requiresStar) expect(statement.Resource).not.toBe('*');
      }
    }
  });

  it('lets the intake function start executions and write to its DLQ, nothing broader', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: Match.stringLikeRegexp('EnquiryWorkflow') } }),
        ]),
      },
    });
  });
});

describe('review API and SMS', () => {
  it('puts the Cognito JWT authorizer on every route', () => {
    const routes = resourcesOf('AWS::ApiGatewayV2::Route');
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
  });

  it('requires MFA and defines the agent and supervisor groups', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    for (const group of ['agent', 'supervisor']) template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
  });

  it('lets only the review API resume the workflow, scoped to the state machine', () => {
    const statements = resourcesOf('AWS::IAM::Policy').flatMap(
      (p) => (p.Properties?.['PolicyDocument'] as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement,
    );
    const taskResponses = statements.filter((s) => [s.Action].flat().includes('states:SendTaskSuccess'));
    expect(taskResponses.length).toBe(2); // review-api and transcription-complete
    for (const statement of taskResponses) expect(JSON.stringify(statement.Resource)).toMatch(/EnquiryWorkflow/);
  });

  it('alarms when the sms-outbox DLQ holds anything', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('SmsOutboxDlq'), 'QueueName'] } }],
    });
  });
});

describe('reports', () => {
  it('runs the topic report daily and weekly (Mondays) at 08:00 Hong Kong time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 8 * * ? *)', ScheduleExpressionTimezone: 'Asia/Hong_Kong' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 8 ? * MON *)', ScheduleExpressionTimezone: 'Asia/Hong_Kong' });
  });

  it('publishes spikes on a KMS-encrypted topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: '1823 Assist topic spikes', KmsMasterKeyId: Match.anyValue() });
  });
});

describe('observability', () => {
  const alarmsOn = (metricName: string) =>
    resourcesOf('AWS::CloudWatch::Alarm').filter((a) => a.Properties?.['MetricName'] === metricName);

  it('alarms on every DLQ, failed and timed-out executions, review backlog age and SMS failures', () => {
    expect(alarmsOn('ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(alarmsOn('ExecutionsFailed')).toHaveLength(1);
    expect(alarmsOn('ExecutionsTimedOut')).toHaveLength(1);
    expect(alarmsOn('OldestAwaitingReviewMinutes')[0]?.Properties).toMatchObject({ Threshold: 240 });
    expect(alarmsOn('SmsFailed')).toHaveLength(1);
  });

  it('alarms on errors and throttles of every function of ours', () => {
    const functions = resourcesOf('AWS::Lambda::Function').length;
    expect(alarmsOn('Errors').length).toBeGreaterThanOrEqual(functions - 1); // all but the backlog monitor itself
    expect(alarmsOn('Throttles').length).toBe(alarmsOn('Errors').length);
    for (const alarm of resourcesOf('AWS::CloudWatch::Alarm')) expect(alarm.Properties?.['AlarmActions']).toHaveLength(1);
  });

  it('has one dashboard', () => {
    expect(resourcesOf('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});

describe('review console hosting', () => {
  it('serves the console from a private bucket only through CloudFront with origin access control', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        // The S3 origin for the console (the API's execute-api origin is the other one).
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })]),
        Logging: Match.objectLike({ Prefix: 'cdn/' }),
      }),
    });
    const sitePolicy = resourcesOf('AWS::S3::BucketPolicy').find((p) => JSON.stringify(p.Properties).includes('cloudfront.amazonaws.com'));
    expect(JSON.stringify(sitePolicy?.Properties)).toContain('AWS:SourceArn');
  });

  it('sends strict security headers with every console response', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ ContentSecurityPolicy: Match.stringLikeRegexp("default-src 'self'.*frame-ancestors 'none'") }),
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true }),
          FrameOptions: Match.objectLike({ FrameOption: 'DENY' }),
          ContentTypeOptions: Match.objectLike({ Override: true }),
          ReferrerPolicy: Match.objectLike({ ReferrerPolicy: 'no-referrer' }),
        }),
      }),
    });
  });

  it('lets the console sign in with the hosted UI using the authorization code flow (PKCE, no client secret)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      GenerateSecret: false,
      CallbackURLs: Match.arrayWith([Match.objectLike({ 'Fn::Join': Match.anyValue() })]),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'assist-1823-console' });
  });
});

describe('transcription', () => {
  it('creates a custom vocabulary per language and lets start-transcription use them', () => {
    const vocabularies = Object.values(template.toJSON().Resources as Record<string, Resource>).filter((r) => r.Type === 'Custom::AWS');
    const created = vocabularies.map((r) => JSON.stringify(r.Properties?.['Create']));
    for (const language of ['zh-HK', 'en-US', 'zh-CN']) expect(created.some((c) => c.includes(`\\"LanguageCode\\":\\"${language}\\"`))).toBe(true);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TRANSCRIBE_VOCABULARY_ZH_HK: 'assist1823test-zh-hk' }) },
    });
  });

  it('resumes the workflow on Transcribe job state changes of this system\'s jobs only', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.transcribe'],
        'detail-type': ['Transcribe Job State Change'],
        detail: { TranscriptionJobName: [{ prefix: 'enq-' }], TranscriptionJobStatus: ['COMPLETED', 'FAILED'] },
      },
    });
  });
});

describe('console sign-in redirect', () => {
  it('maps /callback to callback/index.html at the edge so the hosted UI can return to the console', () => {
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: Match.stringLikeRegexp("/callback/index.html"),
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });
});

describe('retraining from agent corrections', () => {
  type Statement = { Action: string | string[]; Resource: unknown };
  /** Statements of the policies attached to the role whose logical id matches. */
  const statementsOf = (role: RegExp): Statement[] =>
    resourcesOf('AWS::IAM::Policy')
      .filter((p) => JSON.stringify(p.Properties?.['Roles']).match(role))
      .flatMap((p) => (p.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement);
  const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

  it('runs the retrain function weekly, Sundays at 03:00 Hong Kong time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 3 ? * SUN *)',
      ScheduleExpressionTimezone: 'Asia/Hong_Kong',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RetrainingRetrainFunction'), 'Arn'] }, Input: '{"schedule":"weekly"}' }),
    });
  });

  it('keeps labelled examples and model versions in a KMS-encrypted bucket; examples expire after two years, models are kept', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'examples/', ExpirationInDays: 730 })]) },
    });
  });

  it('lets retrain query only the status index and write only under the examples and models prefixes', () => {
    const statements = statementsOf(/RetrainingRetrainFunctionRole/);
    const dynamo = actionsOf(statements).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo).toEqual(['dynamodb:Query']);
    expect(JSON.stringify(statements.find((s) => s.Action === 'dynamodb:Query')?.Resource)).toContain('/index/gsi1');
    const puts = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:PutObject')));
    const putResources = puts.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r));
    expect(putResources).toHaveLength(2);
    expect(putResources.filter((r) => r.includes('"/examples/topic/*"'))).toHaveLength(1);
    expect(putResources.filter((r) => r.includes('"/models/topic/*"'))).toHaveLength(1);
    expect(actionsOf(statements)).not.toContain('s3:DeleteObject*');
    expect(actionsOf(statements).some((a) => a.startsWith('bedrock:'))).toBe(false);
  });

  it('lets classify read the models prefix only (it loads the promoted version at init) and write nothing there', () => {
    const statements = statementsOf(/StepsclassifyRole/);
    const s3 = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
    expect(s3.length).toBeGreaterThan(0);
    for (const statement of s3) {
      expect(actionsOf([statement]).some((a) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toBe(false);
      const resources = JSON.stringify(statement.Resource);
      if (resources.includes('/')) expect(resources).toContain('/models/topic/*');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'classify', MODELS_BUCKET: Match.anyValue() }) },
    });
  });
});
