/**
 * Step Functions Standard bills per state transition. The path an enquiry takes through the synthesized
 * EnquiryWorkflow is walked here (Choice rules evaluated against a scenario's input), so the cost model
 * counts the states the deployed definition really has instead of a hand-kept number.
 */
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../local/definition.ts';

let synthesized: StateMachineDefinition | undefined;
/** The EnquiryWorkflow definition synthesized from the CDK app, once per process (a synth takes seconds). */
export function workflowDefinition(): StateMachineDefinition {
  synthesized ??= synthesizeWorkflowDefinition();
  return synthesized;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

interface ChoiceRule {
  Variable?: string;
  BooleanEquals?: boolean;
  StringEquals?: string;
  IsPresent?: boolean;
  And?: ChoiceRule[];
  Or?: ChoiceRule[];
  Not?: ChoiceRule;
  Next?: string;
}

/** `$.a.b` against the input; undefined when absent. */
function valueAt(input: Json, path: string): Json | undefined {
  let current: Json | undefined = input;
  for (const key of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

function matches(rule: ChoiceRule, input: Json): boolean {
  if (rule.And) return rule.And.every((inner) => matches(inner, input));
  if (rule.Or) return rule.Or.some((inner) => matches(inner, input));
  if (rule.Not) return !matches(rule.Not, input);
  const value = rule.Variable === undefined ? undefined : valueAt(input, rule.Variable);
  if (rule.IsPresent !== undefined) return (value !== undefined) === rule.IsPresent;
  if (rule.BooleanEquals !== undefined) return value === rule.BooleanEquals;
  if (rule.StringEquals !== undefined) return value === rule.StringEquals;
  throw new Error(`choice rule not understood by the bench: ${JSON.stringify(rule)}`);
}

function nextState(state: Record<string, unknown>, input: Json): string | undefined {
  if (state['Type'] === 'Choice') {
    const rule = ((state['Choices'] ?? []) as ChoiceRule[]).find((choice) => matches(choice, input));
    return rule?.Next ?? (state['Default'] as string | undefined);
  }
  if (state['End'] === true || state['Type'] === 'Succeed' || state['Type'] === 'Fail') return undefined;
  return state['Next'] as string | undefined;
}

/**
 * The states entered from StartAt to the end for `input` (task results such as `$.review` are part of the
 * scenario's input), with no retries or failures: the happy path. Billing counts each entered state.
 */
export function statesOnPath(definition: Pick<StateMachineDefinition, 'StartAt' | 'States'>, input: Json): string[] {
  const path: string[] = [];
  let name: string | undefined = definition.StartAt;
  while (name !== undefined) {
    const state = definition.States[name];
    if (!state) throw new Error(`state ${name} is not in the definition`);
    path.push(name);
    if (path.length > 100) throw new Error('path does not end: a loop without an exit');
    name = nextState(state, input);
  }
  return path;
}
