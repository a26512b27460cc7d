import type { Duration } from 'aws-cdk-lib';
import { App } from 'aws-cdk-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssistStack, type AssistStackProps } from '../cdk/lib/assist-stack.ts';

/** An Amazon States Language definition as synthesized by CDK. */
export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

/** Resolves the intrinsics CDK puts in DefinitionString into placeholder ARNs (state overrides replace them). */
function resolveIntrinsic(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if ('Fn::GetAtt' in value) return `arn:aws:lambda:local:000000000000:function:${String((value['Fn::GetAtt'] as CfnValue[])[0])}`;
    if ('Ref' in value) return value['Ref'] === 'AWS::Partition' ? 'aws' : `local-${String(value['Ref'])}`;
    if ('Fn::Join' in value) {
      const [separator, parts] = value['Fn::Join'] as [string, CfnValue[]];
      return parts.map(resolveIntrinsic).join(separator);
    }
  }
  throw new Error(`unsupported intrinsic in state machine definition: ${JSON.stringify(value)}`);
}

export interface SynthOptions {
  transcriptionTimeout?: Duration;
  reviewTimeout?: Duration;
}

/**
 * Synthesizes the real AssistStack (bundling skipped: the local runtime calls handler code directly) and
 * returns the EnquiryWorkflow definition exactly as it would be deployed.
 */
export function synthesizeWorkflowDefinition(options: SynthOptions = {}): StateMachineDefinition {
  const outdir = mkdtempSync(join(tmpdir(), 'assist-synth-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
    const props: AssistStackProps = { ...options };
    const stack = new AssistStack(app, 'Assist1823Local', { ...props, env: { region: 'ap-east-1' } });
    const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: Record<string, CfnValue> }> };
    const machines = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
    const definition = resolveIntrinsic(machines[0]!.Properties['DefinitionString'] as CfnValue);
    return JSON.parse(definition) as StateMachineDefinition;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
