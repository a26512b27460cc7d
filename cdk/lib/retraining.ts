import { Duration, TimeZone } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { ENQUIRY_TABLE_KEYS } from '../../shared/adapters/aws/dynamo-table.ts';
import { EXAMPLES_PREFIX, MODELS_PREFIX } from '../../shared/adapters/aws/s3-retraining-stores.ts';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';

export interface RetrainingProps {
  data: DataPlane;
  knowledgeLayer: ILayerVersion;
}

/**
 * Learning from agents' corrections: the models bucket (labelled examples, redacted text only, kept two
 * years; topic model versions and the promoted pointer, kept), the retrain function and its weekly schedule.
 * Classify reads only the models prefix.
 */
export class Retraining extends Construct {
  readonly bucket: Bucket;
  readonly function: AssistFunction;

  constructor(scope: Construct, id: string, props: RetrainingProps) {
    super(scope, id);
    const { data } = props;
    this.bucket = data.dataBucket('Models', 'models/', { prefix: 'examples/', after: Duration.days(730) });

    this.function = new AssistFunction(this, 'RetrainFunction', {
      handlerFolder: 'retrain',
      key: data.key,
      description: 'Weekly: collects agent-labelled examples, trains a candidate topic model, promotes it only through the evaluation gate',
      layers: [props.knowledgeLayer],
      // Training on the layer's ~5 800 examples plus the agents' takes 15-60 s single-threaded and ~500 MB
      // (memory: cdk/lib/function-sizing.ts).
      timeout: Duration.minutes(10),
      environment: {
        ENQUIRY_TABLE_NAME: data.enquiryTable.tableName,
        MODELS_BUCKET: this.bucket.bucketName,
        MODELS_KEY_ARN: data.key.keyArn,
        KNOWLEDGE_DIR: '/opt/knowledge',
      },
    });
    // Decided enquiries are read from the status index only (DecidedEnquiry: ids, topics, redacted text).
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${data.enquiryTable.tableArn}/index/${ENQUIRY_TABLE_KEYS.statusIndex.name}`],
      }),
    );
    data.key.grantDecrypt(this.function);
    this.bucket.grantRead(this.function);
    this.bucket.grantPut(this.function, `${EXAMPLES_PREFIX}*`);
    this.bucket.grantPut(this.function, `${MODELS_PREFIX}*`);

    new Schedule(this, 'WeeklyRetrain', {
      schedule: ScheduleExpression.cron({ minute: '0', hour: '3', weekDay: 'SUN', timeZone: TimeZone.ASIA_HONG_KONG }),
      description: 'weekly topic model retrain from agent corrections, Sunday 03:00 Hong Kong time',
      target: new LambdaInvoke(this.function, { input: ScheduleTargetInput.fromObject({ schedule: 'weekly' }), retryAttempts: 1 }),
    });
  }

  /** Classify loads the promoted version at init: read access to the models prefix only. */
  connectClassifier(fn: LambdaFunction): void {
    this.bucket.grantRead(fn, `${MODELS_PREFIX}*`);
    fn.addEnvironment('MODELS_BUCKET', this.bucket.bucketName);
  }

  /** The IAM resources these grants scope by prefix, for the cdk-nag acknowledgements. */
  get prefixedObjects(): { bucket: Bucket; prefixes: string[] } {
    return { bucket: this.bucket, prefixes: [`${EXAMPLES_PREFIX}*`, `${MODELS_PREFIX}*`] };
  }
}
