import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import STCharacters from 'opencc-js/dict/STCharacters';
import STPhrases from 'opencc-js/dict/STPhrases';
import { GENERATED_PHRASES_FILE, phrasesModuleSource, prunedPhrases } from '../shared/domain/drafting/script-phrases.ts';
import { REPO_ROOT } from './paths.ts';

/** The generated module's text for the installed opencc-js. */
export function currentPhrasesModule(): string {
  return phrasesModuleSource(prunedPhrases(STPhrases, STCharacters));
}

export function writePhrasesModule(): string {
  const path = join(REPO_ROOT, GENERATED_PHRASES_FILE);
  writeFileSync(path, currentPhrasesModule());
  return path;
}
