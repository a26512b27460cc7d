import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTaxonomyAndExamples, type ClassifierKnowledge } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { departmentOf, departmentsAllowedFor, parseTaxonomy } from '../../shared/domain/classification/taxonomy.ts';
import { taxonomyModuleSource, GENERATED_TAXONOMY_FILE } from '../../shared/domain/classification/taxonomy-module.ts';
import { toSimplified } from '../../shared/domain/drafting/script.ts';
import { LANGUAGES } from '../../shared/vocabulary/languages.ts';
import { DEPARTMENT_IDS, TOPIC_IDS } from '../../shared/vocabulary/topics.ts';
import { currentTaxonomyModule } from '../../local/gen-taxonomy.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../../local/paths.ts';

/*
 * taxonomy.json is the one definition of departments, topics and routes. These tests hold everything
 * derived from it to it, and hold each topic to what the product needs of it.
 */
describe('taxonomy: one source of truth', () => {
  let knowledge: ClassifierKnowledge;
  let knowledgeBase: FileKnowledgeBase;
  const taxonomyJson = (): Record<string, unknown> => JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'taxonomy.json'), 'utf8')) as Record<string, unknown>;

  beforeAll(async () => {
    [knowledge, knowledgeBase] = await Promise.all([loadTaxonomyAndExamples(KNOWLEDGE_DIR), FileKnowledgeBase.load(KNOWLEDGE_DIR)]);
  });

  it('the generated ids and routes are what taxonomy.json gives (else: npm run assist -- gen-taxonomy)', () => {
    expect(readFileSync(join(REPO_ROOT, GENERATED_TAXONOMY_FILE), 'utf8')).toBe(currentTaxonomyModule());
  });

  it('refuses to generate a route to a department the taxonomy does not define', () => {
    const json = taxonomyJson();
    const topics = json.topics as { id: string; department: string }[];
    expect(() => taxonomyModuleSource({ ...json, topics: [...topics, { id: 'ferry_piers', department: 'PierD' }] })).toThrow(/ferry_piers → PierD/);
  });

  it('a taxonomy missing a topic the code knows is an error naming it, never a silent default route', () => {
    const json = taxonomyJson();
    const topics = (json.topics as { id: string }[]).filter((t) => t.id !== 'water_bill');
    expect(() => parseTaxonomy({ ...json, topics })).toThrow(/topics.*water_bill/);
  });

  it('every topic routes to a defined department, and its alternatives are other defined departments', () => {
    for (const topic of knowledge.taxonomy.topics) {
      expect(DEPARTMENT_IDS).toContain(departmentOf(topic.id));
      const allowed = departmentsAllowedFor(knowledge.taxonomy, topic.id);
      expect(new Set(allowed).size, topic.id).toBe(allowed.length);
    }
  });

  it('every topic has a name in each script, the Simplified one matching the Traditional', () => {
    for (const topic of knowledge.taxonomy.topics) {
      expect(topic.names.en.trim(), topic.id).not.toBe('');
      expect(toSimplified(topic.names['zh-Hant']), topic.id).toBe(toSimplified(topic.names['zh-Hans']));
    }
    for (const department of knowledge.taxonomy.departments) {
      expect(toSimplified(department.names['zh-Hant']), department.id).toBe(toSimplified(department.names['zh-Hans']));
    }
  });

  it('every topic has an article in English and Traditional Chinese', () => {
    const missing = TOPIC_IDS.filter((topic) => knowledgeBase.articlesFor(topic).length === 0);
    expect(missing, 'topics without an article').toEqual([]);
    for (const topic of TOPIC_IDS) {
      for (const article of knowledgeBase.articlesFor(topic)) {
        expect(article.department, article.id).toBe(departmentOf(topic));
        expect(article.body.en.length, article.id).toBeGreaterThan(40);
        expect(article.body['zh-Hant'].length, article.id).toBeGreaterThan(15);
      }
    }
  });

  it('every topic has labelled examples in every language the hotline takes', () => {
    const gaps = TOPIC_IDS.flatMap((topic) =>
      LANGUAGES.filter((language) => !knowledge.examples.some((e) => e.label === topic && e.language === language)).map((language) => `${topic}/${language}`),
    );
    expect(gaps, 'topic/language pairs without examples').toEqual([]);
  });

  it('every department has full and short names for replies and SMS', () => {
    const templates = knowledgeBase.replyTemplates();
    for (const id of DEPARTMENT_IDS) {
      expect(templates.departments[id].name.en, id).not.toBe('');
      expect(templates.departments[id].shortName['zh-Hant'], id).not.toBe('');
    }
  });
});
