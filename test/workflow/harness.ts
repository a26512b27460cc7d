import type { Duration } from 'aws-cdk-lib';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../../local/definition.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const definitions = new Map<string, StateMachineDefinition>();

/** The synthesized EnquiryWorkflow definition, synthesized once per process per timeout setting. */
export function workflowDefinition(transcriptionTimeout?: Duration): StateMachineDefinition {
  const key = transcriptionTimeout?.toSeconds().toString() ?? 'default';
  let definition = definitions.get(key);
  if (!definition) {
    definition = synthesizeWorkflowDefinition(transcriptionTimeout ? { transcriptionTimeout } : {});
    definitions.set(key, definition);
  }
  return definition;
}

/**
 * Starts the local stack on the real synthesized definition with short retry pauses. Every workflow test
 * goes through here, so all of them exercise the same ASL that CDK deploys.
 */
export async function startHarness(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({ definition: workflowDefinition(options.transcriptionTimeout), retryIntervalMs: 5, ...options });
}

/** Puts messages on the intake queue, delivers them, and waits until every execution has ended. */
export async function runMessages(stack: LocalStack, bodies: (string | object)[]): Promise<void> {
  for (const body of bodies) stack.intakeQueue.send(typeof body === 'string' ? body : JSON.stringify(body));
  await stack.processIntake();
  await settle(stack);
}

/** Waits for executions, including ones resumed by asynchronous Transcribe events. */
export async function settle(stack: LocalStack): Promise<void> {
  await stack.runtime.settle();
}
