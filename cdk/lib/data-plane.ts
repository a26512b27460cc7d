import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENQUIRY_TABLE_KEYS } from '../../shared/adapters/aws/dynamo-table.ts';
import { AssistKey } from './keys.ts';

/**
 * Where data rests: one customer-managed KMS key, the voicemail bucket, the transcripts bucket, the
 * Enquiry table, and the bucket receiving their access logs.
 */
export class DataPlane extends Construct {
  readonly key: AssistKey;
  readonly operationsKey: AssistKey;
  readonly accessLogs: Bucket;
  readonly voicemailBucket: Bucket;
  readonly enquiryTable: TableV2;

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

    this.voicemailBucket = this.dataBucket('Voicemail', 'voicemail/', Duration.days(90));
    this.voicemailBucket.enableEventBridgeNotification();

    this.enquiryTable = new TableV2(this, 'Enquiries', {
      partitionKey: { name: ENQUIRY_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: ENQUIRY_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(this.key),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: ENQUIRY_TABLE_KEYS.statusIndex.name,
          partitionKey: { name: ENQUIRY_TABLE_KEYS.statusIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: ENQUIRY_TABLE_KEYS.statusIndex.sortKey, type: AttributeType.STRING },
        },
      ],
    });
  }

  /** A private, KMS-encrypted, TLS-only, versioned bucket whose objects expire after `retention`. */
  dataBucket(id: string, logPrefix: string, retention: Duration): Bucket {
    return new Bucket(this, id, {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: logPrefix,
      lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

