import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';

// Log everything the functions can log: the assertion must hold at the most verbose level.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_DEV = 'false';

/** Raw personal data present in the sample events and recorded transcripts. */
const RAW_VALUES = [
  '9123 4567', '91234567', '+85291234567', // written-en-noise
  'Peter Wong', 'peter.wong@example.com', // written-en-streetlight
  '6123 4567', '61234567', // written-zhhk-hygiene
  '96543210', 'li.ming@example.cn', '13812345678', 'zhang.wei@example.cn', '51234567',
  '91112222', '九一一一 二二二二', '我姓黃', // voicemail-zhhk-exhaust-fan
  '93334444', '95556666', 'nine five five five six six six six', // voicemail-en-road
  'Mary Chan', 'A123456(3)', '97778888', // voicemail-en-hkid
  '13900001111', '90001111',
];

let captured = '';
let stack: LocalStack;
const restores: (() => void)[] = [];

beforeAll(async () => {
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
  const { startHarness, intakeUntil } = await import('./harness.ts');
  stack = await startHarness();
  await intakeUntil(
    stack,
    loadSamples().map((s) => s.body),
  );
});

afterAll(async () => {
  for (const restore of restores) restore();
  await stack?.close();
});

describe('logs of a run over PII-laden samples', () => {
  it('were produced (the capture works)', () => {
    expect(captured).toContain('enquiry accepted');
    expect(captured).toContain('personal data redacted');
  });

  it('contain none of the raw personal data', () => {
    const leaked = RAW_VALUES.filter((value) => captured.includes(value));
    expect(leaked).toEqual([]);
  });

  it('contain no task tokens (they resume executions, so they are secrets)', () => {
    expect(captured).not.toMatch(/local:(StartTranscription|AwaitAgentReview):/);
    expect(captured).not.toContain('taskToken');
  });

  it('left the redacted text free of it as well', async () => {
    const texts = await Promise.all(stack.runtime.allExecutions().map(async (e) => (await stack.store.get(e.name))?.redactedText ?? ''));
    const leaked = RAW_VALUES.filter((value) => texts.some((text) => text.includes(value)));
    expect(leaked).toEqual([]);
  });
});
