import * as z from 'zod/mini';
import { DEPARTMENT_IDS, TOPIC_DEPARTMENT, TOPIC_IDS, URGENCIES, type DepartmentId, type TopicId, type Urgency } from '../../vocabulary/topics.ts';
import { ValidationError } from '../errors.ts';
import { check } from '../validation.ts';
import { normaliseEnquiryText } from './normalise.ts';

const Text = z.string().check(z.minLength(1));
const NamesSchema = z.object({ en: Text, 'zh-Hant': Text, 'zh-Hans': Text });
const ShortNameSchema = z.object({ en: Text, 'zh-Hant': Text });
const KeywordsSchema = z.record(z.string(), z.array(Text));

const DepartmentSchema = z.object({ id: z.enum(DEPARTMENT_IDS), names: NamesSchema, shortName: ShortNameSchema });

const TopicSchema = z.object({
  id: z.enum(TOPIC_IDS),
  names: NamesSchema,
  /** Where the topic routes by default. */
  department: z.enum(DEPARTMENT_IDS),
  /** Other departments an agent may route it to (a joint office, whoever manages the land). */
  otherDepartments: z.optional(z.array(z.enum(DEPARTMENT_IDS))),
  /** What belongs here and what does not: for the Bedrock prompt and the agent's topic picker. */
  scope: z.optional(z.object({ en: Text })),
  defaultUrgency: z.enum(URGENCIES),
  // Per language group ({ en: [...], zh: [...] }) or one list; either way any match escalates.
  urgentKeywords: z.union([z.array(Text), KeywordsSchema]),
  /** Bilingual topic lexicon: extra cross-language features for the local classifier. */
  keywords: z.optional(KeywordsSchema),
});

export const TaxonomySchema = z
  .object({
    departments: z.array(DepartmentSchema).check(z.minLength(1)),
    topics: z.array(TopicSchema).check(z.minLength(1)),
    outOfScopeTopic: z.optional(z.enum(TOPIC_IDS)),
    /** Keywords that make any topic urgent (danger to people now). */
    urgentKeywords: z.optional(KeywordsSchema),
  })
  .check(z.superRefine((taxonomy, context) => {
    // The generated ids must be exactly the file's: a stale taxonomy.generated.ts is an error, not a silent default.
    const topicIds = taxonomy.topics.map((t) => t.id);
    const departmentIds = taxonomy.departments.map((d) => d.id);
    const problems: [string, string][] = [
      ...TOPIC_IDS.filter((id) => !topicIds.includes(id)).map((id): [string, string] => ['topics', `has no entry for ${id} (regenerate: npm run assist -- gen-taxonomy)`]),
      ...DEPARTMENT_IDS.filter((id) => !departmentIds.includes(id)).map((id): [string, string] => ['departments', `has no entry for ${id}`]),
      ...topicIds.filter((id, i) => topicIds.indexOf(id) !== i).map((id): [string, string] => ['topics', `lists ${id} twice`]),
      ...departmentIds.filter((id, i) => departmentIds.indexOf(id) !== i).map((id): [string, string] => ['departments', `lists ${id} twice`]),
    ];
    taxonomy.topics.forEach((topic, i) => {
      if (topic.department !== TOPIC_DEPARTMENT[topic.id]) problems.push([`topics.${i}.department`, `is ${topic.department} but the generated route says ${TOPIC_DEPARTMENT[topic.id]} (regenerate)`]);
      if (topic.otherDepartments?.includes(topic.department)) problems.push([`topics.${i}.otherDepartments`, 'repeats the primary department']);
    });
    for (const [field, message] of problems) context.addIssue({ code: 'custom', path: field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message });
  }));
export type Taxonomy = z.infer<typeof TaxonomySchema>;
export type TaxonomyTopic = Taxonomy['topics'][number];
export type TaxonomyDepartment = Taxonomy['departments'][number];

/** Validates parsed taxonomy.json; errors name the field. */
export function parseTaxonomy(json: unknown): Taxonomy {
  const result = check(TaxonomySchema, json);
  if (!result.success) throw new ValidationError(result.problems.map((p) => ({ ...p, field: `taxonomy.json:${p.field}` })));
  return result.data;
}

/** The topic's primary department (generated from taxonomy.json, so it cannot be missing). */
export function departmentOf(topic: TopicId): DepartmentId {
  return TOPIC_DEPARTMENT[topic];
}

/** Every department a topic may be routed to: the primary first, then the alternatives the taxonomy allows. */
export function departmentsAllowedFor(taxonomy: Taxonomy, topic: TopicId): DepartmentId[] {
  const entry = taxonomy.topics.find((t) => t.id === topic);
  return [TOPIC_DEPARTMENT[topic], ...(entry?.otherDepartments ?? [])];
}

/** Taxonomy urgency rule: the topic's default, raised to urgent when an urgent keyword appears. */
export function urgencyOf(taxonomy: Taxonomy, topic: TopicId, text: string): Urgency {
  const rule = taxonomy.topics.find((t) => t.id === topic);
  if (!rule) return 'routine';
  const normalised = normaliseEnquiryText(text);
  const keywords = [...Object.values(taxonomy.urgentKeywords ?? {}).flat(), ...[rule.urgentKeywords].flatMap((k) => (Array.isArray(k) ? k : Object.values(k).flat()))];
  return keywords.some((keyword) => normalised.includes(normaliseEnquiryText(keyword))) ? 'urgent' : rule.defaultUrgency;
}

/** The taxonomy's topic lexicons as classifier keyword groups (topic id → terms in every language). */
export function keywordGroupsOf(taxonomy: Taxonomy): Record<string, string[]> {
  return Object.fromEntries(taxonomy.topics.filter((t) => t.keywords).map((t) => [t.id, Object.values(t.keywords ?? {}).flat()]));
}
