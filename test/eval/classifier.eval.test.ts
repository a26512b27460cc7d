import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomyAndExamples, LocalTopicClassifier, type TopicExample } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { evaluateRouting, formatCalibration, parseRoutingJsonl, type RoutingReport } from '../../shared/domain/classification/evaluate.ts';
import { detectLanguage } from '../../shared/domain/classification/language-detection.ts';
import type { Taxonomy } from '../../shared/domain/classification/taxonomy.ts';
import { toSimplified } from '../../shared/domain/drafting/script.ts';
import { TOPIC_DEPARTMENT, TOPIC_IDS, type TopicId } from '../../shared/vocabulary/topics.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../../local/paths.ts';

/**
 * Quality of the local classifier as production runs it (the model shipped in the layer), on enquiries
 * held out BY WRITER: test/eval/data/holdout-by-writer.jsonl was written by a writer who never saw the
 * training examples, in styles of their own (SMS, voicemail transcripts, letters, rants, code-mixing), for
 * every topic. A random split of our own examples would flatter the model: near-copies of a training
 * sentence sit on both sides. Scored by department, as routing is.
 */

const HOLDOUT = join(REPO_ROOT, 'test', 'eval', 'data', 'holdout-by-writer.jsonl');

let taxonomy: Taxonomy;
let examples: TopicExample[];
let classifier: LocalTopicClassifier;
let report: RoutingReport;

beforeAll(async () => {
  ({ taxonomy, examples } = await loadTaxonomyAndExamples(KNOWLEDGE_DIR));
  classifier = await LocalTopicClassifier.load(KNOWLEDGE_DIR);
  const holdout = parseRoutingJsonl(readFileSync(HOLDOUT, 'utf8'), HOLDOUT);
  report = evaluateRouting((text, language) => classifier.classifySync(text, language), holdout, (topic) => TOPIC_DEPARTMENT[topic as TopicId], classifier.acceptThreshold);
  console.log(
    [
      `held out by writer: ${report.examples} enquiries; department ${report.departmentAccuracy.toFixed(3)}, topic ${report.topicAccuracy.toFixed(3)}, case type ${report.caseTypeAccuracy?.toFixed(3)}`,
      ...formatCalibration(report.calibration, 'enquiries'),
      `accepted but wrong department: ${(report.departmentConfidentWrong * 100).toFixed(1)}% of all`,
      `misses: ${report.misses.map((m) => `${m.label} → ${m.predicted} (${m.confidence}${m.accepted ? ', accepted' : ''})`).join('; ')}`,
    ].join('\n'),
  );
});

describe('local topic classifier on enquiries held out by writer', () => {
  it('covers every topic of the taxonomy', () => {
    const labels = new Set(parseRoutingJsonl(readFileSync(HOLDOUT, 'utf8')).map((e) => e.label));
    expect(TOPIC_IDS.filter((topic) => !labels.has(topic))).toEqual([]);
  });

  it('routes at least 90% to the right department', () => {
    expect(report.departmentAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('is confidently wrong (accepted without a second opinion, wrong department) for at most 3% of all enquiries', () => {
    expect(report.departmentConfidentWrong).toBeLessThanOrEqual(0.03);
    expect(report.calibration.confidentWrong).toBeLessThanOrEqual(0.03);
  });

  it('has a confidence that tells the truth: expected calibration error at most 0.05 (15 bins)', () => {
    expect(report.calibration.ece).toBeLessThanOrEqual(0.05);
  });

  it('answers most enquiries itself: the accept threshold leaves at least 60% to the local model', () => {
    expect(report.calibration.coverage).toBeGreaterThanOrEqual(0.6);
  });

  it('routes Traditional and Simplified script alike (accuracy within 0.02)', () => {
    const chinese = parseRoutingJsonl(readFileSync(HOLDOUT, 'utf8')).filter((e) => e.language === 'zh-HK');
    const departmentOf = (topic: string) => TOPIC_DEPARTMENT[topic as TopicId];
    const traditional = evaluateRouting((text, language) => classifier.classifySync(text, language), chinese, departmentOf, classifier.acceptThreshold);
    const simplified = evaluateRouting((text, language) => classifier.classifySync(toSimplified(text), language), chinese, departmentOf, classifier.acceptThreshold);
    expect(Math.abs(traditional.departmentAccuracy - simplified.departmentAccuracy)).toBeLessThanOrEqual(0.02);
  });
});

describe('the knowledge layer examples', () => {
  it('has at least 25 examples for every topic, in all three languages', () => {
    for (const topic of taxonomy.topics) {
      const own = examples.filter((example) => example.label === topic.id);
      expect(own.length, topic.id).toBeGreaterThanOrEqual(25);
      expect(new Set(own.map((example) => example.language)).size, topic.id).toBe(3);
    }
  });

  it('recognises English, Cantonese / Traditional Chinese and Mandarin / Simplified Chinese', () => {
    const wrong = examples.filter((example) => detectLanguage(example.text) !== example.language);
    const accuracy = 1 - wrong.length / examples.length;
    console.log(`language detection accuracy ${accuracy.toFixed(3)} on ${examples.length} examples`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
