import { Stack, Token, Validations, type CfnElement } from 'aws-cdk-lib';
import type { Construct, IConstruct } from 'constructs';

const logicalIdOf = (construct: IConstruct): string => Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/**
 * The cdk-nag AwsSolutions findings this stack accepts, each with the reason it is acceptable. They all
 * come from CDK's own least-privilege grants or from AWS APIs without resource-level permissions; anything
 * else still fails synthesis (and test/infra).
 */
export function acknowledgeGrantWildcards(
  stack: Stack,
  resources: { tables: Construct[]; buckets: Construct[]; functions: Construct[]; prefixedObjects?: { bucket: Construct; prefixes: string[] }[] },
  options: { smsIdentityScoped: boolean; transcribeJobPrefix: string },
): void {
  // cdk-nag prints unresolved values as <AWS::AccountId>/<AWS::Region>/<AWS::Partition> (e.g. offline
  // `cdk synth`), and literals where cdk.json's enablePartitionLiterals or a concrete env resolves them.
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const ack = (id: string, reason: string) => Validations.of(stack).acknowledge({ id: `AwsSolutions-IAM5[${id}]`, reason });
  ack('Resource::*', 'X-Ray trace writes and Step Functions vended log delivery (logs:*LogDelivery*) support no resource-level permissions (AWS requires "*"); test/infra asserts no other statement uses "*"');
  ack('Action::kms:ReEncrypt*', 'CDK key grant: the envelope-encryption actions on the one data key (the resource is that key ARN)');
  ack('Action::kms:GenerateDataKey*', 'CDK key grant: the envelope-encryption actions on the one data key (the resource is that key ARN)');
  for (const table of resources.tables) {
    ack(`Resource::<${logicalIdOf(table)}.Arn>/index/*`, 'CDK table grant includes the table\'s own indexes (the agents\' status queue)');
  }
  for (const bucket of resources.buckets) {
    ack(`Resource::<${logicalIdOf(bucket)}.Arn>/*`, 'CDK bucket grant: objects of this one bucket');
  }
  for (const { bucket, prefixes } of resources.prefixedObjects ?? []) {
    for (const prefix of prefixes) {
      ack(`Resource::<${logicalIdOf(bucket)}.Arn>/${prefix}`, 'CDK bucket grant scoped to one key prefix of this one bucket');
    }
  }
  for (const action of ['s3:List*', 's3:GetObject*', 's3:GetBucket*', 's3:Abort*']) {
    ack(`Action::${action}`, 'CDK bucket read/put grant, scoped to one bucket and its objects');
  }
  for (const fn of resources.functions) {
    ack(`Resource::<${logicalIdOf(fn)}.Arn>:*`, 'Step Functions or EventBridge Scheduler invokes this function\'s versions/aliases (CDK invoke grant)');
  }
  ack(`Resource::arn:${partition}:transcribe:${region}:${account}:transcription-job/${options.transcribeJobPrefix}*`, 'Transcribe jobs are named enq-<enquiry id>: the prefix scopes the grant to this system\'s jobs');
  if (!options.smsIdentityScoped) {
    for (const kind of ['pool', 'phone-number']) {
      ack(
        `Resource::arn:${partition}:sms-voice:${region}:${account}:${kind}/*`,
        'Origination identity unknown at synth; deploy with -c smsOriginationIdentityArn=... to scope sending to one number or pool',
      );
    }
  }
  // CDK's singleton that copies the built console into its bucket at deploy time.
  for (const child of stack.node.children.filter((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'))) {
    const ackChild = (id: string, reason: string) => Validations.of(child).acknowledge({ id, reason });
    ackChild('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK-internal BucketDeployment handler');
    ackChild('AwsSolutions-L1', 'CDK-internal BucketDeployment handler; its runtime is chosen by aws-cdk-lib');
    ackChild(`AwsSolutions-IAM5[Resource::arn:${partition}:s3:::cdk-hnb659fds-assets-${account}-${region}/*]`, 'Reads the console asset from the CDK bootstrap asset bucket');
    ackChild('AwsSolutions-IAM5[Action::s3:DeleteObject*]', 'Replaces the previous console files in the console bucket on deploy');
  }
  // CDK's AwsCustomResource singleton (Transcribe custom vocabularies); its SDK calls are scoped per resource.
  for (const child of stack.node.children.filter((c) => c.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287'))) {
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-internal AwsCustomResource handler (creates the Transcribe vocabularies); its own policy is scoped to those vocabularies',
    });
  }
  // CDK's singleton handler that turns on S3 EventBridge notifications uses the basic execution policy.
  for (const child of stack.node.children.filter((c) => c.node.id.startsWith('BucketNotificationsHandler'))) {
    Validations.of(child).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK-internal BucketNotificationsHandler (enables S3 EventBridge notifications); our functions have their own roles',
    });
  }
}
