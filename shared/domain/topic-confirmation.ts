import { departmentsAllowedFor, departmentOf, type Taxonomy } from './classification/taxonomy.ts';
import type { Enquiry, FieldChange, TopicConfirmation } from './enquiry.ts';
import type { FieldProblem } from './errors.ts';
import type { DepartmentId, TopicId } from '../vocabulary/topics.ts';

/*
 * The agent's judgement of the topic is the source of truth: with every decision (and with a redraft) the
 * agent confirms the AI's topic or corrects it; the department follows the topic and may be changed only to
 * one the taxonomy allows for it; "also involves" departments mark the enquiry cross-departmental.
 */

/** What an agent may send about the topic (every field optional: absent means "keep what is there"). */
export interface TopicRequest {
  topic?: TopicId | undefined;
  department?: DepartmentId | undefined;
  alsoInvolves?: DepartmentId[] | undefined;
}

export type TopicChoiceResult = { ok: true; choice: TopicConfirmation } | { ok: false; problems: FieldProblem[] };

/** The topic the enquiry stands at now: the agent's earlier choice (a redraft), else the AI's. */
export function currentTopicOf(enquiry: Pick<Enquiry, 'topic' | 'agentTopic'>): { topic: string; department: string; alsoInvolves: string[] } | undefined {
  if (enquiry.agentTopic) return enquiry.agentTopic;
  return enquiry.topic ? { topic: enquiry.topic.topic, department: enquiry.topic.department, alsoInvolves: [] } : undefined;
}

/**
 * Resolves the agent's topic request against the enquiry and the taxonomy (pure). A new topic brings its
 * own primary department unless the agent names another it allows; the also-involved departments are kept
 * only while the topic stays. Problems name the field.
 */
export function resolveTopicChoice(taxonomy: Taxonomy, enquiry: Pick<Enquiry, 'topic' | 'agentTopic'>, request: TopicRequest): TopicChoiceResult {
  const current = currentTopicOf(enquiry);
  const topic = (request.topic ?? current?.topic) as TopicId | undefined;
  if (!topic) return { ok: false, problems: [{ field: 'topic', problem: 'the enquiry has no topic yet; name one' }] };
  const sameTopic = topic === current?.topic;
  const department = (request.department ?? (sameTopic && current ? current.department : departmentOf(topic))) as DepartmentId;
  const alsoInvolves = request.alsoInvolves ?? (sameTopic && current ? (current.alsoInvolves as DepartmentId[]) : []);
  const problems: FieldProblem[] = [];
  const allowed = departmentsAllowedFor(taxonomy, topic);
  if (!allowed.includes(department)) {
    problems.push({ field: 'department', problem: `${department} is not a department for ${topic}; allowed: ${allowed.join(', ')}` });
  }
  if (alsoInvolves.includes(department)) problems.push({ field: 'alsoInvolves', problem: `must not repeat the department (${department})` });
  if (problems.length > 0) return { ok: false, problems };
  const aiTopic = enquiry.topic?.topic ?? null;
  const aiDepartment = enquiry.topic?.department ?? null;
  return {
    ok: true,
    choice: {
      topic,
      department,
      alsoInvolves: [...alsoInvolves],
      crossDepartmental: alsoInvolves.length > 0,
      aiTopic,
      aiDepartment,
      topicCorrected: aiTopic !== null && aiTopic !== topic,
      departmentChanged: aiDepartment !== null && aiDepartment !== department,
    },
  };
}

/** The topic and department a draft was written for (drafts made before they were recorded: the AI's). */
export function draftBasis(enquiry: Pick<Enquiry, 'topic' | 'draft'>): { topic: string; department: string } | undefined {
  const { draft } = enquiry;
  if (!draft) return undefined;
  const topic = draft.topic ?? enquiry.topic?.topic;
  const department = draft.department ?? enquiry.topic?.department;
  return topic && department ? { topic, department } : undefined;
}

/** What changed between the enquiry's current topic and the agent's choice, for the audit trail. */
export function topicChanges(enquiry: Pick<Enquiry, 'topic' | 'agentTopic'>, choice: TopicConfirmation): FieldChange[] {
  const current = currentTopicOf(enquiry);
  const changes: FieldChange[] = [];
  if (current?.topic !== choice.topic) changes.push({ field: 'topic', from: current?.topic ?? null, to: choice.topic });
  if (current?.department !== choice.department) changes.push({ field: 'department', from: current?.department ?? null, to: choice.department });
  const before = [...(current?.alsoInvolves ?? [])].sort();
  const after = [...choice.alsoInvolves].sort();
  if (before.join() !== after.join()) changes.push({ field: 'alsoInvolves', from: current?.alsoInvolves ?? [], to: choice.alsoInvolves });
  return changes;
}

/** What a topic picker needs from the taxonomy: names to search in English and Chinese, and each topic's allowed departments. */
export interface PickerTaxonomy {
  topics: { id: string; names: { en: string; 'zh-Hant': string; 'zh-Hans': string }; department: string; departments: string[]; scope: string | null }[];
  departments: { id: string; names: { en: string; 'zh-Hant': string; 'zh-Hans': string }; shortName: { en: string; 'zh-Hant': string } }[];
}

export function pickerTaxonomy(taxonomy: Taxonomy): PickerTaxonomy {
  return {
    topics: taxonomy.topics.map((topic) => ({
      id: topic.id,
      names: topic.names,
      department: topic.department,
      departments: departmentsAllowedFor(taxonomy, topic.id),
      scope: topic.scope?.en ?? null,
    })),
    departments: taxonomy.departments.map(({ id, names, shortName }) => ({ id, names, shortName })),
  };
}
