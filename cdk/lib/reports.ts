import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { COUNTER_TABLE_KEYS } from '../../shared/adapters/aws/counter-table.ts';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';

export interface ReportsProps {
  data: DataPlane;
}

/**
 * Supervisor reports: aggregate counters (per Hong Kong day × hour × topic × department × language, in
 * shards, with a counted marker per enquiry: shared/domain/reports/counting.ts) that RecordOutcome
 * updates and reports read (never the Enquiry table); the reports bucket; the spike topic;
 * the topic-report function run daily and weekly at 08:00 Hong Kong time.
 */
export class Reports extends Construct {
  readonly counters: TableV2;
  readonly bucket: Bucket;
  readonly spikeTopic: Topic;
  private readonly data: DataPlane;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    this.data = props.data;
    this.counters = new TableV2(this, 'Counters', {
      partitionKey: { name: COUNTER_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: COUNTER_TABLE_KEYS.sortKey, type: AttributeType.STRING },
      // Counted markers (one per counted enquiry, no personal data) expire; counter items have no such attribute.
      timeToLiveAttribute: COUNTER_TABLE_KEYS.ttlAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(props.data.key),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Reports hold aggregates only (no personal data); kept two years for year-on-year comparison.
    this.bucket = props.data.dataBucket('Reports', 'reports/', Duration.days(730));
    this.spikeTopic = new Topic(this, 'SpikeAlerts', { masterKey: props.data.operationsKey, enforceSSL: true, displayName: '1823 Assist topic spikes' });
  }

  /** The report generator and its schedules (needs the knowledge layer for bilingual topic names). */
  addGenerator(knowledgeLayer: ILayerVersion): AssistFunction {
    const fn = new AssistFunction(this, 'TopicReportFunction', {
      handlerFolder: 'topic-report',
      key: this.data.key,
      description: 'Builds topic trend reports (JSON, CSV, HTML) and announces spikes',
      layers: [knowledgeLayer],
      timeout: Duration.minutes(2),
      environment: {
        REPORT_COUNTERS_TABLE_NAME: this.counters.tableName,
        REPORTS_BUCKET: this.bucket.bucketName,
        REPORTS_KEY_ARN: this.data.key.keyArn,
        SPIKE_TOPIC_ARN: this.spikeTopic.topicArn,
        KNOWLEDGE_DIR: '/opt/knowledge',
      },
    });
    this.counters.grantReadData(fn);
    // Open incidents (topic, district, place, report count): incident items of the Enquiry table only.
    this.data.grantIncidentAccess(fn, 'read');
    this.bucket.grantPut(fn);
    this.spikeTopic.grantPublish(fn);
    const schedules = [
      { id: 'DailyReport', schedule: 'daily', expression: ScheduleExpression.cron({ minute: '0', hour: '8', timeZone: TimeZone.ASIA_HONG_KONG }) },
      {
        id: 'WeeklyReport',
        schedule: 'weekly',
        expression: ScheduleExpression.cron({ minute: '0', hour: '8', weekDay: 'MON', timeZone: TimeZone.ASIA_HONG_KONG }),
      },
    ];
    for (const { id, schedule, expression } of schedules) {
      new Schedule(this, id, {
        schedule: expression,
        description: `${schedule} topic report, 08:00 Hong Kong time`,
        target: new LambdaInvoke(fn, { input: ScheduleTargetInput.fromObject({ schedule }), retryAttempts: 3 }),
      });
    }
    return fn;
  }

  /**
   * What RecordOutcome needs to count: one TransactWriteItems of a Put (the counted marker) and an Update
   * (the hour counter). IAM authorizes each item of a transaction as its own PutItem / UpdateItem; nothing
   * else (no reads, deletes or batch writes), plus the table key to encrypt what it writes.
   */
  grantCounting(fn: IGrantable): void {
    this.counters.grant(fn, 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.data.key.grant(fn, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
  }

  /** The review API serves GET /reports/topics from the counters (read only). */
  connectApi(fn: LambdaFunction): void {
    this.counters.grantReadData(fn);
    fn.addEnvironment('REPORT_COUNTERS_TABLE_NAME', this.counters.tableName);
  }
}
