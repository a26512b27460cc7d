import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EXPIRES_AT_ATTRIBUTE } from '../../shared/domain/retention.ts';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';
import { encryptedQueueWithDlq } from './queues.ts';
import { allowServiceToPublish } from './keys.ts';

export interface SmsProps {
  key: IKey;
  data: DataPlane;
  /** The sending phone number or pool; without it (development only) sending is scoped to this account's identities. */
  originationIdentityArn: string | undefined;
  /** "HH:MM-HH:MM" Hong Kong time, validated by readDeploymentContext (and again by send-sms at cold start). */
  quietHours: string;
}

/**
 * SMS-on-demand: the sms-outbox queue (+ DLQ, alarmed by Observability), the send-sms function on AWS End User Messaging
 * SMS, the table of opt-outs and sent-message ledger (idempotency), and the inbound STOP/停止 handler fed
 * by the two-way SMS SNS topic.
 */
export class Sms extends Construct {
  readonly outbox: Queue;
  readonly outboxDlq: Queue;
  readonly table: TableV2;
  readonly sendFunction: AssistFunction;
  readonly inboundTopic: Topic;

  constructor(scope: Construct, id: string, props: SmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const originationIdentity = props.originationIdentityArn ?? '';

    this.table = new TableV2(this, 'SmsControl', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      // Ledger entries expire after the idempotency window; opt-outs carry no expiry (honoured while needed).
      timeToLiveAttribute: EXPIRES_AT_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(props.key),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Visibility exceeds the function timeout; quiet-hours deferral extends it per message (max 12 h, SMS_QUIET_HOURS).
    const queues = encryptedQueueWithDlq(this, 'SmsOutbox', props.key, Duration.minutes(3));
    this.outbox = queues.queue;
    this.outboxDlq = queues.deadLetterQueue;

    this.sendFunction = new AssistFunction(this, 'SendSmsFunction', {
      handlerFolder: 'send-sms',
      key: props.key,
      description: 'Sends approved follow-up SMS once, only to the caller, honouring opt-out and quiet hours',
      environment: {
        SMS_TABLE_NAME: this.table.tableName,
        SMS_ORIGINATION_IDENTITY: originationIdentity,
        SMS_MAX_SEGMENTS: '4',
        SMS_OUTBOX_URL: this.outbox.queueUrl,
        SMS_QUIET_HOURS: props.quietHours,
      },
    });
    this.sendFunction.addEventSource(new SqsEventSource(this.outbox, { batchSize: 5, reportBatchItemFailures: true }));
    this.outbox.grant(this.sendFunction, 'sqs:ChangeMessageVisibility');
    // sms_sent / sms_failed settle the enquiry: send-sms starts its raw contact data's retention.
    props.data.grantEnquiryAccess(this.sendFunction, { enquiry: ['read', 'write'], contact: ['read', 'expire'] });
    // Opt-outs are keyed by the keyed hash of the number.
    props.data.grantCallerHash(this.sendFunction);
    this.table.grantReadWriteData(this.sendFunction);
    this.sendFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: originationIdentity
          ? [originationIdentity]
          : [`arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:pool/*`, `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:phone-number/*`],
      }),
    );

    // Two-way SMS: AWS End User Messaging SMS publishes callers' replies (STOP/停止) here; the messages hold
    // phone numbers, so the topic uses the data key, which admits the SMS service for this account only.
    this.inboundTopic = new Topic(this, 'InboundSms', { masterKey: props.key, enforceSSL: true, displayName: '1823 Assist inbound SMS' });
    allowServiceToPublish(this.inboundTopic, props.key, 'sms-voice.amazonaws.com', `arn:${stack.partition}:sms-voice:${stack.region}:${stack.account}:*`);
    const inbound = new AssistFunction(this, 'SmsInboundFunction', {
      handlerFolder: 'sms-inbound',
      key: props.key,
      description: 'Records STOP/停止 opt-outs (and START opt-ins) from two-way SMS',
      environment: { SMS_TABLE_NAME: this.table.tableName },
    });
    this.table.grantReadWriteData(inbound);
    props.data.grantCallerHash(inbound);
    this.inboundTopic.addSubscription(new LambdaSubscription(inbound));

  }
}
