/**
 * What has to hold for the services to reach each other once deployed: who may publish where, which key
 * policy admits whom, what Cognito accepts. Every test runs on the synthesized template, as a reviewer
 * reading it would.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { logoutUriFor, redirectUriFor } from '../../shared/vocabulary/console-sign-in.ts';
import { KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, logGroupPrefix } from '../../cdk/lib/keys.ts';
import { loadConfig } from '../../shared/config.ts';
import { DEFAULT_QUIET_HOURS } from '../../shared/domain/sms/policy.ts';
import {
  ACCOUNT,
  REGION,
  actionsOf,
  allows,
  logicalIdIn,
  roleOfFunction,
  roleStatements,
  servicePrincipalsOf,
  statementsOf,
  synthesize,
  type Json,
  type Resource,
  type Statement,
  type Synthesized,
} from './template-helpers.ts';

let dev: Synthesized;
let production: Synthesized;
const SMS_IDENTITY = `arn:aws:sms-voice:${REGION}:${ACCOUNT}:phone-number/phone-0123456789abcdef`;

beforeAll(() => {
  dev = synthesize();
  production = synthesize({ stage: 'production', smsOriginationIdentityArn: SMS_IDENTITY });
});

const ofType = (resources: Record<string, Resource>, type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const keyPolicy = (resources: Record<string, Resource>, keyId: string): Statement[] => statementsOf(resources[keyId]?.Properties?.['KeyPolicy']);

/** Resource-policy statements of a topic or queue (a policy resource may cover several). */
function resourcePolicy(resources: Record<string, Resource>, type: 'AWS::SNS::TopicPolicy' | 'AWS::SQS::QueuePolicy', id: string): Statement[] {
  const listKey = type === 'AWS::SNS::TopicPolicy' ? 'Topics' : 'Queues';
  return ofType(resources, type)
    .filter(([, r]) => ((r.Properties?.[listKey] as Json[] | undefined) ?? []).some((ref) => logicalIdIn(ref) === id))
    .flatMap(([, r]) => statementsOf(r.Properties?.['PolicyDocument']));
}

const PUBLISH: Record<string, string> = { 'AWS::SNS::Topic': 'sns:Publish', 'AWS::SQS::Queue': 'sqs:SendMessage' };

/** Key policy statements that let `service` use the key as a publisher to an encrypted topic or queue needs. */
function admitsServicePublisher(statements: Statement[], service: string): boolean {
  const granted = statements.filter((s) => s.Effect === 'Allow' && servicePrincipalsOf(s).includes(service)).flatMap(actionsOf);
  return allows(granted, 'kms:GenerateDataKey') && allows(granted, 'kms:Decrypt');
}

describe('publishers of encrypted topics and queues', () => {
  for (const variant of ['development', 'production'] as const) {
    it(`every service allowed to publish to an encrypted topic or queue can use its key (${variant})`, () => {
      const { resources } = variant === 'development' ? dev : production;
      let checked = 0;
      for (const [id, resource] of [...ofType(resources, 'AWS::SNS::Topic'), ...ofType(resources, 'AWS::SQS::Queue')]) {
        const keyId = logicalIdIn(resource.Properties?.['KmsMasterKeyId']);
        expect(keyId, `${id} is encrypted with a key of this stack`).toBeDefined();
        const policyType = resource.Type === 'AWS::SNS::Topic' ? 'AWS::SNS::TopicPolicy' : 'AWS::SQS::QueuePolicy';
        const services = resourcePolicy(resources, policyType, id)
          .filter((s) => s.Effect === 'Allow' && allows(actionsOf(s), PUBLISH[resource.Type]!))
          .flatMap(servicePrincipalsOf);
        for (const service of services) {
          expect(admitsServicePublisher(keyPolicy(resources, keyId!), service), `${service} may publish to ${id} but not use ${keyId}`).toBe(true);
          checked += 1;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(2); // CloudWatch alarms, two-way SMS
    });
  }

  it('every role allowed to publish to an encrypted topic or queue also has the key grant, used through that service', () => {
    const { resources } = dev;
    const statements = roleStatements(resources);
    let checked = 0;
    for (const [id, resource] of [...ofType(resources, 'AWS::SNS::Topic'), ...ofType(resources, 'AWS::SQS::Queue')]) {
      const keyId = logicalIdIn(resource.Properties?.['KmsMasterKeyId'])!;
      const publishers = statements.filter(
        ({ statement }) => allows(actionsOf(statement), PUBLISH[resource.Type]!) && JSON.stringify(statement.Resource).includes(`"${id}"`),
      );
      for (const { roles } of publishers) {
        for (const role of roles) {
          const keyActions = statements
            .filter((s) => s.roles.includes(role) && JSON.stringify(s.statement.Resource).includes(`"${keyId}"`))
            .flatMap((s) => actionsOf(s.statement));
          expect(allows(keyActions, 'kms:GenerateDataKey'), `${role} publishes to ${id} without a grant on ${keyId}`).toBe(true);
          checked += 1;
        }
      }
      const service = resource.Type === 'AWS::SNS::Topic' ? 'sns' : 'sqs';
      const use = keyPolicy(resources, keyId).find((s) => s.Sid === 'KeyUseThroughServices');
      expect(use?.Condition?.['StringEquals']?.['kms:ViaService']).toContain(`${service}.${REGION}.amazonaws.com`);
    }
    expect(checked).toBeGreaterThanOrEqual(3); // topic-report → spikes, queue-sms → outbox, intake → its DLQ
  });

  it('lets CloudWatch publish every alarm action: topic policy and key policy, for this account\'s alarms only', () => {
    const { resources } = dev;
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(30);
    const topics = new Set(alarms.flatMap(([, alarm]) => (alarm.Properties?.['AlarmActions'] as Json[]).map((action) => logicalIdIn(action)!)));
    expect(topics.size).toBe(1);
    for (const topicId of topics) {
      const topic = resources[topicId]!;
      expect(topic.Type).toBe('AWS::SNS::Topic');
      const publish = resourcePolicy(resources, 'AWS::SNS::TopicPolicy', topicId).find(
        (s) => s.Effect === 'Allow' && servicePrincipalsOf(s).includes('cloudwatch.amazonaws.com') && allows(actionsOf(s), 'sns:Publish'),
      );
      expect(publish?.Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` },
      });
      const keyId = logicalIdIn(topic.Properties?.['KmsMasterKeyId'])!;
      expect(admitsServicePublisher(keyPolicy(resources, keyId), 'cloudwatch.amazonaws.com')).toBe(true);
      // The alarms' key protects notifications only: CloudWatch is not admitted to the data key.
      const dataKey = logicalIdIn(resources[ofType(resources, 'AWS::SQS::Queue')[0]![0]]!.Properties?.['KmsMasterKeyId'])!;
      expect(keyId).not.toBe(dataKey);
      expect(keyPolicy(resources, dataKey).some((s) => servicePrincipalsOf(s).includes('cloudwatch.amazonaws.com'))).toBe(false);
    }
  });

  it('lets AWS End User Messaging SMS deliver two-way SMS (STOP/停止) to the inbound topic and its key', () => {
    const { resources } = dev;
    const [topicId, topic] = ofType(resources, 'AWS::SNS::Topic').find(([, t]) => t.Properties?.['DisplayName'] === '1823 Assist inbound SMS')!;
    const publish = resourcePolicy(resources, 'AWS::SNS::TopicPolicy', topicId).find((s) => s.Effect === 'Allow' && servicePrincipalsOf(s).includes('sms-voice.amazonaws.com'));
    expect(publish?.Condition?.['StringEquals']).toEqual({ 'aws:SourceAccount': ACCOUNT });
    expect(admitsServicePublisher(keyPolicy(resources, logicalIdIn(topic.Properties?.['KmsMasterKeyId'])!), 'sms-voice.amazonaws.com')).toBe(true);
  });
});

describe('key policies', () => {
  it('separates key administrators from key users: administration grants no cryptographic use', () => {
    const { resources } = dev;
    const keys = ofType(resources, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const [id] of keys) {
      const statements = keyPolicy(resources, id);
      for (const statement of statements) {
        const actions = actionsOf(statement);
        expect(actions, `${id}: no kms:* anywhere`).not.toContain('kms:*');
        const administers = actions.some((a) => KEY_ADMIN_ACTIONS.includes(a) && a !== 'kms:Describe*');
        const uses = ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom'].some((a) => allows(actions, a));
        expect(administers && uses, `${id}: ${statement.Sid ?? JSON.stringify(statement.Principal)} both administers and uses the key`).toBe(false);
      }
      const admin = statements.find((s) => s.Sid === 'KeyAdministration');
      expect(actionsOf(admin!).sort()).toEqual([...KEY_ADMIN_ACTIONS].sort());
      // A grant can delegate Decrypt: only AWS services may create them, for their own resources.
      for (const statement of statements.filter((s) => allows(actionsOf(s), 'kms:CreateGrant'))) {
        expect(statement.Sid, `${id}: kms:CreateGrant outside KeyGrantsForAwsResources`).toBe('KeyGrantsForAwsResources');
        expect(statement.Condition?.['Bool']).toEqual({ 'kms:GrantIsForAWSResource': true });
        expect(statement.Condition?.['StringEquals']?.['kms:ViaService']).toEqual(expect.any(Array));
      }
      if (resources[id]!.Properties?.['KeySpec'] === 'HMAC_256') {
        // The caller-hash key is used directly (GenerateMac), never through a service: MACs only, for this account's principals IAM grants it.
        expect(statements.filter((s) => s.Sid !== 'KeyAdministration').map((s) => [s.Sid, actionsOf(s), s.Condition])).toEqual([
          ['KeyUseForMacs', ['kms:GenerateMac'], { StringEquals: { 'kms:CallerAccount': ACCOUNT } }],
        ]);
        continue;
      }
      // The account's principals use the key only through AWS services, and only where IAM grants it them.
      const use = statements.find((s) => s.Sid === 'KeyUseThroughServices');
      expect(actionsOf(use!).sort()).toEqual([...KEY_USE_ACTIONS].sort());
      expect(use!.Condition?.['StringEquals']).toMatchObject({ 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': expect.any(Array) });
      // Every service principal acts for this account only.
      for (const statement of statements.filter((s) => servicePrincipalsOf(s).length > 0)) {
        const conditions = JSON.stringify(statement.Condition ?? {});
        expect(conditions.includes(`"aws:SourceAccount":"${ACCOUNT}"`) || conditions.includes('kms:EncryptionContext:aws:logs:arn'), `${id}: ${servicePrincipalsOf(statement).join()}`).toBe(true);
      }
    }
  });

  it('lets CloudWatch Logs use the data key for this stack\'s log groups only, and every encrypted log group is one of them', () => {
    const { resources, stack } = dev;
    const prefix = logGroupPrefix(stack);
    const keyIds = new Set<string>();
    for (const [id, group] of ofType(resources, 'AWS::Logs::LogGroup')) {
      const keyId = logicalIdIn(group.Properties?.['KmsKeyId']);
      if (!keyId) continue;
      keyIds.add(keyId);
      expect(String(group.Properties?.['LogGroupName']), id).toMatch(new RegExp(`^${prefix}`));
    }
    expect(keyIds.size).toBe(1);
    const logs = keyPolicy(resources, [...keyIds][0]!).filter((s) => servicePrincipalsOf(s).includes(`logs.${REGION}.amazonaws.com`));
    expect(logs).toHaveLength(1);
    expect(logs[0]!.Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${prefix}*` } });
  });

  it('limits vended log delivery (Step Functions logging) to this account', () => {
    const { resources } = dev;
    const delivery = ofType(resources, 'AWS::KMS::Key')
      .flatMap(([id]) => keyPolicy(resources, id))
      .filter((s) => servicePrincipalsOf(s).includes('delivery.logs.amazonaws.com'));
    expect(delivery.length).toBeGreaterThanOrEqual(1);
    for (const statement of delivery) {
      expect(statement.Condition).toMatchObject({
        StringEquals: { 'aws:SourceAccount': ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:logs:${REGION}:${ACCOUNT}:*` },
      });
    }
  });

  it('names the state machine, so its KMS permission names exactly its own ARN', () => {
    const { resources } = dev;
    const [[machineId, machine]] = ofType(resources, 'AWS::StepFunctions::StateMachine') as [[string, Resource]];
    const name = machine.Properties?.['StateMachineName'];
    expect(name).toBe('Assist1823Test-EnquiryWorkflow');
    const role = logicalIdIn(machine.Properties?.['RoleArn'])!;
    const contexts = roleStatements(resources)
      .filter((s) => s.roles.includes(role))
      .map((s) => s.statement.Condition?.['StringEquals']?.['kms:EncryptionContext:aws:states:stateMachineArn'])
      .filter(Boolean);
    expect(contexts).toEqual([`arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${String(name)}`]);
    expect(machineId).toMatch(/EnquiryWorkflow/);
  });
});

describe('sign-in and sign-out (Cognito app client)', () => {
  const appClient = (resources: Record<string, Resource>) => ofType(resources, 'AWS::Cognito::UserPoolClient')[0]![1].Properties!;

  it('registers exactly the sign-out URL the console sends (<origin>/) and the callback it uses (<origin>/callback)', () => {
    for (const { stack, resources } of [dev, production]) {
      const client = appClient(resources);
      expect(client['LogoutURLs']).toEqual([stack.resolve(logoutUriFor(stack.consoleUrl))]);
      expect(client['CallbackURLs']).toEqual([stack.resolve(redirectUriFor(stack.consoleUrl))]);
    }
  });

  it('lets sign-out revoke the refresh token', () => {
    expect(appClient(dev.resources)['EnableTokenRevocation']).toBe(true);
  });

  it('trusts no localhost origin or callback in a production synth; only a development deployment that asks for it', () => {
    expect(JSON.stringify(production.resources)).not.toMatch(/localhost|127\.0\.0\.1/);
    expect(JSON.stringify(dev.resources)).not.toMatch(/localhost/);
    const local = synthesize({ allowLocalConsole: true });
    const client = appClient(local.resources);
    expect(client['CallbackURLs']).toContain('http://localhost:3000/callback');
    expect(client['LogoutURLs']).toContain('http://localhost:3000/');
    expect(() => synthesize({ stage: 'production', smsOriginationIdentityArn: SMS_IDENTITY, allowLocalConsole: true })).toThrow(/development deployments only/);
  });
});

describe('deployment parameters', () => {
  it('fails synthesis when a production deployment gives no SMS sender identity', () => {
    expect(() => synthesize({ stage: 'production' })).toThrow(/smsOriginationIdentityArn/);
    expect(() => synthesize({ stage: 'production', smsOriginationIdentityArn: 'not-an-arn' })).toThrow(/smsOriginationIdentityArn/);
  });

  it('passes the SMS quiet hours to send-sms as a window its own config accepts, and refuses one SQS cannot wait out', () => {
    const quietHoursOf = ({ resources }: Synthesized) =>
      Object.values(resources)
        .map((r) => (r.Properties?.['Environment'] as { Variables?: Record<string, Json> } | undefined)?.Variables)
        .filter((variables) => variables?.['POWERTOOLS_SERVICE_NAME'] === 'send-sms')
        .map((variables) => variables?.['SMS_QUIET_HOURS']);
    expect(quietHoursOf(dev)).toEqual([DEFAULT_QUIET_HOURS]);
    expect(loadConfig({ SMS_QUIET_HOURS: DEFAULT_QUIET_HOURS }).SMS_QUIET_HOURS).toBeDefined();
    expect(() => synthesize({ smsQuietHours: '20:00-09:00' })).toThrow(/context smsQuietHours must be at most 12 hours long/);
  });

  it('scopes SMS sending to the given sender identity in production', () => {
    const sends = roleStatements(production.resources).filter((s) => actionsOf(s.statement).includes('sms-voice:SendTextMessage'));
    expect(sends.map((s) => s.statement.Resource)).toEqual([SMS_IDENTITY]);
  });
});

describe('raw contact data and task tokens (restricted table, own key)', () => {
  const restrictedTable = (resources: Record<string, Resource>) =>
    ofType(resources, 'AWS::DynamoDB::GlobalTable').find(([, t]) => JSON.stringify(t.Properties?.['KeySchema']) === JSON.stringify([{ AttributeName: 'pk', KeyType: 'HASH' }]))!;
  const enquiryTable = (resources: Record<string, Resource>) =>
    ofType(resources, 'AWS::DynamoDB::GlobalTable').find(([, t]) => JSON.stringify(t.Properties?.['GlobalSecondaryIndexes'] ?? []).includes('gsi1'))!;

  /** What a function's role may do to `CONTACT#` and `TASK#` items, and with the restricted key. */
  function restrictedAccess(resources: Record<string, Resource>, folder: string) {
    const [tableId] = restrictedTable(resources);
    const keyId = logicalIdIn((restrictedTable(resources)[1].Properties?.['Replicas'] as { SSESpecification?: { KMSMasterKeyId?: Json } }[])[0]?.SSESpecification?.KMSMasterKeyId);
    const role = roleOfFunction(resources, folder);
    const mine = roleStatements(resources).filter((s) => s.roles.includes(role) && s.statement.Effect === 'Allow');
    const onTable = mine.filter((s) => JSON.stringify(s.statement.Resource).includes(`"${tableId}"`));
    const byPrefix = (prefix: string) =>
      onTable.filter((s) => JSON.stringify(s.statement.Condition).includes(`"${prefix}*"`)).flatMap((s) => actionsOf(s.statement)).sort();
    for (const s of onTable) {
      // Every grant on the restricted table names the kind of item it is for.
      expect(s.statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'], `${folder}: unscoped grant on the restricted table`).toBeDefined();
    }
    return {
      contact: byPrefix('CONTACT#'),
      taskToken: byPrefix('TASK#'),
      key: mine.filter((s) => JSON.stringify(s.statement.Resource).includes(`"${keyId}"`)).flatMap((s) => actionsOf(s.statement)),
    };
  }

  it('keeps CONTACT items and task tokens out of the Enquiry table: their own table and key, used only through DynamoDB', () => {
    const { resources } = dev;
    const [, table] = restrictedTable(resources);
    const [, enquiries] = enquiryTable(resources);
    const keyOf = (t: Resource) => logicalIdIn((t.Properties?.['Replicas'] as { SSESpecification?: { KMSMasterKeyId?: Json } }[])[0]?.SSESpecification?.KMSMasterKeyId);
    expect(keyOf(table)).toBeDefined();
    expect(keyOf(table)).not.toBe(keyOf(enquiries));
    const use = keyPolicy(resources, keyOf(table)!).find((s) => s.Sid === 'KeyUseThroughServices');
    expect(use?.Condition?.['StringEquals']?.['kms:ViaService']).toEqual([`dynamodb.${REGION}.amazonaws.com`]);
  });

  it('grants no raw contact data nor task tokens to classify or draft (models see redacted text only)', () => {
    for (const folder of ['classify', 'draft', 'needs-manual', 'backlog-monitor', 'topic-report', 'sms-inbound']) {
      expect(restrictedAccess(dev.resources, folder), folder).toEqual({ contact: [], taskToken: [], key: [] });
    }
  });

  it('grants each function only the restricted items and actions it needs', () => {
    const expected: Record<string, { contact: string[]; taskToken: string[] }> = {
      intake: { contact: ['dynamodb:PutItem'], taskToken: [] },
      redact: { contact: ['dynamodb:GetItem'], taskToken: [] },
      'start-transcription': { contact: ['dynamodb:GetItem'], taskToken: ['dynamodb:PutItem'] },
      'transcription-complete': { contact: ['dynamodb:UpdateItem'], taskToken: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
      'await-review': { contact: [], taskToken: ['dynamodb:PutItem'] },
      'queue-sms': { contact: ['dynamodb:GetItem'], taskToken: [] },
      // Settling starts the raw contact data's retention (UpdateItem of `expiresAt` only: test/infra/privacy-lifecycle.test.ts).
      'send-sms': { contact: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], taskToken: [] },
      'record-outcome': { contact: ['dynamodb:UpdateItem'], taskToken: [] },
      'review-api': { contact: ['dynamodb:GetItem'], taskToken: ['dynamodb:GetItem', 'dynamodb:PutItem'] },
      // Export reads raw contact data; erasure replaces it with a tombstone (PutItem); never task tokens.
      'privacy-api': { contact: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], taskToken: [] },
    };
    for (const [folder, access] of Object.entries(expected)) {
      const { contact, taskToken, key } = restrictedAccess(dev.resources, folder);
      expect({ contact, taskToken }, folder).toEqual(access);
      expect(allows(key, 'kms:Decrypt'), folder).toBe(true);
    }
    // Only the task-token readers can resume the workflow.
    const resumers = roleStatements(dev.resources).filter((s) => actionsOf(s.statement).includes('states:SendTaskSuccess')).flatMap((s) => s.roles);
    expect(resumers.sort()).toEqual([roleOfFunction(dev.resources, 'review-api'), roleOfFunction(dev.resources, 'transcription-complete')].sort());
  });

  it('grants no Scan, DeleteItem or BatchWriteItem on enquiries or restricted data', () => {
    const tables = [enquiryTable(dev.resources)[0], restrictedTable(dev.resources)[0]];
    const forbidden = ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem'];
    for (const { statement, roles } of roleStatements(dev.resources)) {
      if (!tables.some((id) => JSON.stringify(statement.Resource).includes(`"${id}"`))) continue;
      for (const action of forbidden) expect(allows(actionsOf(statement), action), `${roles.join()} ${action}`).toBe(false);
    }
  });
});

describe('edge and abuse controls', () => {
  const distribution = (resources: Record<string, Resource>) =>
    ofType(resources, 'AWS::CloudFront::Distribution')[0]![1].Properties!['DistributionConfig'] as Record<string, Json>;

  it('serves the API through the console\'s distribution: nothing cached, HTTPS only, TLS 1.2 to the origin, no CORS', () => {
    const config = distribution(production.resources);
    const behaviours = config['CacheBehaviors'] as Record<string, Json>[];
    expect(behaviours.map((b) => b['PathPattern']).sort()).toEqual(['/enquiries*', '/incidents*', '/openapi.json*', '/privacy*', '/reports*', '/taxonomy*']);
    const origins = config['Origins'] as Record<string, Json>[];
    for (const behaviour of behaviours) {
      expect(behaviour).toMatchObject({
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        AllowedMethods: expect.arrayContaining(['POST']),
      });
      const origin = origins.find((o) => o['Id'] === behaviour['TargetOriginId'])!;
      expect(JSON.stringify(origin['DomainName'])).toContain('.execute-api.');
      expect(origin['CustomOriginConfig']).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    }
    const [, api] = ofType(production.resources, 'AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties?.['CorsConfiguration']).toBeUndefined();
  });

  it('sends a CSP whose connect-src names exactly this origin and the Cognito hosted UI host', () => {
    const [, policy] = ofType(dev.resources, 'AWS::CloudFront::ResponseHeadersPolicy')[0]!;
    const csp = JSON.stringify((policy.Properties?.['ResponseHeadersPolicyConfig'] as Record<string, Json>)['SecurityHeadersConfig']);
    expect(csp).toContain(`connect-src 'self' https://assist-1823-console.auth.${REGION}.amazoncognito.com https://cognito-idp.${REGION}.amazonaws.com;`);
    expect(csp).not.toContain('*');
  });

  it('enforces TLS 1.2+ with a custom domain and certificate given at deploy', () => {
    const withDomain = synthesize({ consoleDomainName: 'assist.1823.example', consoleCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/abc-123` });
    expect(distribution(withDomain.resources)).toMatchObject({
      Aliases: ['assist.1823.example'],
      ViewerCertificate: { AcmCertificateArn: `arn:aws:acm:us-east-1:${ACCOUNT}:certificate/abc-123`, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    expect(appClientUrls(withDomain.resources)).toEqual({ logout: ['https://assist.1823.example/'], callback: ['https://assist.1823.example/callback'] });
    expect(() => synthesize({ consoleDomainName: 'assist.1823.example', consoleCertificateArn: `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/abc` })).toThrow(/us-east-1/);
  });

  it('puts the staff user pool behind a regional WAF: rate limit per address and AWS managed rules', () => {
    const { resources } = dev;
    const [, association] = ofType(resources, 'AWS::WAFv2::WebACLAssociation')[0]!;
    expect(logicalIdIn(association.Properties?.['ResourceArn'])).toBe(ofType(resources, 'AWS::Cognito::UserPool')[0]![0]);
    const acl = resources[logicalIdIn(association.Properties?.['WebACLArn'])!]!;
    expectProtectiveRules(acl, 'REGIONAL');
  });

  it('alarms on bursts of 401/403 from the API and on Cognito risk detections, to the operations topic', () => {
    const { resources } = dev;
    const [, filter] = ofType(resources, 'AWS::Logs::MetricFilter')[0]!;
    expect(filter.Properties?.['FilterPattern']).toBe('{ ($.status = "401") || ($.status = "403") }');
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
    expect(alarms.find((a) => a['MetricName'] === 'ApiRefused')).toMatchObject({ Threshold: 50, Statistic: 'Sum', Period: 300 });
    const risk = alarms.filter((a) => JSON.stringify(a['Metrics'] ?? '').includes('AWS/Cognito'));
    expect(risk.map((a) => JSON.stringify(a['Metrics']).match(/SUM\((\w+)\)/)?.[1]).sort()).toEqual(['AccountTakeoverRisk', 'CompromisedCredentialRisk']);
    for (const alarm of risk) expect(alarm['Threshold']).toBe(0);
  });

  it('composes the console\'s CloudFront WAF from us-east-1 as cdk/bin/app.ts does', async () => {
    const { App } = await import('aws-cdk-lib');
    const { EdgeProtectionStack } = await import('../../cdk/lib/web-acl.ts');
    const { AssistStack } = await import('../../cdk/lib/assist-stack.ts');
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const edge = new EdgeProtectionStack(app, 'Edge', { env: { account: ACCOUNT, region: 'us-east-1' }, crossRegionReferences: true });
    const main = new AssistStack(app, 'Main', { env: { account: ACCOUNT, region: REGION }, crossRegionReferences: true, consoleWebAclArn: edge.webAclArn });
    const assembly = app.synth();
    const edgeResources = assembly.getStackByName(edge.stackName).template.Resources as Record<string, Resource>;
    expectProtectiveRules(ofType(edgeResources, 'AWS::WAFv2::WebACL')[0]![1], 'CLOUDFRONT');
    const mainResources = assembly.getStackByName(main.stackName).template.Resources as Record<string, Resource>;
    expect(JSON.stringify(distribution(mainResources)['WebACLId'])).toMatch(/ExportsReader/);
  });
});

function appClientUrls(resources: Record<string, Resource>) {
  const client = Object.values(resources).find((r) => r.Type === 'AWS::Cognito::UserPoolClient')!.Properties!;
  return { logout: client['LogoutURLs'], callback: client['CallbackURLs'] };
}

function expectProtectiveRules(acl: Resource, scope: 'CLOUDFRONT' | 'REGIONAL') {
  expect(acl.Properties?.['Scope']).toBe(scope);
  const rules = acl.Properties?.['Rules'] as { Statement: Record<string, Record<string, Json>> }[];
  expect(rules.some((r) => r.Statement['RateBasedStatement']?.['AggregateKeyType'] === 'IP')).toBe(true);
  expect(rules.map((r) => r.Statement['ManagedRuleGroupStatement']?.['Name']).filter(Boolean)).toEqual(
    expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList']),
  );
}
