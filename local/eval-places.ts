import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGazetteer } from '../shared/adapters/in-process/gazetteer-file.ts';
import { publicPlaceNames } from '../shared/domain/location/gazetteer.ts';
import { evaluatePlaceMentions, formatPlaceEvaluation, parsePlaceMentions, type PlaceEvaluation } from '../shared/domain/location/evaluate.ts';
import { locatePlace } from '../shared/domain/location/locate.ts';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from './paths.ts';

export const PLACE_MENTIONS_FILE = join(REPO_ROOT, 'test', 'eval', 'data', 'place-mentions.jsonl');

/** Place → district on the labelled mentions, as the workflow does it: redact first, then locate the redacted text. */
export async function evaluatePlaces(path = PLACE_MENTIONS_FILE, knowledgeDir = KNOWLEDGE_DIR): Promise<PlaceEvaluation> {
  const gazetteer = await loadGazetteer(knowledgeDir);
  const redactor = createRedactor({ publicPlaces: publicPlaceNames(gazetteer) });
  return evaluatePlaceMentions(parsePlaceMentions(readFileSync(path, 'utf8'), path), (text) => locatePlace(redactor.redact(text).text, gazetteer));
}

export { formatPlaceEvaluation };
