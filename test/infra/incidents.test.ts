/*
 * Incidents on AWS: what GroupIncident's two GetItems and its TransactWriteItems (Put/Update of INCIDENT…
 * items on the Enquiry table), the review API (list, members, close) and the topic report (open incidents on
 * the status index) need from IAM, KMS and their environment; and the state machine's place for the step.
 * Synthesized from the real stack: each check fails if AWS would refuse the call.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENQUIRY_TABLE_KEYS, INCIDENT_KEY_PREFIX } from '../../shared/adapters/aws/dynamo-table.ts';
import { allows, actionsOf, logicalIdIn, roleOfFunction, roleStatements, synthesize, type Json, type Resource, type Synthesized } from './template-helpers.ts';
import { STATE_NAMES } from '../../cdk/lib/workflow.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 120_000);

function enquiryTable(resources: Record<string, Resource>): [string, Resource] {
  const found = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' && id.includes('Enquiries'));
  if (!found) throw new Error('no Enquiries table in the template');
  return found;
}

function functionOf(resources: Record<string, Resource>, folder: string): Resource {
  const fn = Object.values(resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && (r.Properties?.['Environment'] as { Variables?: Record<string, Json> } | undefined)?.Variables?.['POWERTOOLS_SERVICE_NAME'] === folder,
  );
  if (!fn) throw new Error(`no function ${folder}`);
  return fn;
}

/** Statements of a function's role that name the resource (by logical id). */
function statementsOn(folder: string, resourceId: string) {
  const role = roleOfFunction(synth.resources, folder);
  return roleStatements(synth.resources)
    .filter((s) => s.roles.includes(role) && s.statement.Effect === 'Allow' && JSON.stringify(s.statement.Resource).includes(`"${resourceId}"`))
    .map((s) => s.statement);
}

const leadingKeys = (statement: { Condition?: Record<string, Record<string, Json>> }) => statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];

describe('incident grouping (GroupIncident)', () => {
  it('may read the enquiry and put/update incident items only (LeadingKeys INCIDENT*), with the key to encrypt', () => {
    const [tableId, table] = enquiryTable(synth.resources);
    const statements = statementsOn('group-incident', tableId);
    const unconditioned = statements.filter((s) => !leadingKeys(s)).flatMap(actionsOf);
    // The enquiry: read only (it never writes an enquiry).
    expect(allows(unconditioned, 'dynamodb:GetItem')).toBe(true);
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Scan', 'dynamodb:BatchWriteItem']) {
      expect(allows(unconditioned, action), action).toBe(false);
    }
    // Incident items: the transaction's Put and Update, on keys starting INCIDENT only.
    const incident = statements.filter((s) => leadingKeys(s));
    expect(incident).toHaveLength(1);
    expect(leadingKeys(incident[0]!)).toEqual([`${INCIDENT_KEY_PREFIX}*`]);
    const incidentActions = actionsOf(incident[0]!);
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']) expect(allows(incidentActions, action), action).toBe(true);
    expect(allows(incidentActions, 'dynamodb:DeleteItem')).toBe(false);
    const keyId = logicalIdIn((table.Properties?.['Replicas'] as { SSESpecification?: { KMSMasterKeyId?: Json } }[])[0]?.SSESpecification?.KMSMasterKeyId);
    expect(keyId).toBeDefined();
    const keyActions = statementsOn('group-incident', keyId!).flatMap(actionsOf);
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt']) expect(allows(keyActions, action), action).toBe(true);
  });

  it('gets no restricted data (raw contact, task tokens) and names its table in the environment', () => {
    const restricted = Object.entries(synth.resources).find(([id, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' && id.includes('Restricted'));
    expect(restricted).toBeDefined();
    expect(statementsOn('group-incident', restricted![0])).toEqual([]);
    const variables = (functionOf(synth.resources, 'group-incident').Properties?.['Environment'] as { Variables: Record<string, Json> }).Variables;
    expect(logicalIdIn(variables['ENQUIRY_TABLE_NAME'])).toBe(enquiryTable(synth.resources)[0]);
    expect(variables['RESTRICTED_TABLE_NAME']).toBeUndefined();
  });

  it('runs after ClassifyTopic and before DraftReply; a failure after retries goes on to drafting, not to agents by hand', () => {
    const [, machine] = Object.entries(synth.resources).find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')!;
    const definition = JSON.stringify(machine.Properties?.['DefinitionString']);
    const unescaped = definition.replaceAll('\\"', '"');
    expect(unescaped).toContain(`"${STATE_NAMES.classify}":{"Next":"${STATE_NAMES.groupIncident}"`);
    expect(unescaped).toMatch(new RegExp(`"${STATE_NAMES.groupIncident}":\\{"Next":"${STATE_NAMES.draft}"`));
    expect(unescaped).toMatch(/"Catch":\[\{"ErrorEquals":\["States.ALL"\],"ResultPath":"\$.groupingFailure","Next":"DraftReply"\}\]/);
    // The state machine may invoke the function.
    const groupFn = Object.entries(synth.resources).find(([, r]) => r === functionOf(synth.resources, 'group-incident'))![0];
    const machineRole = logicalIdIn(machine.Properties?.['RoleArn']);
    const invoke = roleStatements(synth.resources).filter((s) => s.roles.includes(machineRole!) && JSON.stringify(s.statement.Resource).includes(`"${groupFn}"`));
    expect(invoke.flatMap((s) => actionsOf(s.statement))).toContain('lambda:InvokeFunction');
  });
});

describe('incident readers', () => {
  it('lets the review API and the topic report query the status index for INCIDENTS#open (LeadingKeys INCIDENT*); only the review API writes (closing)', () => {
    const [tableId] = enquiryTable(synth.resources);
    for (const [folder, writes] of [['review-api', true], ['topic-report', false]] as const) {
      const incident = statementsOn(folder, tableId).filter((s) => leadingKeys(s));
      expect(incident, folder).toHaveLength(1);
      const statement = incident[0]!;
      expect(JSON.stringify(statement.Resource), folder).toContain(`/index/${ENQUIRY_TABLE_KEYS.statusIndex.name}`);
      const actions = actionsOf(statement);
      expect(allows(actions, 'dynamodb:Query'), folder).toBe(true);
      expect(allows(actions, 'dynamodb:UpdateItem'), folder).toBe(writes);
      const variables = (functionOf(synth.resources, folder).Properties?.['Environment'] as { Variables: Record<string, Json> }).Variables;
      expect(logicalIdIn(variables['ENQUIRY_TABLE_NAME']), folder).toBe(tableId);
    }
    // The topic report reads no enquiries: every grant it has on the Enquiry table is limited to incident items.
    expect(statementsOn('topic-report', tableId).every((s) => leadingKeys(s))).toBe(true);
  });

  it('routes the incident endpoints through the JWT authorizer', () => {
    const routes = Object.values(synth.resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    const keys = routes.map((r) => r.Properties?.['RouteKey']);
    for (const key of ['GET /incidents', 'POST /incidents/{id}/apply', 'POST /incidents/{id}/close']) {
      const route = routes.find((r) => r.Properties?.['RouteKey'] === key);
      expect(route, `${key} in ${JSON.stringify(keys)}`).toBeDefined();
      expect(route!.Properties).toMatchObject({ AuthorizationType: 'JWT' });
    }
  });
});
