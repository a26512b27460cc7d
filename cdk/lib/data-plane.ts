import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENQUIRY_TABLE_KEYS } from '../../shared/adapters/aws/dynamo-table.ts';

/**
 * Where data rests: one customer-managed KMS key, the voicemail bucket, the transcripts bucket, the
 * Enquiry table, and the bucket receiving their access logs.
 */
export class DataPlane extends Construct {
  readonly key: Key;
  readonly accessLogs: Bucket;
  readonly voicemailBucket: Bucket;
  readonly enquiryTable: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);

    this.key = new Key(this, 'DataKey', {
      description: '1823 Assist: encrypts enquiries, voicemail, transcripts, queues and logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the functions' log groups with this key, scoped to this account's log groups.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'], // in a key policy "*" means this key
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` },
        },
      }),
    );

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

