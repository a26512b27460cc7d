import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AssistStack } from '../lib/assist-stack.ts';
import { EdgeProtectionStack } from '../lib/web-acl.ts';

// Synthesizes offline: account/region come from the environment when deploying, else stay unresolved.
const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
// CloudFront takes only web ACLs of scope CLOUDFRONT, which live in us-east-1: a small stack there.
const edge = new EdgeProtectionStack(app, 'Assist1823Edge', {
  env: { account, region: 'us-east-1' },
  crossRegionReferences: true,
  description: '1823 Assist: WAF web ACL for the console and API CloudFront distribution',
});
new AssistStack(app, 'Assist1823', {
  env: { account, region: process.env.CDK_DEFAULT_REGION ?? 'ap-east-1' },
  crossRegionReferences: true,
  consoleWebAclArn: edge.webAclArn,
  description: '1823 Assist: voicemail and written enquiry triage with human review',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
