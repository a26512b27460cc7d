import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../shared/domain/redaction/index.ts';
import { loadGazetteer } from '../../shared/adapters/in-process/gazetteer-file.ts';
import { publicPlaceNames } from '../../shared/domain/location/gazetteer.ts';
import { KNOWLEDGE_DIR } from '../../local/paths.ts';
import type { RedactedEntity, RedactedEntityType } from '../../shared/ports/personal-data-redactor.ts';

/**
 * Entity-level quality of the redactor on a labelled corpus of hotline enquiries (English, Traditional
 * Chinese incl. colloquial Cantonese, Simplified Chinese), about a third of them hard negatives.
 * Labels are exact substrings; a prediction matches a label of the same type that it overlaps.
 */

interface LabelledEntity {
  type: RedactedEntityType;
  value: string;
}
interface LabelledCase {
  id: string;
  text: string;
  entities: LabelledEntity[];
}
interface LabelledSpan extends LabelledEntity {
  start: number;
  end: number;
}

const CORPUS_PATH = new URL('./data/redaction-corpus.jsonl', import.meta.url);
/** Public hotline numbers as the knowledge base lists them; the corpus quotes them as hard negatives. */
const PUBLIC_NUMBERS = ['1823', '2868 0000', '2414 5555', '2824 5000', '2712 2712', '2804 2600', '999'];

const corpus: LabelledCase[] = readFileSync(CORPUS_PATH, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as LabelledCase);

/** Maps value labels to spans; a value labelled twice takes successive occurrences. */
function labelledSpans(testCase: LabelledCase): LabelledSpan[] {
  const used = new Set<number>();
  return testCase.entities.map((entity) => {
    let start = testCase.text.indexOf(entity.value);
    while (used.has(start)) start = testCase.text.indexOf(entity.value, start + 1);
    if (start < 0) throw new Error(`${testCase.id}: "${entity.value}" is not in the text`);
    used.add(start);
    return { ...entity, start, end: start + entity.value.length };
  });
}

function matches(predicted: RedactedEntity, labelled: LabelledSpan): boolean {
  return predicted.type === labelled.type && predicted.start < labelled.end && labelled.start < predicted.end;
}

// As the redact function runs: estates, streets and areas at the edge of a home address are kept (public-places.ts).
const redactor = createRedactor({ publicNumbers: PUBLIC_NUMBERS, publicPlaces: publicPlaceNames(await loadGazetteer(KNOWLEDGE_DIR)) });
const results = corpus.map((testCase) => ({
  testCase,
  labelled: labelledSpans(testCase),
  redaction: redactor.redact(testCase.text),
}));

describe('redaction corpus', () => {
  it('has at least 300 cases across English, Traditional and Simplified Chinese, with hard negatives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(corpus.filter((c) => c.entities.length === 0).length).toBeGreaterThanOrEqual(90);
    for (const prefix of ['en-', 'zh-hk-', 'zh-cn-', 'neg-en-', 'neg-zh-hk-', 'neg-zh-cn-']) {
      expect(corpus.some((c) => c.id.startsWith(prefix))).toBe(true);
    }
  });

  it('finds personal data with recall >= 0.99 and precision >= 0.97', () => {
    let labelCount = 0;
    let foundLabels = 0;
    let predictionCount = 0;
    let correctPredictions = 0;
    const misses: string[] = [];
    const falseAlarms: string[] = [];
    for (const { testCase, labelled, redaction } of results) {
      labelCount += labelled.length;
      predictionCount += redaction.entities.length;
      for (const label of labelled) {
        if (redaction.entities.some((predicted) => matches(predicted, label))) foundLabels++;
        else misses.push(`${testCase.id} ${label.type} "${label.value}"`);
      }
      for (const predicted of redaction.entities) {
        if (labelled.some((label) => matches(predicted, label))) correctPredictions++;
        else falseAlarms.push(`${testCase.id} ${predicted.type} "${testCase.text.slice(predicted.start, predicted.end)}"`);
      }
    }
    const recall = foundLabels / labelCount;
    const precision = correctPredictions / predictionCount;
    console.log(
      `redaction eval: ${corpus.length} cases, ${labelCount} labelled entities, ${predictionCount} predicted; ` +
        `recall ${recall.toFixed(4)}, precision ${precision.toFixed(4)}`,
    );
    if (misses.length > 0) console.log(`missed:\n  ${misses.join('\n  ')}`);
    if (falseAlarms.length > 0) console.log(`false alarms:\n  ${falseAlarms.join('\n  ')}`);
    expect(recall).toBeGreaterThanOrEqual(0.99);
    expect(precision).toBeGreaterThanOrEqual(0.97);
  });

  it('keeps of a home address at most the gazetteer places it starts or ends with: never a number, flat, floor or block', () => {
    const kept = results.flatMap(({ testCase, labelled, redaction }) =>
      labelled
        .filter((label) => label.type === 'ADDRESS')
        .map((label) => {
          let left = '';
          for (let i = label.start; i < label.end; i++) if (!redaction.entities.some((e) => e.start <= i && i < e.end)) left += testCase.text.charAt(i);
          return { id: testCase.id, left: left.replace(/[\s,，、]+/g, ' ').trim() };
        })
        .filter(({ left }) => left !== ''),
    );
    console.log(`addresses with a public place kept: ${kept.length}${kept.length ? `\n  ${kept.map((k) => `${k.id} "${k.left}"`).join('\n  ')}` : ''}`);
    expect(kept.filter(({ left }) => /\d|[樓楼室座層层]|\b(?:flat|room|floor|block|tower|unit)\b/i.test(left))).toEqual([]);
  });

  it('leaves no labelled value in the redacted text', () => {
    const leaks = results.flatMap(({ testCase, redaction }) =>
      testCase.entities
        .filter((entity) => redaction.text.includes(entity.value))
        .map((entity) => `${testCase.id} ${entity.type} "${entity.value}"`),
    );
    expect(leaks).toEqual([]);
  });
});
