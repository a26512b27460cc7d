import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../../local/paths.ts';
import { GOLD_FILE } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { createRedactor } from '../../shared/domain/redaction/index.ts';
import { labelledExampleFrom, latestPerEnquiry, splitNewestHeldOut, type LabelledExample } from '../../shared/domain/retraining/labelled-example.ts';
import { EMPTY_POINTER, nextVersion, promote, rollback, servingVersion } from '../../shared/domain/retraining/model-registry.ts';
import { formatComparison, mcNemarOneSided, promotionGate, type GoldFigures, type ModelComparison } from '../../shared/domain/retraining/promotion-gate.ts';
import type { DecidedEnquiry } from '../../shared/ports/enquiry-store.ts';

const gold = (topic: number, department: number, confidentWrong: number): GoldFigures => ({ topicAccuracy: topic, departmentAccuracy: department, confidentWrong });

function comparison(overrides: { current?: GoldFigures; candidate?: GoldFigures; floor?: GoldFigures; heldOut?: Partial<ModelComparison['heldOut']> } = {}): ModelComparison {
  return {
    currentVersion: 'shipped',
    candidateVersion: 'v0001',
    gold: {
      examples: 385,
      current: overrides.current ?? gold(0.94, 0.964, 0.005),
      candidate: overrides.candidate ?? gold(0.945, 0.958, 0.01),
      ...(overrides.floor ? { floor: overrides.floor } : {}),
    },
    heldOut: { examples: 8, currentCorrect: 2, candidateCorrect: 8, fixed: 6, broken: 0, ...overrides.heldOut },
  };
}

describe('the promotion gate', () => {
  it('promotes a candidate within the gold margin that fixes held-out enquiries significantly (6 fixed, none broken: p = 1/64)', () => {
    const decision = promotionGate(comparison());
    expect(decision.promote).toBe(true);
    expect(decision.reasons).toEqual([]);
    expect(decision.pValue).toBeCloseTo(1 / 64, 10);
  });

  it('refuses a candidate more than 1 point worse on gold department accuracy, naming the figure', () => {
    const decision = promotionGate(comparison({ candidate: gold(0.945, 0.95, 0.005) }));
    expect(decision.promote).toBe(false);
    expect(decision.reasons).toEqual([expect.stringMatching(/^gold department accuracy 95\.0% vs current \(shipped\) 96\.4% \(−1\.4 pt/)]);
  });

  it('refuses a candidate that is confidently wrong more often on gold, or worse on gold topic accuracy', () => {
    expect(promotionGate(comparison({ candidate: gold(0.94, 0.964, 0.02) })).reasons).toEqual([expect.stringMatching(/^gold confident-wrong routing 2\.0%/)]);
    expect(promotionGate(comparison({ candidate: gold(0.92, 0.964, 0.005) })).reasons).toEqual([expect.stringMatching(/^gold topic accuracy 92\.0%/)]);
  });

  it('holds candidates to the shipped floor as well, so weekly promotions cannot drift down a point at a time', () => {
    const drifting = comparison({ current: gold(0.935, 0.955, 0.008), candidate: gold(0.93, 0.948, 0.01), floor: gold(0.94, 0.964, 0.005) });
    const decision = promotionGate(drifting);
    expect(decision.checks.find((c) => c.check === 'gold department accuracy vs current (shipped)')?.passed).toBe(true);
    expect(decision.promote).toBe(false);
    expect(decision.reasons).toEqual([expect.stringContaining('vs shipped (floor) 96.4%')]);
  });

  it('refuses a candidate that is not significantly better on the held-out enquiries', () => {
    // 4 fixed and none broken: p = 1/16, not < 0.05.
    expect(promotionGate(comparison({ heldOut: { fixed: 4, broken: 0, candidateCorrect: 6 } })).reasons).toEqual([expect.stringMatching(/fixed 4, broke 0; p = 0\.063/)]);
    // As many broken as fixed: no better at all.
    expect(promotionGate(comparison({ heldOut: { fixed: 3, broken: 3, candidateCorrect: 2 } })).promote).toBe(false);
    // Nothing to learn (the current model already right on all of them): nothing to promote.
    expect(promotionGate(comparison({ heldOut: { fixed: 0, broken: 0, currentCorrect: 8, candidateCorrect: 8 } })).promote).toBe(false);
  });

  it('refuses when too few enquiries were held out to show anything', () => {
    const decision = promotionGate(comparison({ heldOut: { examples: 4, currentCorrect: 0, candidateCorrect: 4, fixed: 4, broken: 0 } }));
    expect(decision.reasons).toContainEqual(expect.stringMatching(/^4 newest agent-labelled enquiries held out \(at least 5 needed\)/));
  });

  it('prints the comparison of both models and the decision', () => {
    const lines = formatComparison(comparison(), promotionGate(comparison())).join('\n');
    expect(lines).toContain('gold set (385 enquiries, frozen):');
    expect(lines).toMatch(/current shipped\s+topic\s+94\.0%\s+department\s+96\.4%/);
    expect(lines).toMatch(/candidate v0001\s+topic\s+94\.5%/);
    expect(lines).toContain('current 2 right, candidate 8 right (fixed 6, broke 0, p = 0.016)');
    expect(lines).toContain('decision: PROMOTE v0001');
  });
});

describe('exact McNemar one-sided p-value', () => {
  it('is the binomial tail of the discordant pairs', () => {
    expect(mcNemarOneSided(0, 0)).toBe(1);
    expect(mcNemarOneSided(5, 0)).toBeCloseTo(1 / 32, 12);
    expect(mcNemarOneSided(5, 1)).toBeCloseTo(7 / 64, 12);
    expect(mcNemarOneSided(0, 5)).toBeCloseTo(1, 12);
    expect(mcNemarOneSided(600, 400)).toBeLessThan(1e-9); // large counts stay finite (log space)
  });
});

const decided = (overrides: Partial<DecidedEnquiry> = {}): DecidedEnquiry => ({
  enquiryId: 'enq-1',
  decisionId: 'dec-1',
  decidedAt: '2026-11-20T03:00:00.000Z',
  action: 'approve',
  language: 'en-US',
  redactedText: 'Abandoned bikes on the railings, call me on [PHONE]',
  aiTopic: 'road_damage',
  aiConfidence: 0.8,
  agentTopic: 'government_land_occupation',
  agentDepartment: 'LandsD',
  alsoInvolves: [],
  topicCorrected: true,
  ...overrides,
});

describe('labelled examples from decided enquiries', () => {
  const redactor = createRedactor();
  const topics = new Set(['government_land_occupation', 'road_damage']);

  it('hold the agent topic and text redacted a second time: personal data the first pass missed never gets stored', () => {
    const result = labelledExampleFrom(decided({ redactedText: 'Bikes dumped by the pier. Email me at chan.tai.man@example.com or 9123 4567' }), redactor, topics);
    expect(result).toMatchObject({ example: { label: 'government_land_occupation', aiTopic: 'road_damage', topicCorrected: true, source: 'agents' }, reRedacted: 2 });
    const text = 'example' in result ? result.example.text : '';
    expect(text).toBe('Bikes dumped by the pier. Email me at [EMAIL] or [PHONE]');
  });

  it('skip rejections the agent did not correct, topics the taxonomy no longer has, and text that is only placeholders away', () => {
    expect(labelledExampleFrom(decided({ action: 'reject', topicCorrected: false }), redactor, topics)).toEqual({ skipped: 'rejected_without_topic' });
    expect(labelledExampleFrom(decided({ action: 'reject', topicCorrected: true }), redactor, topics)).toHaveProperty('example');
    expect(labelledExampleFrom(decided({ agentTopic: 'retired_topic' }), redactor, topics)).toEqual({ skipped: 'unknown_topic' });
    expect(labelledExampleFrom(decided({ redactedText: '   ' }), redactor, topics)).toEqual({ skipped: 'empty_text' });
  });

  const example = (i: number, decidedAt: string): LabelledExample => ({
    enquiryId: `enq-${i}`,
    decisionId: `dec-${i}`,
    decidedAt,
    text: `text ${i}`,
    label: 'road_damage',
    language: 'en-US',
    aiTopic: 'road_damage',
    topicCorrected: false,
    action: 'approve',
    source: 'agents',
  });

  it('hold out the newest 20%, never what the serving model was trained on', () => {
    const examples = Array.from({ length: 10 }, (_, i) => example(i, `2026-11-${String(10 + i).padStart(2, '0')}T00:00:00.000Z`));
    expect(splitNewestHeldOut(examples).heldOut.map((e) => e.enquiryId)).toEqual(['enq-8', 'enq-9']);
    const split = splitNewestHeldOut(examples, { seenThrough: '2026-11-18T00:00:00.000Z' });
    expect(split.heldOut.map((e) => e.enquiryId)).toEqual(['enq-9']);
    expect(split.training).toHaveLength(9);
  });

  it('keep one example per enquiry, its latest decision, oldest first', () => {
    const later = { ...example(1, '2026-11-12T00:00:00.000Z'), decisionId: 'dec-1b', label: 'tree_risk' };
    const kept = latestPerEnquiry([example(2, '2026-11-11T00:00:00.000Z'), example(1, '2026-11-10T00:00:00.000Z'), later]);
    expect(kept.map((e) => [e.enquiryId, e.label])).toEqual([
      ['enq-2', 'road_damage'],
      ['enq-1', 'tree_risk'],
    ]);
  });
});

describe('model versions and the promoted pointer', () => {
  const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00.000Z`;

  it('numbers versions after the newest stored', () => {
    expect(nextVersion([])).toBe('v0001');
    expect(nextVersion(['v0002', 'v0010', 'v0003'])).toBe('v0011');
  });

  it('promotes onto a stack, and each rollback restores the version promoted before, down to the shipped model', () => {
    let pointer = EMPTY_POINTER;
    pointer = promote(pointer, { version: 'v0001', promotedAt: at(1), by: 'retrain:scheduled', reason: 'gate passed' });
    pointer = promote(pointer, { version: 'v0003', promotedAt: at(8), by: 'operator:cli', reason: 'manual' });
    expect(servingVersion(pointer)).toBe('v0003');
    pointer = rollback(pointer, { at: at(9), by: 'operator:cli', reason: 'misroutes' });
    expect(servingVersion(pointer)).toBe('v0001');
    pointer = rollback(pointer, { at: at(10), by: 'operator:cli', reason: 'again' });
    expect(servingVersion(pointer)).toBe('shipped');
    expect(() => rollback(pointer, { at: at(11), by: 'operator:cli', reason: 'once more' })).toThrow(/shipped model already serves/);
    expect(pointer.log.map((e) => `${e.action} ${e.from}→${e.to}`)).toEqual(['rollback v0001→shipped', 'rollback v0003→v0001', 'promote v0001→v0003', 'promote shipped→v0001']);
  });
});

describe('the frozen gold set in the layer', () => {
  it('is byte for byte the held-out-by-writer evaluation set (never edited on one side only)', () => {
    expect(readFileSync(join(KNOWLEDGE_DIR, GOLD_FILE), 'utf8')).toBe(readFileSync(join(REPO_ROOT, 'test', 'eval', 'data', 'holdout-by-writer.jsonl'), 'utf8'));
  });
});
