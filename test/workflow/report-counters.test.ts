import { afterEach, describe, expect, it } from 'vitest';
import { STATE_NAMES } from '../../cdk/lib/workflow.ts';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import { TransientError } from '../../shared/domain/errors.ts';
import { apiEvent, intakeUntil, startHarness } from './harness.ts';

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('report counters', () => {
  it('count each enquiry exactly once even when RecordOutcome crashes after writing and is retried', async () => {
    const attempts = new Map<string, number>();
    stack = await startHarness({
      clock: { now: () => new Date('2026-11-24T06:00:00Z') },
      wrapHandler: (state, handler) =>
        state !== STATE_NAMES.recordOutcome
          ? handler
          : async (payload) => {
              const result = await handler(payload);
              const id = String(payload['enquiryId']);
              const n = (attempts.get(id) ?? 0) + 1;
              attempts.set(id, n);
              // The write landed, then the function "crashed": Step Functions retries the step.
              if (n <= 2) throw new TransientError('crashed after the counter write');
              return result;
            },
    });
    const written = loadSamples().filter((s) => s.file.startsWith('written-'));
    const enquiries = await intakeUntil(stack, written.map((s) => s.body));
    for (const [i, enquiry] of enquiries.entries()) {
      const body = i % 3 === 2 ? { action: 'reject', reason: 'not for 1823' } : { action: 'approve' };
      const response = await stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id: enquiry.enquiryId, groups: ['agent'], body }));
      expect(response.statusCode).toBe(200);
    }
    await stack.runtime.settle();
    expect(stack.runtime.allExecutions().map((e) => e.status)).toEqual(enquiries.map(() => 'SUCCEEDED'));
    expect(await Promise.all(enquiries.map(async (e) => (await stack!.store.get(e.enquiryId))?.status))).toEqual(enquiries.map(() => 'closed'));
    expect([...attempts.values()].every((n) => n === 3)).toBe(true);
    const rows = await stack.counters.rows('2026-11-24', '2026-11-24');
    const sum = (field: 'received' | 'approved' | 'rejected') => rows.reduce((n, r) => n + r[field], 0);
    expect(sum('received')).toBe(enquiries.length);
    expect(sum('approved')).toBe(enquiries.filter((_, i) => i % 3 !== 2).length);
    expect(sum('rejected')).toBe(enquiries.filter((_, i) => i % 3 === 2).length);
  });
});
