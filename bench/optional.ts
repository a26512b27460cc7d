/**
 * Modules that other engineers are still writing (the Bedrock classifier prompt, the local analysis
 * adapters). Benches import them at run time so they start measuring the day the code lands and say
 * "not available yet" until then, instead of failing to compile or crash.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../local/paths.ts';
import { NotAvailableError } from './lib.ts';

export type ModuleExports = Record<string, unknown>;

export const OPTIONAL_MODULES = {
  bedrockClassifier: 'shared/adapters/aws/bedrock-topic-classifier.ts',
  analysisAdapters: 'local/analysis-adapters.ts',
} as const;

/** The module's exports, or NotAvailableError when the file is not there yet. */
export async function importFromRepo(relativePath: string): Promise<ModuleExports> {
  const file = join(REPO_ROOT, relativePath);
  if (!existsSync(file)) throw new NotAvailableError(`not available yet: ${relativePath} does not exist`);
  return (await import(pathToFileURL(file).href)) as ModuleExports;
}

export type AnyFunction = (...args: never[]) => unknown;

export const isFunction = (value: unknown): value is AnyFunction => typeof value === 'function';

/** The first exported function whose name matches, for APIs whose exact names are not settled yet. */
export function findExport(module: ModuleExports, pattern: RegExp): { name: string; value: AnyFunction } | undefined {
  for (const [name, value] of Object.entries(module)) {
    if (pattern.test(name) && isFunction(value)) return { name, value };
  }
  return undefined;
}
