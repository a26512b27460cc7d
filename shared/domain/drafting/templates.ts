import * as z from 'zod/mini';
import { ValidationError } from '../errors.ts';
import type { Script } from '../../vocabulary/languages.ts';
import { DEPARTMENT_IDS, type DepartmentId } from '../../vocabulary/topics.ts';
import { check, type Schema } from '../validation.ts';
import { textIn, type AuthoredText } from './knowledge-article.ts';

/*
 * Reply and SMS templates (layers/knowledge/templates.json). Templates hold `{placeholder}` slots only;
 * every fact (numbers, web addresses, fees, times) comes from a knowledge article, so the validator can
 * trace each one to a cited source.
 */

const PLACEHOLDER = /\{(\w+)\}/g;

/** The slots each template may use; anything else is a typo that would leak `{...}` into a reply. */
const REPLY_SLOTS = {
  greeting: [],
  // A complaint or service request: acknowledged and referred to the department.
  acknowledgement: ['topicName', 'departmentName', 'enquiryId'],
  // An enquiry: answered directly from the article (no "we have passed your enquiry to").
  acknowledgementEnquiry: ['topicName', 'enquiryId'],
  acknowledgementCompliment: ['departmentName', 'enquiryId'],
  acknowledgementOutOfScope: ['enquiryId'],
  urgentNote: [],
  body: ['articleBody'],
  fees: ['feeList'],
  feeItem: ['feeItem', 'amount'],
  feeSeparator: [],
  nextSteps: ['processingTime', 'hotline', 'web'],
  citation: ['articleIds'],
  signOff: [],
} as const satisfies Record<string, readonly string[]>;
type ReplySlot = keyof typeof REPLY_SLOTS;

export const SMS_SLOTS = ['topicName', 'departmentShortName', 'enquiryId', 'hotline'] as const;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

function templateWithSlots(allowed: readonly string[]) {
  return z.string().check(
    z.superRefine((template, context) => {
      for (const name of placeholdersIn(template)) {
        if (!allowed.includes(name)) context.addIssue({ code: 'custom', message: `unknown placeholder {${name}}; allowed: ${allowed.join(', ') || 'none'}` });
      }
    }),
  );
}

const ReplyTemplateSchema = z.object(
  Object.fromEntries(Object.entries(REPLY_SLOTS).map(([slot, allowed]) => [slot, templateWithSlots(allowed)])) as Record<
    ReplySlot,
    ReturnType<typeof templateWithSlots>
  >,
);
export type ReplyTemplate = Record<ReplySlot, string>;

const PerScript = <S extends Schema>(schema: S) => z.object({ en: schema, 'zh-Hant': schema, 'zh-Hans': schema });

/** templates.json: wording only. Department names are the taxonomy's (one definition), joined in by `withDepartmentNames`. */
export const ReplyTemplatesFileSchema = z.object({
  reply: PerScript(ReplyTemplateSchema),
  sms: PerScript(templateWithSlots(SMS_SLOTS)),
});
export type ReplyTemplatesFile = z.infer<typeof ReplyTemplatesFileSchema>;

export type DepartmentNames = Readonly<Record<DepartmentId, { name: AuthoredText; shortName: AuthoredText }>>;

export type ReplyTemplates = ReplyTemplatesFile & { departments: DepartmentNames };

/** Validates parsed templates.json; `source` prefixes field names in errors. */
export function parseReplyTemplates(json: unknown, source: string): ReplyTemplatesFile {
  const result = check(ReplyTemplatesFileSchema, json);
  if (!result.success) {
    throw new ValidationError(result.problems.map((p) => ({ field: `${source}:${p.field}`, problem: p.problem })));
  }
  return result.data;
}

/** The templates with the taxonomy's department names (full and short) joined in. */
export function withDepartmentNames(templates: ReplyTemplatesFile, departments: readonly { id: DepartmentId; names: AuthoredText; shortName: AuthoredText }[]): ReplyTemplates {
  const names = Object.fromEntries(departments.map((d) => [d.id, { name: { en: d.names.en, 'zh-Hant': d.names['zh-Hant'] }, shortName: d.shortName }]));
  const missing = DEPARTMENT_IDS.filter((id) => !(id in names));
  if (missing.length > 0) throw new ValidationError(missing.map((id) => ({ field: `taxonomy.json:departments`, problem: `has no names for ${id}` })));
  return { ...templates, departments: names as DepartmentNames };
}

/** Fills `{name}` slots. A slot without a value is a programming error, never silently left in a reply. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template slot {${name}} has no value`);
    return value;
  });
}

export function departmentNameIn(templates: ReplyTemplates, department: DepartmentId, script: Script): { name: string; shortName: string } {
  const names = templates.departments[department];
  return { name: textIn(names.name, script), shortName: textIn(names.shortName, script) };
}

export interface SmsFacts {
  script: Script;
  topicName: string;
  department: DepartmentId;
  enquiryId: string;
  hotline: string;
}

/** The short acknowledgement SMS in the caller's script. */
export function renderSmsText(templates: ReplyTemplates, facts: SmsFacts): string {
  return fillTemplate(templates.sms[facts.script], {
    topicName: facts.topicName,
    departmentShortName: departmentNameIn(templates, facts.department, facts.script).shortName,
    enquiryId: facts.enquiryId,
    hotline: facts.hotline,
  });
}
