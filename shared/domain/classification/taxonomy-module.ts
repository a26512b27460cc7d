import * as z from 'zod/mini';
import { parseOrThrow } from '../validation.ts';

/*
 * taxonomy.json is the one definition of departments, topics and each topic's route. The TypeScript
 * vocabulary (the ids other code and the zod schemas at the boundaries use, and each topic's primary
 * department) is generated from it into shared/vocabulary/taxonomy.generated.ts by
 * `npm run assist -- gen-taxonomy`; a unit test fails when that file is stale.
 */

/** Just enough of taxonomy.json to generate the ids (the full schema needs the generated ids itself). */
const TaxonomyIdsSchema = z.object({
  departments: z.array(z.object({ id: z.string().check(z.regex(/^[A-Za-z]+$/, 'must be letters only')) })).check(z.minLength(1)),
  topics: z.array(z.object({ id: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case')), department: z.string() })).check(z.minLength(1)),
});

export const GENERATED_TAXONOMY_FILE = 'shared/vocabulary/taxonomy.generated.ts';

/** The source text of taxonomy.generated.ts for a parsed taxonomy.json. */
export function taxonomyModuleSource(taxonomyJson: unknown): string {
  const { departments, topics } = parseOrThrow(TaxonomyIdsSchema, taxonomyJson);
  const known = new Set(departments.map((d) => d.id));
  const unknown = topics.filter((t) => !known.has(t.department));
  if (unknown.length > 0) throw new Error(`taxonomy.json: topics with an unknown department: ${unknown.map((t) => `${t.id} → ${t.department}`).join(', ')}`);
  const list = (ids: string[]) => ids.map((id) => `  '${id}',`).join('\n');
  return [
    '// Generated from layers/knowledge/taxonomy.json by `npm run assist -- gen-taxonomy`. Do not edit:',
    '// change taxonomy.json and regenerate (a unit test fails while this file is stale).',
    '',
    'export const TOPIC_IDS = [',
    list(topics.map((t) => t.id)),
    '] as const;',
    'export type TopicId = (typeof TOPIC_IDS)[number];',
    '',
    'export const DEPARTMENT_IDS = [',
    list(departments.map((d) => d.id)),
    '] as const;',
    'export type DepartmentId = (typeof DEPARTMENT_IDS)[number];',
    '',
    '/** Each topic\'s primary department: where an enquiry on it is routed unless an agent chooses another the taxonomy allows. */',
    'export const TOPIC_DEPARTMENT: Readonly<Record<TopicId, DepartmentId>> = {',
    ...topics.map((t) => `  ${t.id}: '${t.department}',`),
    '};',
    '',
  ].join('\n');
}
