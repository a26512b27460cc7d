import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { DataPlane } from './data-plane.ts';

export interface ReportsProps {
  data: DataPlane;
}

/**
 * Supervisor reports: the aggregate counters (per topic × department × language × Hong Kong day) that
 * RecordOutcome updates and reports read; reports never scan the Enquiry table.
 */
export class Reports extends Construct {
  readonly counters: TableV2;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    this.counters = new TableV2(this, 'Counters', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryptionV2.customerManagedKey(props.data.key),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The review API serves GET /reports/topics from the counters (read only). */
  connectApi(fn: LambdaFunction): void {
    this.counters.grantReadData(fn);
    fn.addEnvironment('REPORT_COUNTERS_TABLE_NAME', this.counters.tableName);
  }
}
