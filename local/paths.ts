import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const SAMPLES_DIR = join(REPO_ROOT, 'events', 'samples');
export const KNOWLEDGE_DIR = join(REPO_ROOT, 'layers', 'knowledge');
