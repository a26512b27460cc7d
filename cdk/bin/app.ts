import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AssistStack } from '../lib/assist-stack.ts';

// Synthesizes offline: account/region come from the environment when deploying, else stay unresolved.
const app = new App();
new AssistStack(app, 'Assist1823', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-east-1' },
  description: '1823 Assist: voicemail and written enquiry triage with human review',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
