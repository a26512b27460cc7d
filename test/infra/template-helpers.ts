import { App } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import { AssistStack } from '../../cdk/lib/assist-stack.ts';

/** The context `cdk synth` runs with (cdk.json), so these tests see what the CLI synthesizes. */
export const CDK_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

export const ACCOUNT = '123456789012';
export const REGION = 'ap-east-1';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Json;
  Action: string | string[];
  Resource?: Json;
  Condition?: Record<string, Record<string, Json>>;
}

export interface Synthesized {
  stack: AssistStack;
  resources: Record<string, Resource>;
}

/** Synthesizes AssistStack without bundling (fast): for assertions on resources and policies only. */
export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const app = new App({ context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new AssistStack(app, 'Assist1823Test', { env: { account: ACCOUNT, region: REGION } });
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, Resource> };
  return { stack, resources: template.Resources };
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
export const servicePrincipalsOf = (statement: Statement): string[] => {
  const principal = statement.Principal;
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return [];
  return [principal['Service'] ?? []].flat().map(String);
};

/** `{ Ref: id }` or `{ Fn::GetAtt: [id, ...] }` → id. */
export function logicalIdIn(value: Json | undefined): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof value['Ref'] === 'string') return value['Ref'];
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** Whether a policy action pattern (`kms:GenerateDataKey*`) covers `action`. */
export function allows(patterns: string[], action: string): boolean {
  return patterns.some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(action));
}

export const statementsOf = (document: Json | undefined): Statement[] =>
  ((document as { Statement?: Statement[] } | undefined)?.Statement ?? []);

/** Every identity-policy statement with the logical ids of the roles it is attached to. */
export function roleStatements(resources: Record<string, Resource>): { roles: string[]; policyId: string; statement: Statement }[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .flatMap(([policyId, r]) => {
      const roles = ((r.Properties?.['Roles'] as Json[] | undefined) ?? []).map((role) => logicalIdIn(role)).filter((id): id is string => Boolean(id));
      return statementsOf(r.Properties?.['PolicyDocument']).map((statement) => ({ roles, policyId, statement }));
    });
}

/** The role logical id of the Lambda function whose Powertools service name is `folder`. */
export function roleOfFunction(resources: Record<string, Resource>, folder: string): string {
  const fn = Object.values(resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.['Environment'] as { Variables?: Record<string, Json> } | undefined)?.Variables?.['POWERTOOLS_SERVICE_NAME'] === folder,
  );
  const role = logicalIdIn(fn?.Properties?.['Role']);
  if (!role) throw new Error(`no function ${folder}`);
  return role;
}
