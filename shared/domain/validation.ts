import { safeParse } from 'zod/mini';
import type * as core from 'zod/v4/core';
import { ValidationError, type FieldProblem } from './errors.ts';

/*
 * The one place zod issues become field + problem pairs, e.g. `callerNumber: must be an E.164 phone number`.
 * Boundary schemas are written with `zod/mini` (tree-shakable: ~20 KB in a bundle instead of classic zod's
 * ~375 KB with every locale), which carries no message text of its own: `problemOf` below is the wording,
 * passed as the parse-time error map. A message a schema sets itself ('must be an E.164 phone number …')
 * still wins. It works the same for classic `zod` schemas.
 */

/** Any zod schema, mini or classic. */
export type Schema = core.$ZodType;
export type Parsed<S extends Schema> = core.output<S>;

type RawIssue = core.$ZodRawIssue;

/** How an operator would say it: "is required", "must be a string", "must be at most 500 characters". */
export function problemOf(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)} ${issue.expected}`;
    case 'unrecognized_keys':
      return `has unknown field(s): ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `must be ${JSON.stringify(issue.values[0])}` : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `must be ${bound(issue.origin, issue.inclusive === false ? 'more than' : 'at least', issue.minimum)}`;
    case 'too_big':
      return `must be ${bound(issue.origin, issue.inclusive === false ? 'less than' : 'at most', issue.maximum)}`;
    case 'invalid_format':
      return formatProblem(issue);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_union':
      return 'does not match any allowed shape';
    case 'invalid_key':
      return 'has an invalid key';
    case 'invalid_element':
      return 'has an invalid element';
    default:
      return 'is invalid';
  }
}

function bound(origin: string, relation: string, limit: number | bigint): string {
  const unit = origin === 'string' ? ' characters' : origin === 'array' || origin === 'set' ? ' items' : '';
  return `${relation} ${String(limit)}${unit}`;
}

function formatProblem(issue: RawIssue & { code: 'invalid_format' }): string {
  const details = issue as { format: string; prefix?: string; suffix?: string; includes?: string };
  if (details.format === 'starts_with') return `must start with "${details.prefix ?? ''}"`;
  if (details.format === 'ends_with') return `must end with "${details.suffix ?? ''}"`;
  if (details.format === 'includes') return `must include "${details.includes ?? ''}"`;
  if (details.format === 'regex') return 'has an invalid format';
  return `must be a valid ${FORMAT_NAMES[details.format] ?? details.format}`;
}

const FORMAT_NAMES: Record<string, string> = { url: 'URL', email: 'email address', datetime: 'ISO 8601 timestamp', date: 'date (YYYY-MM-DD)', uuid: 'UUID' };

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** A dotted path; a key that would not read as one (empty, blank, holding a dot or a control character) is quoted. */
const fieldName = (path: readonly PropertyKey[]): string => (path.length > 0 ? path.map(pathSegment).join('.') : '(message)');
const pathSegment = (key: PropertyKey): string => {
  const text = String(key);
  return /^[^\s.\p{Cc}]+$/u.test(text) ? text : JSON.stringify(text);
};

/** Field + problem pairs of a failed parse (messages as `problemOf` words them when parsed through this module). */
export function fieldProblems(error: { issues: readonly core.$ZodIssue[] }): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    // An unknown field is a problem of that field: name it, one problem each, instead of the object holding it.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), problem: 'is not a known field' }));
    return [{ field: fieldName(issue.path), problem: issue.message }];
  });
}

export type Checked<S extends Schema> = { success: true; data: Parsed<S> } | { success: false; problems: FieldProblem[] };

/** Parses with a schema; on failure the problems name each bad field. */
export function check<S extends Schema>(schema: S, value: unknown): Checked<S> {
  const result = safeParse(schema, value, { error: problemOf });
  return result.success ? { success: true, data: result.data } : { success: false, problems: fieldProblems(result.error) };
}

/** Parses with a schema, throwing a ValidationError that names each bad field. */
export function parseOrThrow<S extends Schema>(schema: S, value: unknown): Parsed<S> {
  const result = check(schema, value);
  if (!result.success) throw new ValidationError(result.problems);
  return result.data;
}

/** Parses a JSON string body, reporting malformed JSON as a problem with the whole message. */
export function parseJsonOrThrow<S extends Schema>(schema: S, body: string): Parsed<S> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ValidationError([{ field: '(body)', problem: 'is not valid JSON' }]);
  }
  return parseOrThrow(schema, value);
}

/** Parses JSONL against a schema (blank lines skipped); errors name the line and the field (`source:12.label`). */
export function parseJsonlOrThrow<S extends Schema>(schema: S, jsonl: string, source: string): Parsed<S>[] {
  const rows: Parsed<S>[] = [];
  jsonl.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new ValidationError([{ field: `${source}:${i + 1}`, problem: 'is not valid JSON' }]);
    }
    const parsed = check(schema, value);
    if (!parsed.success) throw new ValidationError(parsed.problems.map((p) => ({ field: `${source}:${i + 1}.${p.field}`, problem: p.problem })));
    rows.push(parsed.data);
  });
  return rows;
}
