import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LocalTopicModel } from '../../domain/classification/local-topic-model.ts';
import { TaxonomySchema, type Taxonomy } from '../../domain/classification/taxonomy.ts';
import { ValidationError } from '../../domain/errors.ts';
import { LANGUAGES, type Language } from '../../domain/language.ts';
import { TOPIC_IDS } from '../../domain/topics.ts';
import { fieldProblems } from '../../domain/validation.ts';
import type { TopicClassifier, TopicResult } from '../../ports/topic-classifier.ts';

const ExampleSchema = z.object({ text: z.string().min(1), label: z.enum(TOPIC_IDS), language: z.enum(LANGUAGES) });
export type TopicExample = z.infer<typeof ExampleSchema>;

/** Reads `taxonomy.json` and `examples/*.jsonl` from the knowledge layer, validating every line. */
export async function loadTaxonomyAndExamples(dir: string): Promise<{ taxonomy: Taxonomy; examples: TopicExample[] }> {
  const taxonomyResult = TaxonomySchema.safeParse(JSON.parse(await readFile(join(dir, 'taxonomy.json'), 'utf8')));
  if (!taxonomyResult.success) {
    throw new ValidationError(fieldProblems(taxonomyResult.error).map((p) => ({ ...p, field: `taxonomy.json:${p.field}` })));
  }
  const files = (await readdir(join(dir, 'examples'))).filter((f) => f.endsWith('.jsonl')).sort();
  const examples: TopicExample[] = [];
  for (const file of files) {
    const lines = (await readFile(join(dir, 'examples', file), 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const parsed = ExampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error).map((p) => ({ ...p, field: `examples/${file}:${i + 1}.${p.field}` })));
      examples.push(parsed.data);
    });
  }
  return { taxonomy: taxonomyResult.data, examples };
}

/** `KNOWLEDGE_DIR` (the Lambda layer mounts it at /opt/knowledge), else the repository's layers/knowledge. */
export function defaultKnowledgeDir(): string {
  return process.env.KNOWLEDGE_DIR ?? fileURLToPath(new URL('../../../layers/knowledge', import.meta.url));
}

const models = new Map<string, Promise<LocalTopicModel>>();

/**
 * The local classifier as a TopicClassifier: trained once per knowledge directory and process (cold start),
 * then reused by warm invocations. Local default, production first pass, and Bedrock's fallback.
 */
export class LocalTopicClassifier implements TopicClassifier {
  private constructor(private readonly model: LocalTopicModel) {}

  static async load(dir: string = defaultKnowledgeDir(), options: { rejectBelow?: number } = {}): Promise<LocalTopicClassifier> {
    const key = `${dir}#${options.rejectBelow ?? ''}`;
    let model = models.get(key);
    if (!model) {
      model = loadTaxonomyAndExamples(dir).then(({ taxonomy, examples }) => new LocalTopicModel(taxonomy, examples, options));
      models.set(key, model);
      model.catch(() => models.delete(key));
    }
    return new LocalTopicClassifier(await model);
  }

  get taxonomy(): Taxonomy {
    return this.model.taxonomy;
  }

  async classify(input: { text: string; language?: Language }): Promise<TopicResult> {
    return this.model.classify(input.text, input.language);
  }
}
