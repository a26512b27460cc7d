import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from './paths.ts';

export interface SampleEvent {
  file: string;
  body: string;
  expectedStatus: string;
}

/** The sample intake messages in events/samples with the final status each should reach. */
export function loadSamples(dir = SAMPLES_DIR): SampleEvent[] {
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, string>;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== 'expected.json')
    .sort()
    .map((file) => {
      const expectedStatus = expected[file];
      if (!expectedStatus) throw new Error(`events/samples/expected.json has no expected status for ${file}`);
      return { file, body: readFileSync(join(dir, file), 'utf8'), expectedStatus };
    });
}

/** How long before "now" the newest restamped sample arrived: long enough ago that everything after it is later. */
const NEWEST_SAMPLE_AGE_MS = 10 * 60_000;

/**
 * The samples as if they had come in over the last hours: every `receivedAt` moves by the same whole number
 * of minutes so the newest arrives 10 minutes before `now`, keeping their order and the gaps between them.
 * The files keep fixed dates for the tests (which run on a fixed clock); `npm start` runs on the real clock,
 * where those dates would make every enquiry days old and its audit trail disagree with its receipt time.
 */
export function restampSamples(samples: SampleEvent[], now: Date): SampleEvent[] {
  const receivedAt = samples.map((sample) => receivedAtOf(sample));
  const newest = Math.max(...receivedAt);
  const shiftMs = Math.round((now.getTime() - NEWEST_SAMPLE_AGE_MS - newest) / 60_000) * 60_000;
  return samples.map((sample, index) => {
    const message = JSON.parse(sample.body) as Record<string, unknown>;
    const restamped = isoWithOffsetOf(String(message['receivedAt']), receivedAt[index]! + shiftMs);
    return { ...sample, body: JSON.stringify({ ...message, receivedAt: restamped }) };
  });
}

/**
 * `time` written in the same UTC offset as `original` (a written sample keeps its Hong Kong +08:00), since
 * enquiry ids take their day from the timestamp as written.
 */
function isoWithOffsetOf(original: string, time: number): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(original);
  if (!offset) return new Date(time).toISOString().replace('.000Z', 'Z');
  const [, sign, hours, minutes] = offset;
  const offsetMs = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return `${new Date(time + offsetMs).toISOString().slice(0, 19)}${offset[0]}`;
}

function receivedAtOf(sample: SampleEvent): number {
  const { receivedAt } = JSON.parse(sample.body) as { receivedAt?: unknown };
  const time = typeof receivedAt === 'string' ? Date.parse(receivedAt) : Number.NaN;
  if (Number.isNaN(time)) throw new Error(`events/samples/${sample.file} has no valid receivedAt`);
  return time;
}
