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
let callerHash = '';
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
  const { startHarness, intakeUntil, apiEvent, waitFor } = await import('./harness.ts');
  // 14:00 Hong Kong time, so follow-up SMS are sent rather than deferred.
  const clock = { now: () => new Date('2026-11-24T06:00:00Z') };
  // The review API's first SendTaskSuccess fails, so the 503-and-retry path logs too.
  let resumes = 0;
  stack = await startHarness({
    clock,
    reviewCallbacks: (runtime) => ({
      succeed: async (token, output) => {
        resumes += 1;
        if (resumes === 1) throw Object.assign(new Error('injected'), { name: 'ServiceUnavailable' });
        return runtime.succeed(token, output);
      },
      fail: (token, error, cause) => runtime.fail(token, error, cause),
    }),
  });
  const enquiries = await intakeUntil(
    stack,
    loadSamples().map((s) => s.body),
  );
  // Every other handler too: review API (list, detail, taxonomy, topic corrections with redrafts,
  // decisions with a failed resume and its retry), QueueSms, send-sms, RecordOutcome, inbound STOP, the
  // topic report and the backlog monitor, all at DEBUG.
  const awaiting = enquiries.filter((e) => e.status === 'awaiting_review');
  const decide = async (id: string, body: object) => {
    const response = await stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id, groups: ['agent'], body }));
    return response.statusCode === 503 ? stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id, groups: ['agent'], body })) : response;
  };
  await stack.reviewApi(apiEvent('GET /enquiries', { groups: ['agent'] }));
  await stack.reviewApi(apiEvent('GET /taxonomy', { groups: ['agent'] }));
  for (const [i, enquiry] of awaiting.entries()) {
    await stack.reviewApi(apiEvent('GET /enquiries/{id}', { id: enquiry.enquiryId, groups: ['agent'] }));
    const stored = await stack.store.get(enquiry.enquiryId);
    let draftId: string | undefined;
    if (i % 3 === 1) {
      // A correction (to another topic than the AI's) redrafts the reply and SMS for that topic.
      const topic = stored?.topic?.topic === 'road_damage' ? 'tree_risk' : 'road_damage';
      const corrected = await stack.reviewApi(apiEvent('POST /enquiries/{id}/topic', { id: enquiry.enquiryId, groups: ['agent'], body: { topic, alsoInvolves: ['TD'] } }));
      draftId = (JSON.parse(String(corrected.body)) as { enquiry: { draft: { draftId: string } } }).enquiry.draft.draftId;
    }
    await decide(enquiry.enquiryId, i % 3 === 2 ? { action: 'reject', reason: 'duplicate report' } : { action: 'approve', sendSms: Boolean(stored?.smsConsent), ...(draftId ? { draftId } : {}) });
  }
  await waitFor(
    async () => stack.runtime.allExecutions().filter((e) => e.status === 'RUNNING').length,
    (running) => running === 0,
  );
  await stack.processSmsOutbox();
  const { handleInboundSmsEvent } = await import('../../functions/sms-inbound/handle.ts');
  const stop = { originationNumber: '+85291234567', destinationNumber: '+85260001823', messageBody: 'STOP', inboundMessageId: 'in-1' };
  await handleInboundSmsEvent({ Records: [{ Sns: { MessageId: 'sns-1', Message: JSON.stringify(stop) } }] } as never, { optOuts: stack.optOuts, clock });
  const { handleTopicReport } = await import('../../functions/topic-report/handle.ts');
  const { InMemorySpikeNotifier } = await import('../../local/stand-ins/local-report-outputs.ts');
  await handleTopicReport({ from: '2026-11-24', to: '2026-11-24' }, { counters: stack.counters, store: { put: async () => undefined }, notifier: new InMemorySpikeNotifier(), clock });
  const { handleBacklogMonitor } = await import('../../functions/backlog-monitor/handle.ts');
  await handleBacklogMonitor({ store: stack.store, clock });
  // Callers' data requests: exports (JSON and HTML) and an erasure, answered by the privacy API.
  for (const number of ['+85291234567', '+85296543210']) {
    for (const format of ['json', 'html']) await stack.privacyApi(apiEvent('POST /privacy/exports', { groups: ['privacy'], sub: 'privacy-1', body: { number, format } }));
    await stack.privacyApi(apiEvent('POST /privacy/erasures', { groups: ['privacy'], sub: 'privacy-1', body: { number } }));
  }
  callerHash = await stack.callerHasher.hash('+85291234567');
  expect(stack.smsSent().length).toBeGreaterThan(0);
});

afterAll(async () => {
  for (const restore of restores) restore();
  await stack?.close();
});

describe('logs of a run over PII-laden samples', () => {
  it('were produced (the capture works)', () => {
    for (const message of [
      'enquiry accepted',
      'transcription job started',
      'transcription job ended',
      'personal data redacted',
      'enquiry classified',
      'reply drafted',
      'draft awaiting agent review',
      'agent decision recorded',
      'agent decision recorded but the workflow did not resume; the same decision can be retried',
      'topic confirmed by agent',
      'follow-up SMS queued',
      'SMS delivery handled',
      'outcome recorded',
      'enquiry handed to agents for manual handling',
      'inbound SMS handled',
      'topic report published',
      'review backlog measured',
      'privacy export',
      'privacy erasure',
    ]) {
      expect(captured, message).toContain(message);
    }
  });

  it('contain none of the raw personal data', () => {
    const leaked = RAW_VALUES.filter((value) => captured.includes(value));
    expect(leaked).toEqual([]);
  });

  it('contain no caller hash either (only the privacy audit record holds it)', () => {
    expect(callerHash).toMatch(/^[0-9a-f]{64}$/);
    expect(captured).not.toContain(callerHash);
  });

  it('contain no task tokens (they resume executions, so they are secrets)', () => {
    expect(captured).not.toMatch(/local:(StartTranscription|AwaitAgentReview):/);
    expect(captured).not.toContain('taskToken');
  });

  it('left the redacted text, drafts and audit trails (with replaced drafts) free of it as well', async () => {
    const texts = await Promise.all(
      stack.runtime.allExecutions().map(async (e) => {
        const enquiry = await stack.store.get(e.name);
        return [enquiry?.redactedText ?? '', enquiry?.draft?.text ?? '', enquiry?.draft?.smsText ?? '', JSON.stringify(await stack.store.auditTrail(e.name))].join('\n');
      }),
    );
    expect(texts.some((text) => text.includes('"previousDraft"'))).toBe(true);
    const leaked = RAW_VALUES.filter((value) => texts.some((text) => text.includes(value)));
    expect(leaked).toEqual([]);
  });
});
