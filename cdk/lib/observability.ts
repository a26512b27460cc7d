import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { FilterPattern, MetricFilter, type ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AssistFunction } from './assist-function.ts';
import type { DataPlane } from './data-plane.ts';

export interface ObservabilityProps {
  key: IKey;
  alarmTopic: ITopic;
  data: DataPlane;
  stateMachine: StateMachine;
  functions: LambdaFunction[];
  deadLetterQueues: Record<string, IQueue>;
  /** The staff user pool: alarms on Cognito's threat-protection risk detections. */
  userPool: IUserPool;
  /** The review API's access logs: alarm on bursts of 401/403. */
  apiAccessLogs: ILogGroup;
  /** Alarm when the oldest draft has waited longer than this for an agent (default 4 h). */
  reviewBacklogLimit?: Duration;
}

const NAMESPACE = 'Assist1823';
/** Refused (401/403) review API requests in 5 minutes above which someone should look. */
export const API_REFUSED_BURST = 50;
/** Cognito threat-protection metrics (AWS/Cognito) that mean a risky staff sign-in. */
export const COGNITO_RISK_METRICS = ['CompromisedCredentialRisk', 'AccountTakeoverRisk'] as const;

/**
 * Alarms (to the operations topic) for everything that means an enquiry is stuck or a caller was not
 * served: DLQ depth, failed/timed-out executions, Lambda errors and throttles, review backlog age, SMS
 * failures; and one dashboard.
 */
export class Observability extends Construct {
  readonly alarms: Alarm[] = [];
  readonly backlogMonitor: AssistFunction;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const alarm = (alarmId: string, description: string, metric: IMetric, threshold = 0) => {
      const created = new Alarm(this, alarmId, {
        alarmDescription: `${description} (runbook: README, Operations)`,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(props.alarmTopic));
      this.alarms.push(created);
      return created;
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}DlqNotEmpty`, `${name} DLQ holds messages`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }));
    }
    alarm('ExecutionsFailed', 'EnquiryWorkflow executions failed', props.stateMachine.metricFailed({ period: Duration.minutes(5) }));
    alarm('ExecutionsTimedOut', 'EnquiryWorkflow executions timed out', props.stateMachine.metricTimedOut({ period: Duration.minutes(5) }));
    for (const fn of props.functions) {
      const name = fn.node.id;
      alarm(`${name}Errors`, `${name} errors`, fn.metricErrors({ period: Duration.minutes(5) }));
      alarm(`${name}Throttles`, `${name} throttled`, fn.metricThrottles({ period: Duration.minutes(5) }));
    }

    const monitor = new AssistFunction(this, 'BacklogMonitor', {
      handlerFolder: 'backlog-monitor',
      key: props.key,
      description: 'Measures the age of the oldest draft awaiting review and the manual-handling backlog',
    });
    props.data.grantEnquiryAccess(monitor, { enquiry: ['queue'] });
    this.backlogMonitor = monitor;
    new Schedule(this, 'BacklogMonitorSchedule', {
      schedule: ScheduleExpression.rate(Duration.minutes(5)),
      target: new LambdaInvoke(monitor, {}),
      description: 'Review backlog measurement',
    });
    const metric = (metricName: string, service: string, statistic = 'Maximum') =>
      new Metric({ namespace: NAMESPACE, metricName, dimensionsMap: { service }, statistic, period: Duration.minutes(5) });
    const backlogAge = metric('OldestAwaitingReviewMinutes', 'backlog-monitor');
    alarm('ReviewBacklogAge', 'A draft has waited too long for an agent', backlogAge, (props.reviewBacklogLimit ?? Duration.hours(4)).toMinutes());
    const smsFailed = metric('SmsFailed', 'send-sms', 'Sum');
    alarm('SmsFailures', 'Follow-up SMS failed', smsFailed);
    const smsDeliveryUnknown = metric('SmsDeliveryUnknown', 'send-sms', 'Sum');
    alarm('SmsDeliveryUnknown', 'A follow-up SMS send crashed midway; an agent must check whether it arrived (never resent automatically)', smsDeliveryUnknown);

    // Abuse: a burst of refused API calls (stolen or forged tokens, an agent probing supervisor routes) and
    // any sign-in Cognito judges risky (compromised credentials, account take-over).
    const refused = new MetricFilter(this, 'ApiRefusedFilter', {
      logGroup: props.apiAccessLogs,
      filterPattern: FilterPattern.any(FilterPattern.stringValue('$.status', '=', '401'), FilterPattern.stringValue('$.status', '=', '403')),
      metricNamespace: NAMESPACE,
      metricName: 'ApiRefused',
      metricValue: '1',
      defaultValue: 0,
    });
    alarm('ApiRefusedBurst', 'More than 50 review API requests refused with 401/403 in 5 minutes', refused.metric({ statistic: 'Sum', period: Duration.minutes(5) }), API_REFUSED_BURST);
    for (const risk of COGNITO_RISK_METRICS) {
      alarm(
        `SignIn${risk}`,
        `Cognito threat protection detected ${risk} on a staff sign-in`,
        new MathExpression({
          expression: `SELECT SUM(${risk}) FROM SCHEMA("AWS/Cognito", Operation, RiskLevel, UserPoolId) WHERE UserPoolId = '${props.userPool.userPoolId}'`,
          usingMetrics: {},
          period: Duration.minutes(5),
          label: risk,
        }),
      );
    }

    new Dashboard(this, 'Dashboard', {
      dashboardName: '1823-Assist',
      widgets: [
        [
          new GraphWidget({
            title: 'Enquiries: started, failed, timed out',
            left: [props.stateMachine.metricStarted(), props.stateMachine.metricFailed(), props.stateMachine.metricTimedOut()],
          }),
          new GraphWidget({ title: 'Review backlog', left: [backlogAge, metric('NeedsManualBacklog', 'backlog-monitor')] }),
        ],
        [
          new GraphWidget({
            title: 'DLQ depth',
            left: Object.values(props.deadLetterQueues).map((q) => q.metricApproximateNumberOfMessagesVisible()),
          }),
          new GraphWidget({
            title: 'SMS',
            left: [metric('SmsSent', 'send-sms', 'Sum'), smsFailed, smsDeliveryUnknown, metric('SmsDuplicateSuppressed', 'send-sms', 'Sum')],
          }),
        ],
        [
          new GraphWidget({
            title: 'Lambda errors (all functions)',
            left: [
              new MathExpression({
                expression: props.functions.map((_, i) => `e${i}`).join('+') || '0',
                usingMetrics: Object.fromEntries(props.functions.map((fn, i) => [`e${i}`, fn.metricErrors()])),
                label: 'errors',
              }),
            ],
          }),
          new GraphWidget({
            title: 'Degraded (local fallback) and needs-manual',
            left: [metric('NeedsManual', 'needs-manual', 'Sum'), metric('EnquiryClassified', 'classify', 'Sum')],
          }),
        ],
      ],
    });
  }
}
