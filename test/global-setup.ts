/**
 * Global setup of every run: one temp folder for the whole run, removed at its end. TMPDIR points into it
 * for this process and the workers and child processes it starts, and everything that asks for the system
 * temp folder honours it (os.tmpdir(), CDK's cdk.out folders, tsx's and Node's compile caches, Chromium and
 * playwright's profiles), so a run leaves nothing behind there even where a test or a library forgets to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const systemTmpdir = process.env['TMPDIR'];
  const runTmpdir = mkdtempSync(join(tmpdir(), 'assist-test-run-'));
  process.env['TMPDIR'] = runTmpdir;
  return () => {
    if (systemTmpdir === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = systemTmpdir;
    rmSync(runTmpdir, { recursive: true, force: true });
  };
}
