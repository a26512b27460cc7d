import { describe, expect, it } from 'vitest';
import { IntakeMessageSchema } from '../../events/intake-message.ts';
import { loadSamples, restampSamples, type SampleEvent } from '../../local/samples.ts';
import { enquiryIdFor } from '../../shared/domain/enquiry.ts';

const receivedAt = (sample: SampleEvent) => Date.parse((JSON.parse(sample.body) as { receivedAt: string }).receivedAt);
const withoutReceivedAt = (sample: SampleEvent) => {
  const { receivedAt: _receivedAt, ...rest } = JSON.parse(sample.body) as Record<string, unknown>;
  return rest;
};

describe('sample enquiries restamped for npm start', () => {
  const recorded = loadSamples();
  const now = new Date('2027-03-15T09:30:00+08:00');
  const restamped = restampSamples(recorded, now);

  it('arrive in the hours before now, the newest ten minutes before it', () => {
    const times = restamped.map(receivedAt);
    expect(Math.max(...times)).toBe(now.getTime() - 10 * 60_000);
    for (const time of times) {
      expect(time).toBeLessThan(now.getTime());
      expect(now.getTime() - time).toBeLessThan(24 * 60 * 60_000);
    }
  });

  it('keep their order and the time between any two of them', () => {
    const before = recorded.map(receivedAt);
    const after = restamped.map(receivedAt);
    const shift = after[0]! - before[0]!;
    expect(after.map((time, index) => time - before[index]!)).toEqual(after.map(() => shift));
    expect(shift % 60_000).toBe(0);
  });

  it('change nothing but receivedAt, and still pass intake validation', () => {
    expect(restamped.map((sample) => [sample.file, sample.expectedStatus])).toEqual(recorded.map((sample) => [sample.file, sample.expectedStatus]));
    expect(restamped.map(withoutReceivedAt)).toEqual(recorded.map(withoutReceivedAt));
    for (const sample of restamped) expect(IntakeMessageSchema.safeParse(JSON.parse(sample.body)).success).toBe(true);
  });

  it('keep the UTC offset each file writes its time in, so an enquiry id carries the day as written', () => {
    const offsetOf = (sample: SampleEvent) => /(Z|[+-]\d{2}:\d{2})$/.exec((JSON.parse(sample.body) as { receivedAt: string }).receivedAt)?.[1];
    expect(restamped.map(offsetOf)).toEqual(recorded.map(offsetOf));
    const parking = restamped.find((sample) => sample.file === 'written-en-parking.json')!;
    // The newest sample, ten minutes before 09:30 in Hong Kong.
    expect((JSON.parse(parking.body) as { receivedAt: string }).receivedAt).toBe('2027-03-15T09:20:00+08:00');
    expect(enquiryIdFor(IntakeMessageSchema.parse(JSON.parse(parking.body)))).toMatch(/^ENQ-20270315-/);
  });

  it('names the file whose receivedAt is missing', () => {
    const broken: SampleEvent = { file: 'broken.json', body: JSON.stringify({ kind: 'written' }), expectedStatus: 'awaiting_review' };
    expect(() => restampSamples([...recorded, broken], now)).toThrow(/broken\.json has no valid receivedAt/);
  });
});
