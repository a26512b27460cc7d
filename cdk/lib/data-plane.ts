import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENQUIRY_TABLE_KEYS, INCIDENT_KEY_PREFIX, RESTRICTED_TABLE_KEYS } from '../../shared/adapters/aws/dynamo-table.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION } from '../../shared/domain/retention.ts';
import { AssistKey, CallerHashKey, MAC_KEY_USE_ACTIONS } from './keys.ts';

/**
 * Where data rests: the data key (enquiries, buckets, queues, logs), the restricted table and its own key
 * (raw contact data, task tokens), the operations key (alarm and spike notifications), the voicemail
 * bucket, the Enquiry table, and the bucket receiving the buckets' access logs. `grantEnquiryAccess` is the
 * one place functions get enquiry data.
 */
export class DataPlane extends Construct {
  readonly key: AssistKey;
  readonly operationsKey: AssistKey;
  readonly accessLogs: Bucket;
  readonly voicemailBucket: Bucket;
  readonly enquiryTable: TableV2;
  /** Raw contact data (number, email, raw text, audio location) and task tokens, under their own key. */
  readonly restrictedTable: TableV2;
  readonly restrictedKey: AssistKey;
  /** HMAC_256 key: keyed hash of callers' numbers (caller index, opt-outs); never leaves KMS. */
  readonly callerHashKey: CallerHashKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new AssistKey(this, 'DataKey', {
      description: '1823 Assist: encrypts enquiries, voicemail, transcripts, queues, inbound SMS and logs',
      usedThrough: ['dynamodb', 's3', 'sqs', 'sns', 'lambda', 'states', 'logs', 'transcribe'],
    });
    // CloudWatch Logs encrypts this stack's log groups (and only those, by name) with this key.
    this.key.admitLogGroups();
    // Operations notifications (alarms, topic spikes) hold no personal data; their own key is the only one
    // CloudWatch alarms may use, so the data key never admits cloudwatch.amazonaws.com.
    this.operationsKey = new AssistKey(this, 'OperationsKey', {
      description: '1823 Assist: encrypts operations alarm and topic-spike notifications',
      usedThrough: ['sns'],
    });

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it to itself would loop.',
    });

    this.voicemailBucket = this.dataBucket('Voicemail', 'voicemail/', Duration.days(RETENTION.rawObjectsDays));
    this.voicemailBucket.enableEventBridgeNotification();

    this.enquiryTable = new TableV2(this, 'Enquiries', {
      partitionKey: { name: ENQUIRY_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ENQUIRY_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Redacted records expire the retention period after they settle; privacy audit records after theirs.
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
      globalSecondaryIndexes: [
        {
          indexName: ENQUIRY_TABLE_KEYS.statusIndex.name,
          partitionKey: { name: ENQUIRY_TABLE_KEYS.statusIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: ENQUIRY_TABLE_KEYS.statusIndex.sortKey, type: AttributeType.STRING },
        },
        {
          // Data access requests: the HMAC of the number and the enquiry's keys, nothing else projected.
          indexName: ENQUIRY_TABLE_KEYS.callerIndex.name,
          partitionKey: { name: ENQUIRY_TABLE_KEYS.callerIndex.partitionKey, type: AttributeType.STRING },
          projectionType: ProjectionType.KEYS_ONLY,
        },
      ],
    });

    // Raw personal data and task tokens: their own table and key, so "models see redacted text only" and
    // "task tokens are secrets" hold in IAM, not only in code (see grantEnquiryAccess).
    this.restrictedKey = new AssistKey(this, 'RestrictedKey', {
      description: '1823 Assist: encrypts raw contact data (caller number, raw text, audio location) and task tokens',
      usedThrough: ['dynamodb'],
    });
    this.restrictedTable = new TableV2(this, 'Restricted', {
      partitionKey: { name: RESTRICTED_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(this.restrictedKey),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Raw contact data expires the retention period after its enquiry settles; task tokens after theirs.
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
    });
    this.callerHashKey = new CallerHashKey(this, 'CallerHashKey');
  }

  /** Lets a function compute the keyed hash of a caller's number (GenerateMac on the HMAC key, nothing else). */
  grantCallerHash(fn: LambdaFunction): void {
    this.callerHashKey.grant(fn, ...MAC_KEY_USE_ACTIONS);
    fn.addEnvironment('CALLER_HASH_KEY_ID', this.callerHashKey.keyArn);
  }

  /**
   * Gives a function exactly the data access it needs, with explicit actions (never Scan, DeleteItem or
   * BatchWriteItem), and the environment variables naming those tables. Raw contact data and task tokens
   * are granted by kind: IAM's `dynamodb:LeadingKeys` limits each grant to `CONTACT#…` or `TASK#…` items.
   */
  grantEnquiryAccess(fn: LambdaFunction, access: EnquiryAccess): void {
    const enquiryActions = [
      ...(access.enquiry.includes('read') ? ['dynamodb:GetItem'] : []),
      ...(access.enquiry.includes('write') ? ['dynamodb:PutItem'] : []),
      ...(access.enquiry.includes('queue') ? ['dynamodb:Query'] : []),
    ];
    if (access.enquiry.includes('callers')) {
      // The caller index only (keys-only: hashes and enquiry keys), not the agents' status index.
      Grant.addToPrincipal({ grantee: fn, actions: ['dynamodb:Query'], resourceArns: [`${this.enquiryTable.tableArn}/index/${ENQUIRY_TABLE_KEYS.callerIndex.name}`] });
    }
    if (enquiryActions.length > 0) {
      this.enquiryTable.grant(fn, ...enquiryActions);
      grantKeyUse(this.key, fn, access.enquiry.includes('write'));
      fn.addEnvironment('ENQUIRY_TABLE_NAME', this.enquiryTable.tableName);
    }
    const restricted = [
      ...(access.contact ?? []).filter((use): use is Exclude<typeof use, 'expire'> => use !== 'expire').map((use) => ({ prefix: RESTRICTED_TABLE_KEYS.contactPrefix, action: RESTRICTED_ACTIONS[use] })),
      ...(access.taskToken ?? []).map((use) => ({ prefix: RESTRICTED_TABLE_KEYS.taskTokenPrefix, action: RESTRICTED_ACTIONS[use] })),
    ];
    for (const prefix of new Set(restricted.map((r) => r.prefix))) {
      Grant.addToPrincipal({
        grantee: fn,
        actions: restricted.filter((r) => r.prefix === prefix).map((r) => r.action),
        resourceArns: [this.restrictedTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
      });
    }
    const expire = access.contact?.includes('expire') ?? false;
    if (expire) {
      // Settling an enquiry starts its raw contact data's retention: set `expiresAt` on CONTACT items, touch
      // and return no other attribute (so a function that may only do this reads nothing).
      Grant.addToPrincipal({
        grantee: fn,
        actions: ['dynamodb:UpdateItem'],
        resourceArns: [this.restrictedTable.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RESTRICTED_TABLE_KEYS.contactPrefix}*`] },
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': [RESTRICTED_TABLE_KEYS.partitionKey, EXPIRES_AT_ATTRIBUTE] },
          StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
        },
      });
    }
    if (restricted.length > 0 || expire) {
      grantKeyUse(this.restrictedKey, fn, expire || restricted.some((r) => r.action !== 'dynamodb:GetItem'));
      fn.addEnvironment('RESTRICTED_TABLE_NAME', this.restrictedTable.tableName);
    }
  }

  /**
   * Incident items on the Enquiry table (pk `INCIDENT…`: incidents, their key items, members and membership
   * markers) and nothing else: `write` reads and writes them (TransactWriteItems is checked by IAM per item
   * as PutItem/UpdateItem; the review API closes incidents); `read` reads them (GetItem, Query of one incident's members, and the open
   * incidents' list on the status index, whose partition key `INCIDENTS#open` LeadingKeys also limits).
   */
  grantIncidentAccess(fn: LambdaFunction, use: 'write' | 'read'): void {
    const actions = ['dynamodb:GetItem', 'dynamodb:Query', ...(use === 'write' ? ['dynamodb:PutItem', 'dynamodb:UpdateItem'] : [])];
    Grant.addToPrincipal({
      grantee: fn,
      actions,
      resourceArns: [this.enquiryTable.tableArn, `${this.enquiryTable.tableArn}/index/${ENQUIRY_TABLE_KEYS.statusIndex.name}`],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${INCIDENT_KEY_PREFIX}*`] } },
    });
    grantKeyUse(this.key, fn, use === 'write');
    fn.addEnvironment('ENQUIRY_TABLE_NAME', this.enquiryTable.tableName);
  }

  /**
   * A private, KMS-encrypted, TLS-only, versioned bucket whose objects expire after `retention` (or only
   * those under `retention.prefix`: the rest is kept until deleted).
   */
  dataBucket(id: string, logPrefix: string, retention: Duration | { prefix: string; after: Duration }): Bucket {
    const lifecycleRules =
      retention instanceof Duration
        ? [{ expiration: retention, noncurrentVersionExpiration: Duration.days(1) }]
        : [{ prefix: retention.prefix, expiration: retention.after }, { noncurrentVersionExpiration: Duration.days(1) }];
    return new Bucket(this, id, {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: logPrefix,
      lifecycleRules,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}


/** What a function does with enquiry data; anything not listed is not granted. */
export interface EnquiryAccess {
  /**
   * The Enquiry table (redacted text, topic, draft, decision, audit): read items, write them, query the status
   * index (`queue`), query the caller index by a number's keyed hash (`callers`, data access requests).
   */
  enquiry: ('read' | 'write' | 'queue' | 'callers')[];
  /**
   * `CONTACT#` items of the restricted table: raw number, email, raw text, audio location. `expire`: set
   * their `expiresAt` when the enquiry settles and nothing else (no read, no other attribute).
   */
  contact?: ('read' | 'create' | 'update' | 'expire')[];
  /** `TASK#` items of the restricted table: the parked task token (write also clears it). */
  taskToken?: ('read' | 'write')[];
}

const RESTRICTED_ACTIONS = { read: 'dynamodb:GetItem', create: 'dynamodb:PutItem', update: 'dynamodb:UpdateItem', write: 'dynamodb:PutItem' } as const;

/** DynamoDB with a customer-managed key: reads need Decrypt, writes also the encrypt actions (as CDK's table grants). */
function grantKeyUse(key: AssistKey, grantee: IGrantable, write: boolean): void {
  key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey', ...(write ? ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : []));
}
