/**
 * Global setup of the browser project: finds (or unpacks) Chromium once for the whole run, before the test
 * files start in parallel, and hands every file the same launch settings through `inject('chromium')`.
 */
import type { TestProject } from 'vitest/node';
import { resolveChromium, type ChromiumInstall } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumInstall;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  const chromium = await resolveChromium();
  console.log(`browser tests: ${chromium.source === 'system' ? 'system' : '@sparticuz/chromium (npm)'} Chromium at ${chromium.executablePath} (ready in ${Date.now() - started} ms), CJK fonts via ${chromium.env['FONTCONFIG_FILE']}`);
  project.provide('chromium', chromium);
}
