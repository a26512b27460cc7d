/**
 * Personal data lifecycle on AWS, asserted on the synthesized template: DynamoDB TTL on the attribute the
 * code writes, S3 lifecycle from the same retention periods, the keyed-hash (HMAC) key and who may use it,
 * and the privacy API's grants. Each test fails if AWS would keep data longer or refuse a path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENQUIRY_TABLE_KEYS } from '../../shared/adapters/aws/dynamo-table.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION } from '../../shared/domain/retention.ts';
import { STAFF_GROUPS } from '../../shared/vocabulary/staff-groups.ts';
import { actionsOf, allows, logicalIdIn, roleOfFunction, roleStatements, synthesize, type Json, type Resource, type Synthesized } from './template-helpers.ts';

let dev: Synthesized;
beforeAll(() => {
  dev = synthesize();
});

const ofType = (type: string) => Object.entries(dev.resources).filter(([, r]) => r.Type === type);
const tableWhose = (predicate: (t: Resource) => boolean) => ofType('AWS::DynamoDB::GlobalTable').find(([, t]) => predicate(t))!;
const enquiryTable = () => tableWhose((t) => JSON.stringify(t.Properties?.['GlobalSecondaryIndexes'] ?? []).includes('gsi1'));
const restrictedTable = () => tableWhose((t) => JSON.stringify(t.Properties?.['KeySchema']) === JSON.stringify([{ AttributeName: 'pk', KeyType: 'HASH' }]));
const smsTable = (): [string, Resource] => {
  const id = logicalIdIn(functionEnv('send-sms')['SMS_TABLE_NAME'])!;
  return [id, dev.resources[id]!];
};

const statementsOfRole = (folder: string) => {
  const role = roleOfFunction(dev.resources, folder);
  return roleStatements(dev.resources).filter((s) => s.roles.includes(role) && s.statement.Effect === 'Allow').map((s) => s.statement);
};
const callerHashKeyId = () => ofType('AWS::KMS::Key').find(([, k]) => k.Properties?.['KeySpec'] === 'HMAC_256')![0];
const functionEnv = (folder: string) =>
  (ofType('AWS::Lambda::Function').find(([, f]) => (f.Properties?.['Environment'] as { Variables?: Record<string, Json> })?.Variables?.['POWERTOOLS_SERVICE_NAME'] === folder)![1].Properties?.['Environment'] as {
    Variables: Record<string, Json>;
  }).Variables;

describe('retention enforced by DynamoDB TTL and S3 lifecycle', () => {
  it('expires items of the Enquiry, restricted and SMS control tables on the attribute the code writes', () => {
    for (const [name, [id, table]] of [['enquiries', enquiryTable()], ['restricted', restrictedTable()], ['sms control', smsTable()]] as const) {
      expect(table.Properties?.['TimeToLiveSpecification'], `${name} (${id})`).toEqual({ AttributeName: EXPIRES_AT_ATTRIBUTE, Enabled: true });
    }
  });

  it('deletes voicemail audio and Transcribe output after the raw-object period (never longer than the contact record)', () => {
    const lifecycles = ofType('AWS::S3::Bucket')
      .filter(([id]) => /Voicemail|Transcripts/.test(id))
      .map(([id, b]) => [id, ((b.Properties?.['LifecycleConfiguration'] as { Rules: { ExpirationInDays?: number; Prefix?: string }[] }).Rules.find((r) => r.ExpirationInDays !== undefined && r.Prefix === undefined))?.ExpirationInDays]);
    expect(lifecycles).toHaveLength(2);
    for (const [id, days] of lifecycles) expect(days, String(id)).toBe(RETENTION.rawObjectsDays);
    expect(RETENTION.rawObjectsDays).toBeLessThanOrEqual(RETENTION.rawContactDaysAfterSettled);
  });

  it('lets record-outcome and send-sms, which settle enquiries, set expiresAt on CONTACT items and nothing else there', () => {
    const [restrictedId] = restrictedTable();
    for (const folder of ['record-outcome', 'send-sms']) {
      const updates = statementsOfRole(folder).filter((s) => JSON.stringify(s.Resource).includes(`"${restrictedId}"`) && allows(actionsOf(s), 'dynamodb:UpdateItem'));
      expect(updates, folder).toHaveLength(1);
      expect(updates[0]!.Condition, folder).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONTACT#*'] },
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', EXPIRES_AT_ATTRIBUTE] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
      });
      expect(functionEnv(folder)['RESTRICTED_TABLE_NAME'], folder).toBeDefined();
    }
    // record-outcome reads nothing in the restricted table.
    expect(statementsOfRole('record-outcome').filter((s) => JSON.stringify(s.Resource).includes(`"${restrictedId}"`)).flatMap(actionsOf)).toEqual(['dynamodb:UpdateItem']);
  });
});

describe('keyed hash of callers\' numbers (caller index, opt-outs)', () => {
  it('indexes enquiries by the hash only: a keys-only index on callerHash', () => {
    const [, table] = enquiryTable();
    const index = (table.Properties?.['GlobalSecondaryIndexes'] as { IndexName: string; KeySchema: Json; Projection: Json }[]).find((i) => i.IndexName === ENQUIRY_TABLE_KEYS.callerIndex.name);
    expect(index).toEqual({
      IndexName: ENQUIRY_TABLE_KEYS.callerIndex.name,
      KeySchema: [{ AttributeName: ENQUIRY_TABLE_KEYS.callerIndex.partitionKey, KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    });
  });

  it('hashes with an HMAC_256 KMS key that only intake, send-sms, sms-inbound and the privacy API may use, for GenerateMac only', () => {
    const keyId = callerHashKeyId();
    expect(dev.resources[keyId]!.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const users = roleStatements(dev.resources).filter(({ statement }) => JSON.stringify(statement.Resource).includes(`"${keyId}"`));
    expect(users.flatMap(({ statement }) => actionsOf(statement)).every((a) => a === 'kms:GenerateMac')).toBe(true);
    const expected = ['intake', 'send-sms', 'sms-inbound', 'privacy-api'];
    expect(users.flatMap(({ roles }) => roles).sort()).toEqual(expected.map((f) => roleOfFunction(dev.resources, f)).sort());
    for (const folder of expected) expect(logicalIdIn(functionEnv(folder)['CALLER_HASH_KEY_ID']), folder).toBe(keyId);
    // The review API (agents, supervisors) cannot compute a caller's hash.
    expect(functionEnv('review-api')['CALLER_HASH_KEY_ID']).toBeUndefined();
  });
});

describe('privacy API (data access and erasure requests)', () => {
  it('defines the privacy group beside agent and supervisor', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.['GroupName']);
    expect(groups.sort()).toEqual([...STAFF_GROUPS].sort());
  });

  it('routes POST /privacy/exports and /privacy/erasures, behind the Cognito authorizer, to the privacy function alone', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
    const privacyRoutes = routes.filter((r) => String(r['RouteKey']).includes('/privacy'));
    expect(privacyRoutes.map((r) => r['RouteKey']).sort()).toEqual(['POST /privacy/erasures', 'POST /privacy/exports']);
    const integrationOf = (route: Record<string, Json>) => logicalIdIn((route['Target'] as { 'Fn::Join': [string, Json[]] })['Fn::Join'][1][1]);
    const integrations = new Set(privacyRoutes.map(integrationOf));
    expect(integrations.size).toBe(1);
    const integration = dev.resources[[...integrations][0]!]!;
    const privacyFn = ofType('AWS::Lambda::Function').find(([, f]) => (f.Properties?.['Environment'] as { Variables?: Record<string, Json> })?.Variables?.['POWERTOOLS_SERVICE_NAME'] === 'privacy-api')![0];
    expect(logicalIdIn(integration.Properties?.['IntegrationUri'])).toBe(privacyFn);
    for (const route of privacyRoutes) expect(route['AuthorizationType']).toBe('JWT');
    // No review route reaches the privacy function.
    for (const route of routes.filter((r) => !String(r['RouteKey']).includes('/privacy'))) expect(integrations.has(integrationOf(route))).toBe(false);
  });

  it('grants the privacy function exactly: items and the caller index of the Enquiry table, CONTACT items, both keys; no task tokens, no resume, no Scan or DeleteItem', () => {
    const [enquiryId] = enquiryTable();
    const [restrictedId] = restrictedTable();
    const statements = statementsOfRole('privacy-api');
    const onEnquiries = statements.filter((s) => JSON.stringify(s.Resource).includes(`"${enquiryId}"`));
    const queryOnly = onEnquiries.filter((s) => actionsOf(s).includes('dynamodb:Query'));
    expect(queryOnly).toHaveLength(1);
    expect(JSON.stringify(queryOnly[0]!.Resource)).toContain(`/index/${ENQUIRY_TABLE_KEYS.callerIndex.name}`);
    expect(JSON.stringify(queryOnly[0]!.Resource)).not.toContain('/index/*');
    expect(onEnquiries.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    const onRestricted = statements.filter((s) => JSON.stringify(s.Resource).includes(`"${restrictedId}"`));
    for (const s of onRestricted) expect(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']).toEqual(['CONTACT#*']);
    expect(onRestricted.flatMap(actionsOf).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const all = statements.flatMap(actionsOf);
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'states:SendTaskSuccess', 'kms:VerifyMac']) expect(allows(all, action), action).toBe(false);
    const restrictedKeyId = logicalIdIn((restrictedTable()[1].Properties?.['Replicas'] as { SSESpecification?: { KMSMasterKeyId?: Json } }[])[0]?.SSESpecification?.KMSMasterKeyId)!;
    const keyActions = statements.filter((s) => JSON.stringify(s.Resource).includes(`"${restrictedKeyId}"`)).flatMap(actionsOf);
    expect(allows(keyActions, 'kms:Decrypt') && allows(keyActions, 'kms:GenerateDataKey')).toBe(true);
    expect(functionEnv('privacy-api')).toMatchObject({ ENQUIRY_TABLE_NAME: expect.anything(), RESTRICTED_TABLE_NAME: expect.anything(), CALLER_HASH_KEY_ID: expect.anything() });
  });
});
