import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gazetteerFromTsv, type GazetteerPlace } from '../../domain/location/gazetteer.ts';

/** The gazetteer in the knowledge layer: places classification masks, redaction may keep and classify locates. */
export const PLACES_FILE = 'glossary/places-hk.tsv';

/**
 * Reads and validates the layer's gazetteer (its own module, so the redact function does not bundle the classifier).
 * A synchronous read at cold start, as the knowledge layer's other files (knowledge-files.ts says why).
 */
export async function loadGazetteer(dir: string): Promise<GazetteerPlace[]> {
  return gazetteerFromTsv(readFileSync(join(dir, PLACES_FILE), 'utf8'), PLACES_FILE);
}
