import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMPORT_GRAPH_DOC, importEdges, importGraphMarkdown, layerOf, sourceFiles, violations } from '../../local/import-graph.ts';
import { REPO_ROOT } from '../../local/paths.ts';

const files = sourceFiles();
const edges = importEdges(REPO_ROOT, files);

describe('imports run one way (local/import-graph.ts)', () => {
  it('no import breaks the layering, and every file is in a layer', () => {
    expect(violations(edges, files)).toEqual([]);
  });

  it('reads static, type-only, aliased (#config, #domain/…) and dynamic imports', () => {
    const has = (from: string, to: string) => edges.some((edge) => edge.from === from && edge.to === to);
    expect(has('functions/send-sms/handler.ts', 'shared/config.ts')).toBe(true);
    expect(has('functions/send-sms/handler.ts', 'shared/adapters/aws/sqs-message-deferral.ts')).toBe(true);
    expect(has('console/api.ts', 'shared/domain/review/enquiry-summary.ts')).toBe(true);
    expect(has('test/workflow/review-api.test.ts', 'local/demo-history.ts')).toBe(true);
    expect(edges.length).toBeGreaterThan(1000);
  });

  it('names each kind of wrong import', () => {
    const wrong = [
      { from: 'shared/domain/enquiry.ts', to: 'local/stack.ts' },
      { from: 'shared/adapters/aws/step-functions.ts', to: 'functions/intake/handle.ts' },
      { from: 'events/review-api.ts', to: 'shared/domain/enquiry.ts' },
      { from: 'shared/domain/sms/send.ts', to: 'shared/adapters/aws/sqs-sms-outbox.ts' },
      { from: 'console/api.ts', to: 'functions/review-api/handle.ts' },
      { from: 'cdk/lib/assist-stack.ts', to: 'console/auth.ts' },
      { from: 'functions/draft/handle.ts', to: 'functions/classify/handle.ts' },
    ];
    const problems = violations(wrong, wrong.map((edge) => edge.from));
    expect(problems).toHaveLength(wrong.length);
    expect(problems[0]).toBe('shared/domain/enquiry.ts imports local/stack.ts: shared/domain + ports may not import local');
    expect(problems[6]).toMatch(/a function may not import another function's folder/);
    expect(violations([], ['shared/somewhere-new/file.ts'])).toEqual([expect.stringMatching(/in no layer/)]);
    expect(layerOf('vitest.config.ts')).toBeUndefined();
  });

  it(`${IMPORT_GRAPH_DOC} is current (regenerate with npm run import-graph)`, () => {
    expect(readFileSync(join(REPO_ROOT, IMPORT_GRAPH_DOC), 'utf8')).toBe(importGraphMarkdown(edges));
  });
});
