import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Quiet handler logs in test output; the PII-in-logs test turns them up to DEBUG itself.
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
    // One temp folder for the run, removed at its end: the run leaves nothing in the system temp folder.
    globalSetup: ['test/global-setup.ts'],
    // Vitest's default is one worker fewer than the CPUs: a single worker on CI's 2 cores ran the files one
    // after another (~11 min). Two workers use both cores; tests wait on conditions, not on fixed times.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'eval', include: ['test/eval/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      { extends: true, test: { name: 'workflow', include: ['test/workflow/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/browser/global-setup.ts'], testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
