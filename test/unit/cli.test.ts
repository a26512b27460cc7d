import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../scratch-dir.ts';

const cli = (args: string[], input?: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '..', '..'),
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });

/** A labelled set with labels the taxonomy has never seen: the CLI must train on whatever it is given. */
function generatedSet(seed: number, perLabel: number): string {
  const labels = { billing: ['invoice', 'charge', 'refund', 'payment'], delivery: ['parcel', 'courier', 'late', 'tracking'], account: ['password', 'login', 'locked', 'email'], oos: ['weather', 'joke', 'football', 'recipe'] };
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines: string[] = [];
  for (const [label, words] of Object.entries(labels)) {
    for (let i = 0; i < perLabel; i += 1) {
      const pick = () => words[Math.floor(next() * words.length)]!;
      lines.push(JSON.stringify({ text: `about my ${pick()} and the ${pick()} ${i}`, label }));
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('operator CLI', () => {
  it('eval trains on any JSONL set and reports accuracy, macro-F1, out-of-scope figures and latency', () => {
    const dir = scratchDir('assist-eval-');
    writeFileSync(join(dir, 'train.jsonl'), generatedSet(1, 40));
    writeFileSync(join(dir, 'test.jsonl'), generatedSet(2, 10));
    const report = JSON.parse(cli(['eval', '--train', join(dir, 'train.jsonl'), '--test', join(dir, 'test.jsonl'), '--oos-label', 'oos', '--json'])) as Record<string, number>;
    expect(report['labels']).toBe(4);
    expect(report['testExamples']).toBe(40);
    expect(report['accuracy']).toBeGreaterThan(0.9);
    expect(report).toHaveProperty('macroF1');
    expect(report).toHaveProperty('oosRecall');
    expect(report['latencyP99Ms']).toBeGreaterThan(0);
    const text = cli(['eval', '--train', join(dir, 'train.jsonl'), '--test', join(dir, 'test.jsonl')]);
    expect(text).toMatch(/accuracy \d+\.\d%/);
  });

  it('classify answers one JSON result per input line, and redact --json gives spans without values', () => {
    const results = cli(['classify'], '觀塘道爆咗水管，成條街水浸\nThe street light outside my block is broken\n').trim().split('\n').map((l) => JSON.parse(l) as { topic: string });
    expect(results.map((r) => r.topic)).toEqual(['water_main_burst', 'street_light_fault']);
    const redacted = JSON.parse(cli(['redact', '--json'], '我叫陳大文，電話 9123 4567')) as { text: string; entities: object[] };
    expect(redacted.text).toBe('我叫[NAME]，電話 [PHONE]');
    expect(JSON.stringify(redacted.entities)).not.toContain('9123');
  });
});

describe('operator CLI: retraining and model versions', () => {
  const both = (args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', 'local/cli.ts', ...args], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' } }) };
    } catch (error) {
      const e = error as { status: number; stdout: string; stderr: string };
      return { code: e.status, out: `${e.stdout}${e.stderr}` };
    }
  };

  it('retrain without a local store or examples says so and keeps the shipped model', () => {
    const dir = scratchDir('assist-retrain-cli-');
    const { code, out } = both(['retrain', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(out).toContain('not retrained: 0 new agent-labelled enquiries to hold out; at least 5 are needed');
    expect(out).toContain('shipped keeps serving');
  }, 60_000);

  it('model list | promote <version> | rollback move the promoted pointer under the data dir', async () => {
    const dir = scratchDir('assist-models-cli-');
    const { layerTrainer } = await import('../../shared/adapters/in-process/local-topic-classifier.ts');
    const { FileTopicModelStore } = await import('../../local/stand-ins/file-retraining-stores.ts');
    const { layerDigest } = await layerTrainer();
    const figures = { topicAccuracy: 0.94, departmentAccuracy: 0.96, confidentWrong: 0.005 };
    await new FileTopicModelStore(dir).create(
      { version: 'v0001', layerDigest, model: { topics: {} } },
      {
        version: 'v0001', createdAt: '2026-11-29T19:00:00.000Z', layerDigest, knowledgeExamples: 5806, agentExamples: 24, agentCorrections: 21, trainedThrough: '2026-11-25T00:00:00.000Z', comparedWith: 'shipped',
        gold: { examples: 385, current: figures, candidate: figures }, heldOut: { examples: 6, currentCorrect: 0, candidateCorrect: 6, fixed: 6, broken: 0 }, gate: { promote: true, reasons: [], pValue: 0.016 },
      },
    );
    expect(both(['model', 'promote', 'v0001', '--data-dir', dir, '--reason', 'weekly review'])).toEqual({ code: 0, out: 'serving: v0001 (was shipped)\n' });
    const list = both(['model', 'list', '--data-dir', dir]).out;
    expect(list).toContain('serving: v0001');
    expect(list).toMatch(/\* v0001 .* trained on 5806 \+ 24 agent examples \(21 corrections\) .* held-out 0→6\/6 vs shipped {2}gate: passed/);
    expect(list).toContain('operator:cli promote shipped → v0001: weekly review');
    expect(both(['model', 'rollback', '--data-dir', dir])).toEqual({ code: 0, out: 'serving: shipped (was v0001)\n' });
    expect(both(['model', 'rollback', '--data-dir', dir])).toMatchObject({ code: 1, out: expect.stringContaining('nothing to roll back') });
    expect(both(['model', 'promote', 'v0009', '--data-dir', dir])).toMatchObject({ code: 1, out: expect.stringContaining('model v0009 is not stored') });
  }, 60_000);

  it('privacy refuses a malformed number naming the field, and an unknown action with its usage', () => {
    const run = (args: string[]) => {
      try {
        cli(args);
        return { status: 0, stderr: '' };
      } catch (error) {
        const failure = error as { status: number; stderr: string };
        return { status: failure.status, stderr: failure.stderr };
      }
    };
    const bad = run(['privacy', 'export', '--number', '9123 4567']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('number: must be an E.164 phone number');
    const unknown = run(['privacy', 'forget', '--number', '+85291234567']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown privacy action "forget"');
  });
});
