import { afterEach, describe, expect, it } from 'vitest';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import { TransientError } from '../../shared/domain/errors.ts';
import type { DynamoEnquiryStore } from '../../shared/adapters/aws/dynamo-enquiry-store.ts';
import { enquiriesIn as inStatuses, intakeUntil as runMessages, startHarness } from './harness.ts';

const samples = loadSamples();
const bodyOf = (file: string) => JSON.parse(samples.find((s) => s.file === file)!.body) as Record<string, unknown>;

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const enquiriesIn = (s: LocalStack) => inStatuses(s, ['awaiting_review', 'needs_manual', 'received', 'redacted', 'classified', 'drafted']);

describe('intake path on the synthesized workflow', () => {
  it('sends an invalid message to the DLQ with the field and problem, and loses nothing else in the batch', async () => {
    stack = await startHarness();
    const invalid = { ...bodyOf('voicemail-en-road.json'), callerNumber: '12345' };
    await runMessages(stack, [bodyOf('written-en-noise.json'), invalid, bodyOf('written-zhhk-housing.json')]);

    const dlq = stack.intakeDlq.peek();
    expect(dlq).toHaveLength(1);
    expect(dlq[0]!.attributes['validationError']).toBe('callerNumber: must be an E.164 phone number such as +85291234567');
    expect(JSON.parse(dlq[0]!.body)).toEqual(invalid); // the message itself is kept for inspection and redrive
    expect(stack.intakeQueue.depth).toBe(0);
    const enquiries = await enquiriesIn(stack);
    expect(enquiries.map((e) => e.sourceId).sort()).toEqual(['web:web-20261124-0001', 'web:web-20261124-0004']);
    expect(enquiries.every((e) => e.status === 'awaiting_review')).toBe(true);
  });

  it('turns the same message delivered twice into one enquiry and one execution', async () => {
    stack = await startHarness();
    const message = bodyOf('written-zhcn-tree.json');
    await runMessages(stack, [message, message]);
    await runMessages(stack, [message]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stack.runtime.allExecutions()).toHaveLength(1);
    const enquiries = await enquiriesIn(stack);
    expect(enquiries).toHaveLength(1);
    expect(await stack.store.auditTrail(enquiries[0]!.enquiryId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ from: null, to: 'received', actor: 'intake' })]),
    );
  });

  it('retries a record whose write failed transiently and finishes it without duplicates', async () => {
    stack = await startHarness();
    const store = stack.store as DynamoEnquiryStore;
    const original = store.createIfAbsent.bind(store);
    let failures = 2;
    store.createIfAbsent = async (...args) => {
      if (failures-- > 0) throw new TransientError('DynamoDB throttled; retry');
      return original(...args);
    };
    await runMessages(stack, [bodyOf('written-en-parking.json'), bodyOf('written-en-streetlight.json')]);
    expect(stack.intakeDlq.depth).toBe(0);
    expect(stack.runtime.allExecutions()).toHaveLength(2);
    expect((await enquiriesIn(stack)).map((e) => e.status)).toEqual(['awaiting_review', 'awaiting_review']);
  });
});
