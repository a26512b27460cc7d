/*
 * Report counters on AWS: what RecordOutcome's TransactWriteItems (a conditional Put of the counted
 * marker + an Update of the hour counter) needs from IAM and KMS, the markers' TTL, and read-only access
 * for the readers. Synthesized from the real stack: each check fails if AWS would refuse the write.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNTER_TABLE_KEYS } from '../../shared/adapters/aws/counter-table.ts';
import { actionsOf, allows, logicalIdIn, roleOfFunction, roleStatements, synthesize, type Json, type Resource, type Synthesized } from './template-helpers.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 120_000);

function countersTable(resources: Record<string, Resource>): [string, Resource] {
  const found = Object.entries(resources).find(([id, r]) => r.Type === 'AWS::DynamoDB::GlobalTable' && id.startsWith('ReportsCounters'));
  if (!found) throw new Error('no ReportsCounters table in the template');
  return found;
}

function grantsOn(resources: Record<string, Resource>, folder: string, resourceId: string): string[] {
  const role = roleOfFunction(resources, folder);
  return roleStatements(resources)
    .filter((s) => s.roles.includes(role) && s.statement.Effect === 'Allow' && JSON.stringify(s.statement.Resource).includes(`"${resourceId}"`))
    .flatMap((s) => actionsOf(s.statement));
}

describe('report counters table', () => {
  it('expires counted markers by the TTL attribute the adapter writes', () => {
    const [, table] = countersTable(synth.resources);
    expect(table.Properties?.['TimeToLiveSpecification']).toEqual({ AttributeName: COUNTER_TABLE_KEYS.ttlAttribute, Enabled: true });
    expect(table.Properties?.['KeySchema']).toEqual([
      { AttributeName: COUNTER_TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: COUNTER_TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('lets RecordOutcome run its TransactWriteItems (Put + Update on the counters table, key to encrypt) and nothing more', () => {
    const [tableId, table] = countersTable(synth.resources);
    const actions = grantsOn(synth.resources, 'record-outcome', tableId);
    expect(allows(actions, 'dynamodb:PutItem')).toBe(true);
    expect(allows(actions, 'dynamodb:UpdateItem')).toBe(true);
    for (const action of ['dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query', 'dynamodb:GetItem']) {
      expect(allows(actions, action), action).toBe(false);
    }
    const keyId = logicalIdIn((table.Properties?.['Replicas'] as { SSESpecification?: { KMSMasterKeyId?: Json } }[])[0]?.SSESpecification?.KMSMasterKeyId);
    expect(keyId).toBeDefined();
    const keyActions = grantsOn(synth.resources, 'record-outcome', keyId!);
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt']) expect(allows(keyActions, action), action).toBe(true);
  });

  it('gives the report readers (topic-report, review-api) no write to the counters', () => {
    const [tableId] = countersTable(synth.resources);
    for (const folder of ['topic-report', 'review-api']) {
      const actions = grantsOn(synth.resources, folder, tableId);
      expect(allows(actions, 'dynamodb:Query'), folder).toBe(true);
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) expect(allows(actions, action), `${folder} ${action}`).toBe(false);
    }
  });
});
