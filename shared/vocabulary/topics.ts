/**
 * The hotline's vocabulary. Topic and department ids are generated from layers/knowledge/taxonomy.json
 * (the one definition of departments, topics and routes; see shared/domain/classification/taxonomy-module.ts).
 */
export { DEPARTMENT_IDS, TOPIC_DEPARTMENT, TOPIC_IDS, type DepartmentId, type TopicId } from './taxonomy.generated.ts';

export const URGENCIES = ['routine', 'priority', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/**
 * What the caller wants, which decides how the reply reads: an enquiry is answered from the knowledge base;
 * a complaint or a service request is acknowledged and referred to the department; a compliment is passed on.
 */
export const CASE_TYPES = ['enquiry', 'complaint', 'service_request', 'compliment'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const isCaseType = (value: unknown): value is CaseType => (CASE_TYPES as readonly unknown[]).includes(value);
