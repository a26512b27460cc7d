import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_TAXONOMY_FILE, taxonomyModuleSource } from '../shared/domain/classification/taxonomy-module.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from './paths.ts';

/** The generated module's text for the layer's current taxonomy.json. */
export function currentTaxonomyModule(knowledgeDir: string = KNOWLEDGE_DIR): string {
  return taxonomyModuleSource(JSON.parse(readFileSync(join(knowledgeDir, 'taxonomy.json'), 'utf8')));
}

export function writeTaxonomyModule(): string {
  const path = join(REPO_ROOT, GENERATED_TAXONOMY_FILE);
  writeFileSync(path, currentTaxonomyModule());
  return path;
}
