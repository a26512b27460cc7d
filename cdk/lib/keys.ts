import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal, type AddToResourcePolicyResult } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage, type IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * Managing a key without being able to use it: the CDK/KMS "key administrator" set, except that
 * `kms:CreateGrant` (a grant can delegate Decrypt) is allowed only for grants AWS services make for their
 * resources (see KeyGrantsForAwsResources).
 */
export const KEY_ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/** Using a key for envelope encryption (what CDK's table, bucket, queue and topic grants ask for). */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** What a service principal needs to put a message on an encrypted SNS topic (SNS developer guide). */
export const PUBLISH_TO_ENCRYPTED_TOPIC_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

/** Where every log group of the stack lives: the data key lets CloudWatch Logs use it for these names only. */
export const logGroupPrefix = (stack: Stack): string => `/assist-1823/${stack.stackName}/`;

/** The AWS services (by endpoint prefix) through which this account's IAM principals may use a key. */
export type KeyService = 'dynamodb' | 's3' | 'sqs' | 'sns' | 'lambda' | 'states' | 'logs' | 'transcribe';

export interface AssistKeyProps {
  description: string;
  /**
   * Principals of this account whose IAM policies grant them the key may use it only through these services
   * (kms:ViaService), never by calling KMS directly; administrators have no cryptographic actions at all.
   */
  usedThrough: KeyService[];
}

/**
 * A customer-managed key whose policy separates administration from use:
 *  - `KeyAdministration`: the account (i.e. IAM policies, e.g. the deployment role and the security team's
 *    key-admin role) may manage the key: describe, rotate, tag, schedule deletion; it grants no Encrypt/Decrypt.
 *  - `KeyUseThroughServices`: principals of this account may use the key only through the listed services
 *    and only where their own IAM policy grants it (CDK grants name each function's role and this key);
 *    `KeyGrantsForAwsResources`: grants only as those services make them for their own resources.
 *  - service principals (CloudWatch Logs, CloudWatch alarms, SMS, vended log delivery) are admitted by
 *    statements that name the source account and, where AWS supports it, the source ARN.
 * Any statement CDK adds for vended log delivery (Step Functions logging) gets the source-account condition.
 */
export class AssistKey extends Key {
  constructor(scope: Construct, id: string, props: AssistKeyProps) {
    const stack = Stack.of(scope);
    const account = new AccountRootPrincipal();
    super(scope, id, {
      description: props.description,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ sid: 'KeyAdministration', principals: [account], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
          new PolicyStatement({
            // DynamoDB, Lambda and others create grants on the key for the resources they encrypt.
            sid: 'KeyGrantsForAwsResources',
            principals: [account],
            actions: ['kms:CreateGrant'],
            resources: ['*'],
            conditions: {
              Bool: { 'kms:GrantIsForAWSResource': true },
              StringEquals: {
                'kms:CallerAccount': stack.account,
                'kms:ViaService': props.usedThrough.map((service) => `${service}.${stack.region}.amazonaws.com`),
              },
            },
          }),
          new PolicyStatement({
            sid: 'KeyUseThroughServices',
            principals: [account],
            actions: KEY_USE_ACTIONS,
            resources: ['*'], // in a key policy "*" means this key
            conditions: {
              StringEquals: {
                'kms:CallerAccount': stack.account,
                'kms:ViaService': props.usedThrough.map((service) => `${service}.${stack.region}.amazonaws.com`),
              },
            },
          }),
        ],
      }),
    });
  }

  /** Lets CloudWatch Logs encrypt and read the stack's own log groups (by name prefix) with this key, no others. */
  admitLogGroups(): void {
    const stack = Stack.of(this);
    this.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchLogsForThisStacksLogGroups',
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupPrefix(stack)}*` },
        },
      }),
    );
  }

  /**
   * Vended log delivery (CDK adds an unconditioned `delivery.logs.amazonaws.com` statement for Step Functions
   * logging with a customer-managed key) is limited to deliveries on behalf of this account.
   */
  override addToResourcePolicy(statement: PolicyStatement, allowNoOp?: boolean): AddToResourcePolicyResult {
    const vendedLogs = statement.principals.some((p) => p instanceof ServicePrincipal && p.service === 'delivery.logs.amazonaws.com');
    if (vendedLogs && !JSON.stringify(statement.conditions).includes('aws:SourceAccount')) {
      const stack = Stack.of(this);
      statement.addCondition('StringEquals', { 'aws:SourceAccount': stack.account });
      statement.addCondition('ArnLike', { 'aws:SourceArn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` });
    }
    return super.addToResourcePolicy(statement, allowNoOp);
  }
}

/** What hashing a caller's number needs: the MAC itself, never the key material (it cannot leave KMS). */
export const MAC_KEY_USE_ACTIONS = ['kms:GenerateMac'];

/**
 * The HMAC_256 key that hashes callers' numbers (caller index, opt-outs). Same separation as AssistKey:
 * administration without use; use (`kms:GenerateMac` only: nobody needs VerifyMac, a hash is compared by
 * recomputing it) by this account's principals whose IAM policy grants it. Called directly by functions, so
 * no kms:ViaService; no CreateGrant at all. HMAC keys cannot rotate (and rotating would orphan the index).
 */
export class CallerHashKey extends Key {
  constructor(scope: Construct, id: string) {
    const stack = Stack.of(scope);
    const account = new AccountRootPrincipal();
    super(scope, id, {
      description: '1823 Assist: keyed hash (HMAC) of callers\' numbers for the caller index and opt-outs',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ sid: 'KeyAdministration', principals: [account], actions: KEY_ADMIN_ACTIONS, resources: ['*'] }),
          new PolicyStatement({
            sid: 'KeyUseForMacs',
            principals: [account],
            actions: MAC_KEY_USE_ACTIONS,
            resources: ['*'], // in a key policy "*" means this key
            conditions: { StringEquals: { 'kms:CallerAccount': stack.account } },
          }),
        ],
      }),
    });
  }
}

/**
 * Lets an AWS service publish to an encrypted topic: sns:Publish in the topic policy and the key use SNS
 * needs in the key policy, both only on behalf of this account and of `sourceArn` (confused deputy).
 * CloudWatch alarms (`cloudwatch.amazonaws.com`, alarm ARNs) and two-way SMS (`sms-voice.amazonaws.com`) need
 * both: a topic policy replaces SNS's default "owner may publish" statement, and the SNS-managed key cannot
 * be shared with services at all.
 */
export function allowServiceToPublish(topic: ITopic, key: IKey, service: string, sourceArn: string): void {
  const conditions = { StringEquals: { 'aws:SourceAccount': Stack.of(topic).account }, ArnLike: { 'aws:SourceArn': sourceArn } };
  const principals = [new ServicePrincipal(service)];
  topic.addToResourcePolicy(new PolicyStatement({ principals, actions: ['sns:Publish'], resources: [topic.topicArn], conditions }));
  key.addToResourcePolicy(new PolicyStatement({ principals, actions: PUBLISH_TO_ENCRYPTED_TOPIC_ACTIONS, resources: ['*'], conditions }));
}

/**
 * A log group of this stack: named under `logGroupPrefix` (the only names the data key lets CloudWatch Logs
 * use it for) and encrypted with that key.
 */
export function stackLogGroup(scope: Construct, id: string, props: { name: string; key: IKey; retention: RetentionDays; removalPolicy?: RemovalPolicy }): LogGroup {
  return new LogGroup(scope, id, {
    logGroupName: `${logGroupPrefix(Stack.of(scope))}${props.name}`,
    encryptionKey: props.key,
    retention: props.retention,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
  });
}
