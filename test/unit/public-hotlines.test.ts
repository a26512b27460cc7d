import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultKnowledgeDir, FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { readPublicContactNumbers } from '../../shared/adapters/in-process/public-hotlines.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { scratchDir } from '../scratch-dir.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A knowledge dir holding only the given article files (file name → parsed content or raw text). */
function knowledgeDirWith(files: Record<string, unknown>): string {
  const dir = scratchDir('hotlines-');
  mkdirSync(join(dir, 'articles'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, 'articles', name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

const waterBill = (): Record<string, unknown>[] => JSON.parse(readFileSync(join(defaultKnowledgeDir(), 'articles', 'water_bill.json'), 'utf8')) as Record<string, unknown>[];

async function problemsOf(promise: Promise<unknown>): Promise<ValidationError['problems']> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).problems;
}

describe('public hotline numbers for the redactor', () => {
  it('are exactly the numbers the full knowledge base gives, 1823 included', async () => {
    const numbers = await readPublicContactNumbers();
    expect(numbers).toEqual((await FileKnowledgeBase.load()).publicContactNumbers());
    expect(numbers).toEqual(expect.arrayContaining(['1823', '2868 0000', '2824 5000']));
  });

  it('need only the hotline field of each article', async () => {
    const dir = knowledgeDirWith({ 'a.json': [{ hotline: '2868 0000' }, { hotline: '187 8022' }], 'b.json': [{ hotline: '2868 0000', body: 'anything' }] });
    expect(await readPublicContactNumbers(dir)).toEqual(['1823', '187 8022', '2868 0000']);
  });

  it('name the file and field of a malformed hotline', async () => {
    const [first, ...rest] = waterBill();
    const dir = knowledgeDirWith({ 'road_damage.json': [{ hotline: '2926 4111' }], 'water_bill.json': [...rest, { ...first, hotline: '+852 2824 5000' }] });
    const problems = await problemsOf(readPublicContactNumbers(dir));
    expect(problems).toEqual([{ field: `articles/water_bill.json:${rest.length}.hotline`, problem: 'must be a Hong Kong number such as "2868 0000" or "1823"' }]);
  });

  it('name the file and field of a missing hotline, every bad file at once', async () => {
    const dir = knowledgeDirWith({ 'a.json': [{ hotline: '1823' }, { title: 'no number' }], 'b.json': { hotline: '2868 0000' } });
    await expect(readPublicContactNumbers(dir)).rejects.toThrow('articles/a.json:1.hotline: is required; articles/b.json:(message): must be an array');
  });

  it('name a file that is not JSON', async () => {
    const dir = knowledgeDirWith({ 'a.json': '[{"hotline": "1823",]' });
    const problems = await problemsOf(readPublicContactNumbers(dir));
    expect(problems).toEqual([{ field: 'articles/a.json', problem: expect.stringMatching(/^is not valid JSON/) as string }]);
  });

  it('keep the redact Lambda free of the full knowledge base and OpenCC', async () => {
    const result = await build({
      entryPoints: [join(REPO_ROOT, 'functions/redact/handler.ts')],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      external: ['@aws-sdk/*'],
      mainFields: ['module', 'main'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('shared/adapters/in-process/public-hotlines.ts');
    expect(inputs.filter((input) => /opencc-js|file-knowledge-base|knowledge-article|templates\.ts/.test(input))).toEqual([]);
  });
});
