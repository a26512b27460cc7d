/*
 * No personal data in stored examples, model files or logs of retraining. An enquiry full of personal data
 * goes through the synthesized state machine, an agent corrects its topic and approves; the retrain run
 * (the retrain Lambda's handle, at DEBUG) collects it from EnquiryStore.decidedSince. To show the second
 * redaction pass is what keeps personal data out, 24 more decided enquiries arrive as if the first pass had
 * missed it (raw name, phone, HKID, email in their "redacted" text) and all are trained on.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import type { DecidedEnquiry } from '../../shared/ports/enquiry-store.ts';
import { TOPIC_MODEL_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';

// Log everything the retrain function can log: the assertion must hold at the most verbose level.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_DEV = 'false';

const NAME = 'Zebedee Quigglesworth';
const RAW_VALUES = [NAME, 'Zebedee', 'Quigglesworth', '9876 5432', '98765432', 'A123456(3)', 'A1234563', 'zq.velo77@quiggle-mail.com', 'quiggle-mail', '6234 5678', '62345678'];
/** What a model's vocabulary would hold of them (lower-cased words and their stems). */
const RAW_TOKENS = ['zebedee', 'quigglesworth', 'quiggl', 'velo77', 'a123456', '98765432', '62345678'];

const ENQUIRY = `Velocipedes have been chained to the railings outside my block in Tai Wai for months, all rusty. My name is ${NAME}, call me on 9876 5432, HKID A123456(3), email zq.velo77@quiggle-mail.com.`;

let captured = '';
const restores: (() => void)[] = [];
let stack: LocalStack;
let scratch: string;
let result: Record<string, unknown>;

/** A copy of the layer with 4 examples per file (trains in seconds); no shipped model, so it trains at load. */
async function smallLayer(): Promise<string> {
  const { KNOWLEDGE_DIR } = await import('../../local/paths.ts');
  const dir = join(scratch, 'layer');
  await cp(KNOWLEDGE_DIR, dir, { recursive: true });
  for (const file of await readdir(join(dir, 'examples'))) {
    const lines = (await readFile(join(dir, 'examples', file), 'utf8')).split('\n').filter(Boolean);
    await writeFile(join(dir, 'examples', file), `${lines.slice(0, 4).join('\n')}\n`);
  }
  await rm(join(dir, TOPIC_MODEL_FILE));
  return dir;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'assist-retrain-pii-'));
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...args: unknown[]) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return write(chunk, ...(args as []));
    }) as typeof stream.write;
    restores.push(() => (stream.write = write));
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      captured += `${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`;
    };
    restores.push(() => (console[method] = original));
  }
  const { startHarness, intakeUntil, apiEvent } = await import('./harness.ts');
  const { afternoon, writtenMessage, quiescent } = await import('./fault-helpers.ts');
  stack = await startHarness({ clock: afternoon });
  const [enquiry] = await intakeUntil(stack, [writtenMessage('velocipedes-1', ENQUIRY, { contact: { phone: '+85298765432', email: 'zq.velo77@quiggle-mail.com' } })]);
  if (enquiry?.status !== 'awaiting_review') throw new Error(`enquiry is ${enquiry?.status}`);
  const topic = enquiry.topic?.topic === 'government_land_occupation' ? 'road_damage' : 'government_land_occupation';
  const corrected = await stack.reviewApi(apiEvent('POST /enquiries/{id}/topic', { id: enquiry.enquiryId, groups: ['agent'], body: { topic } }));
  const draftId = (JSON.parse(String(corrected.body)) as { enquiry: { draft: { draftId: string } } }).enquiry.draft.draftId;
  const decided = await stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id: enquiry.enquiryId, groups: ['agent'], body: { action: 'approve', sendSms: false, draftId } }));
  if (decided.statusCode !== 200) throw new Error(`decision: ${decided.statusCode} ${String(decided.body)}`);
  await quiescent(stack);

  // Decided enquiries whose stored text still held personal data (a first-pass miss), mixed with the real ones.
  const missed: DecidedEnquiry[] = Array.from({ length: 24 }, (_, i) => ({
    enquiryId: `missed-${i}`,
    decisionId: `dec-${i}`,
    decidedAt: new Date(Date.UTC(2026, 10, 1) + i * 12 * 3600_000).toISOString(),
    action: 'approve',
    language: 'en-US',
    redactedText: `${i % 2 ? 'Rusty velocipedes' : 'Old velocipedes'} left at the ${['pier', 'station', 'bus terminus', 'footbridge'][i % 4]} for ${i + 2} weeks. I am ${NAME}, phone 6234 5678, HKID A123456(3), zq.velo77@quiggle-mail.com`,
    aiTopic: 'road_damage',
    aiConfidence: 0.8,
    agentTopic: 'government_land_occupation',
    agentDepartment: 'LandsD',
    alsoInvolves: [],
    topicCorrected: true,
  }));
  const { handleRetrain } = await import('../../functions/retrain/handle.ts');
  const { FileLabelledExampleStore, FileTopicModelStore } = await import('../../local/stand-ins/file-retraining-stores.ts');
  const { layerTrainer, loadGoldSet } = await import('../../shared/adapters/in-process/local-topic-classifier.ts');
  const { createRedactor } = await import('../../shared/domain/redaction/index.ts');
  const layer = await smallLayer();
  const data = join(scratch, 'data');
  result = (await handleRetrain(
    { schedule: 'weekly' },
    {
      decided: {
        async *decidedSince(since: string) {
          yield* missed;
          yield* stack.store.decidedSince(since);
        },
      },
      examples: new FileLabelledExampleStore(data),
      models: new FileTopicModelStore(data),
      redactor: createRedactor(),
      trainer: await layerTrainer(layer),
      gold: await loadGoldSet(layer),
      clock: afternoon,
      actor: 'retrain:test',
    },
  )) as Record<string, unknown>;
}, 180_000);

afterAll(async () => {
  for (const restore of restores) restore();
  await stack?.close();
  await rm(scratch, { recursive: true, force: true });
});

const filesUnder = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('retraining on decided enquiries that held personal data', () => {
  it('collected the agent-corrected enquiry and trained a candidate on all 25', async () => {
    expect(result['outcome']).toMatch(/^(promoted|refused)$/);
    expect(captured).toContain('labelled examples collected');
    expect(captured).toContain('topic model candidate compared');
    expect(captured).toContain('the second redaction pass found personal data in redacted text');
    const examples = (await readFile((await filesUnder(join(scratch, 'data', 'examples')))[0] as string, 'utf8')).split('\n').filter(Boolean);
    expect(examples).toHaveLength(25);
    expect(examples.some((line) => line.includes('"enquiryId":"missed-'))).toBe(true);
    expect(examples.filter((line) => !line.includes('"enquiryId":"missed-'))).toEqual([expect.stringContaining('"topicCorrected":true')]);
  });

  it('stored examples hold placeholders, never the raw values', async () => {
    const stored = (await Promise.all((await filesUnder(join(scratch, 'data', 'examples'))).map((f) => readFile(f, 'utf8')))).join('\n');
    expect(RAW_VALUES.filter((value) => stored.includes(value))).toEqual([]);
    for (const placeholder of ['[NAME]', '[PHONE]', '[HKID]', '[EMAIL]']) expect(stored).toContain(placeholder);
  });

  it('model files hold none of it either, though the agents\' own words did reach the vocabulary', async () => {
    const files = await filesUnder(join(scratch, 'data', 'models'));
    expect(files.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(expect.arrayContaining(['v0001.card.json', 'v0001.json']));
    const model = (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
    expect(model.toLowerCase()).toContain('velociped'); // only the agents' examples use this word
    expect(RAW_VALUES.filter((value) => model.includes(value))).toEqual([]);
    expect(RAW_TOKENS.filter((token) => model.toLowerCase().includes(token))).toEqual([]);
  });

  it('logs hold none of it, and no example text', () => {
    expect(RAW_VALUES.filter((value) => captured.includes(value))).toEqual([]);
    expect(captured).not.toContain('velocipedes');
  });
});
