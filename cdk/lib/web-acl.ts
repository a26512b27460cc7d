import { Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';

/**
 * Requests from one address in any 5 minutes before WAF blocks it. Staff work from a few office networks
 * behind NAT, so the limit is per address for a whole desk, far above what agents generate (each console
 * view makes one to three API calls) and far below a scripted attack on the sign-in or the API.
 */
export const RATE_LIMIT_PER_5_MINUTES = 2000;

/** The AWS managed rule groups every web ACL of the product runs (common exploits, known bad inputs, bad IPs). */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'] as const;

/** A WAF web ACL: allow by default; rate-based block per source address; the AWS managed rule groups. */
export function assistWebAcl(scope: Construct, id: string, scope_: 'CLOUDFRONT' | 'REGIONAL', metricPrefix: string): CfnWebACL {
  const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${metricPrefix}${name}` });
  return new CfnWebACL(scope, id, {
    scope: scope_,
    defaultAction: { allow: {} },
    visibilityConfig: visibility('WebAcl'),
    rules: [
      {
        name: 'RatePerAddress',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: RATE_LIMIT_PER_5_MINUTES, evaluationWindowSec: 300 } },
        visibilityConfig: visibility('RatePerAddress'),
      },
      ...MANAGED_RULE_GROUPS.map((name, i) => ({
        name,
        priority: i + 1,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
        visibilityConfig: visibility(name),
      })),
    ],
  });
}

/**
 * The console's CloudFront web ACL. CloudFront only takes web ACLs of scope CLOUDFRONT, which exist only in
 * us-east-1, so this small stack lives there and AssistStack references it (cross-region reference).
 */
export class EdgeProtectionStack extends Stack {
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    this.webAclArn = assistWebAcl(this, 'ConsoleWebAcl', 'CLOUDFRONT', 'AssistConsole').attrArn;
  }
}
