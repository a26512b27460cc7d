import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultKnowledgeDir, FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { readPublicContactNumbers } from '../../shared/adapters/in-process/public-hotlines.ts';
import { readTopicNames } from '../../shared/adapters/in-process/topic-names.ts';
import { topicNamesFrom } from '../../shared/adapters/in-process/knowledge-views.ts';
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
    const inputs = await bundleInputs('redact');
    expect(inputs).toContain('shared/adapters/in-process/public-hotlines.ts');
    expect(inputs.filter((input) => /opencc-js|file-knowledge-base|knowledge-article|templates\.ts/.test(input))).toEqual([]);
  });
});

// Topic names for the topic-report Lambda are read the same way: only the fields it needs.
describe('topic names for reports', () => {
  it('are exactly the names the full knowledge base gives', async () => {
    const names = await readTopicNames();
    expect(names).toEqual(topicNamesFrom(await FileKnowledgeBase.load()));
    expect(names['water_bill']).toEqual({ en: 'water bill', zhHant: '水費單' });
  });

  it('need only id, topic and topicName, and take each topic’s first article by id', async () => {
    const name = (en: string) => ({ en, 'zh-Hant': `${en}（中）` });
    const dir = knowledgeDirWith({
      'a.json': [
        { id: 'KB-WATER-BILL-02', topic: 'water_bill', topicName: name('second') },
        { id: 'KB-WATER-BILL-01', topic: 'water_bill', topicName: name('first'), body: 'anything' },
      ],
    });
    expect(await readTopicNames(dir)).toEqual({ water_bill: { en: 'first', zhHant: 'first（中）' } });
  });

  it('name the file and field of a malformed name, every bad file at once', async () => {
    const dir = knowledgeDirWith({
      'a.json': [{ id: 'KB-WATER-BILL-01', topic: 'water_bill', topicName: { en: ' ', 'zh-Hant': '水費單' } }],
      'b.json': [{ id: 'KB-ROAD-DAMAGE-01', topic: 'no_such_topic', topicName: { en: 'road', 'zh-Hant': '路' } }],
    });
    const problems = await problemsOf(readTopicNames(dir));
    expect(problems.map((p) => p.field)).toEqual(['articles/a.json:0.topicName.en', 'articles/b.json:0.topic']);
    expect(problems[0]?.problem).toBe('English text is required');
  });

  it('keep the topic-report Lambda free of the validated knowledge base', async () => {
    const inputs = await bundleInputs('topic-report');
    expect(inputs).toContain('shared/adapters/in-process/topic-names.ts');
    expect(inputs.filter((input) => /file-knowledge-base|knowledge-index|retrieval/.test(input))).toEqual([]);
  });
});

/** The repo files and packages a function's bundle is built from (as CDK bundles it, minus minification). */
async function bundleInputs(fn: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'functions', fn, 'handler.ts')],
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
  return Object.keys(result.metafile.inputs);
}
