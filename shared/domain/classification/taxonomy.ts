import { z } from 'zod';
import { DEPARTMENT_IDS, TOPIC_IDS, URGENCIES, type DepartmentId, type TopicId, type Urgency } from '../topics.ts';
import { normaliseEnquiryText } from './normalise.ts';

const NamesSchema = z.object({ en: z.string().min(1), 'zh-Hant': z.string().min(1), 'zh-Hans': z.string().min(1) });

export const TaxonomySchema = z.object({
  departments: z.array(z.object({ id: z.enum(DEPARTMENT_IDS), names: NamesSchema })).min(12),
  topics: z
    .array(
      z.object({
        id: z.enum(TOPIC_IDS),
        names: NamesSchema,
        department: z.enum(DEPARTMENT_IDS),
        defaultUrgency: z.enum(URGENCIES),
        // Per language group ({ en: [...], zh: [...] }) or one list; either way any match escalates.
        urgentKeywords: z.union([z.array(z.string().min(1)), z.record(z.string(), z.array(z.string().min(1)))]),
        /** Bilingual topic lexicon: extra cross-language features for the local classifier. */
        keywords: z.record(z.string(), z.array(z.string().min(1))).optional(),
      }),
    )
    .min(30),
  /** Keywords that make any topic urgent (danger to people now). */
  urgentKeywords: z.record(z.string(), z.array(z.string().min(1))).optional(),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

export function departmentOf(taxonomy: Taxonomy, topic: TopicId): DepartmentId {
  return taxonomy.topics.find((t) => t.id === topic)?.department ?? 'EFFO';
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
