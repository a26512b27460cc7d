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
