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
