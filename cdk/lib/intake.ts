import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';
import { encryptedQueueWithDlq } from './queues.ts';

export interface IntakeProps {
  key: IKey;
  data: DataPlane;
}

/**
 * Intake: the queue both channels write to, its DLQ, and the function that validates each message,
 * creates the Enquiry once and starts its execution once. The state machine is attached later
 * (`connectWorkflow`) because the workflow is defined after the data plane and intake exist.
 */
export class Intake extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly function: AssistFunction;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    const fn = new AssistFunction(this, 'IntakeFunction', {
      handlerFolder: 'intake',
      key: props.key,
      description: 'Validates intake messages, creates enquiries idempotently, starts EnquiryWorkflow',
    });
    // Visibility must exceed the function timeout (AWS recommends 6x) so in-flight records are not redelivered.
    const queues = encryptedQueueWithDlq(this, 'IntakeQueue', props.key, Duration.seconds(180));
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    fn.addEnvironment('INTAKE_DLQ_URL', this.deadLetterQueue.queueUrl);
    fn.addEventSource(new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true }));
    this.deadLetterQueue.grantSendMessages(fn);
    props.data.grantEnquiryAccess(fn, { enquiry: ['read', 'write'], contact: ['create'] });
    // Indexes each enquiry under the keyed hash of the caller's number (data access requests).
    props.data.grantCallerHash(fn);
    this.function = fn;
  }
}
