/*
 * Test-scale load through the local runtime: many enquiries in flight at once on the synthesized definition.
 * Counts in = counts out (every enquiry reaches awaiting_review, none lost, none duplicated); after every one
 * is approved through the review API, the report counters hold each exactly once, even though RecordOutcome
 * is made to crash after writing for every 7th enquiry (so the step is retried).
 *
 * Size: LOAD_ENQUIRIES (default 400). Measured on 2 cores, this file alone (CDK synth ~13 s included):
 *   400 enquiries: ~37 s (intake to all awaiting_review ~12 s, 400 decisions + settle ~8 s)
 *  1000 enquiries: ~77 s (intake to all awaiting_review ~32 s, 1000 decisions + settle ~30 s)
 * so the default is 400, to stay under ~60 s when npm test runs other files alongside; run
 * `LOAD_ENQUIRIES=1000 npx vitest run test/workflow/load.test.ts` for the full-size check. Throughput figures
 * belong in the bench, not here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import type { LocalTaskHandler } from '../../local/workflow-runtime.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import type * as FaultHelpers from './fault-helpers.ts';
import type * as Harness from './harness.ts';

// Quiet logs: thousands of INFO lines would measure the terminal, not the system. Set before the modules load.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';

const COUNT = Number(process.env.LOAD_ENQUIRIES ?? 400);
const CONCURRENT_DECISIONS = 25;

const TEXTS = [
  'The street light outside Block 3 on Tai Po Road has been off for a week.',
  'Rubbish at the refuse collection point on Fuk Wing Street has not been collected for three days.',
  'A restaurant kitchen exhaust fan runs until 2am every night and the noise keeps my children awake.',
  'Cars park illegally on the double yellow lines outside the school every morning.',
  '我家樓上單位漏水，天花板一直滴水，請派人跟進。',
  '公屋單位的窗戶鉸損壞，請房屋署盡快維修。',
  '屋苑附近有積水，蚊子很多，请安排灭蚊。',
  '我想查询薪俸税的缴税期限。',
];
const CHANNELS = ['web', 'email', 'app'] as const;

let helpers: typeof FaultHelpers;
let harness: typeof Harness;
let stack: LocalStack;
const recordOutcomeCalls = new Map<string, number>();
const timings: Record<string, number> = {};

/** RecordOutcome that crashes after its write on the first call for every 7th enquiry: the retry must not count twice. */
function crashAfterRecording(name: string, handler: LocalTaskHandler): LocalTaskHandler {
  if (name !== 'RecordOutcome') return handler;
  return async (payload) => {
    const id = String(payload['enquiryId']);
    const call = (recordOutcomeCalls.get(id) ?? 0) + 1;
    recordOutcomeCalls.set(id, call);
    const result = await handler(payload);
    if (call === 1 && id.charCodeAt(id.length - 1) % 7 === 0) {
      const error = new Error('Lambda timed out after writing');
      error.name = 'TransientError';
      throw error;
    }
    return result;
  };
}

beforeAll(async () => {
  helpers = await import('./fault-helpers.ts');
  harness = await import('./harness.ts');
  stack = await harness.startHarness({ clock: helpers.afternoon, wrapHandler: crashAfterRecording });
});
afterAll(() => stack?.close());

describe(`load: ${COUNT} enquiries through the local runtime`, () => {
  let awaiting: Enquiry[];

  it('counts in = counts out: every enquiry reaches awaiting_review exactly once', async () => {
    const started = Date.now();
    for (let i = 0; i < COUNT; i += 1) {
      const message = helpers.writtenMessage(`load-${String(i).padStart(5, '0')}`, `${TEXTS[i % TEXTS.length]} (ref ${i})`, {
        channel: CHANNELS[i % CHANNELS.length],
        smsConsent: i % 2 === 0,
      });
      stack.intakeQueue.send(JSON.stringify(message));
      if (i % 50 === 0) stack.intakeQueue.send(JSON.stringify(message)); // some duplicate deliveries too
    }
    await stack.processIntake();
    timings['intakeMs'] = Date.now() - started;
    await harness.waitFor(
      async () => stack.runtime.allExecutions().filter((e) => e.status !== 'RUNNING' || e.statesEntered.at(-1) === 'AwaitAgentReview').length,
      (parked) => parked === COUNT,
      120_000,
    );
    // Entering AwaitAgentReview precedes its handler's write: wait for the store to show every one.
    awaiting = await harness.waitFor(
      () => helpers.allEnquiriesIn(stack, ['awaiting_review']),
      (items) => items.length >= COUNT,
      60_000,
    );
    timings['toAwaitingReviewMs'] = Date.now() - started;

    expect(stack.intakeDlq.depth).toBe(0);
    expect(stack.intakeQueue.depth).toBe(0);
    expect(stack.runtime.allExecutions()).toHaveLength(COUNT);
    expect(awaiting).toHaveLength(COUNT);
    expect(new Set(awaiting.map((e) => e.sourceId)).size).toBe(COUNT);
    expect(await helpers.allEnquiriesIn(stack, ['needs_manual'])).toEqual([]);
  }, 180_000);

  it('approving every one through the review API closes them all and counts each exactly once', async () => {
    const started = Date.now();
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < awaiting.length; i += CONCURRENT_DECISIONS) {
      const batch = awaiting.slice(i, i + CONCURRENT_DECISIONS);
      statuses.push(...(await Promise.all(batch.map((e) => helpers.decide(stack, e.enquiryId, { action: 'approve' })))).map((r) => r.status));
    }
    await harness.waitFor(
      async () => stack.runtime.allExecutions().filter((e) => e.status === 'RUNNING').length,
      (running) => running === 0,
      120_000,
    );
    timings['decideAndSettleMs'] = Date.now() - started;

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(stack.runtime.allExecutions().filter((e) => e.status !== 'SUCCEEDED')).toEqual([]);
    expect(await helpers.allEnquiriesIn(stack, ['closed'])).toHaveLength(COUNT);
    const retried = [...recordOutcomeCalls.values()].filter((calls) => calls > 1).length;
    expect(retried).toBeGreaterThan(0); // the crash-after-write fault really happened

    const rows = await stack.counters.rows('2026-11-01', '2026-11-30');
    const total = (field: 'received' | 'approved' | 'decisionCount') => rows.reduce((sum, row) => sum + row[field], 0);
    expect(total('received')).toBe(COUNT);
    expect(total('approved')).toBe(COUNT);
    expect(total('decisionCount')).toBe(COUNT);
    console.info(`load figures: ${COUNT} enquiries, ${retried} RecordOutcome retries`, JSON.stringify(timings));
  }, 180_000);
});
