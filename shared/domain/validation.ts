import type { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';

/** Turns zod issues into field + problem pairs, e.g. `callerNumber: must be an E.164 phone number`. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    // An unknown field is a problem of that field: name it, one problem each, instead of the object holding it.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), problem: 'is not a known field' }));
    return [{ field: fieldName(issue.path), problem: plainProblem(issue) }];
  });
}

/** A dotted path; a key that would not read as one (empty, blank, holding a dot or a control character) is quoted. */
const fieldName = (path: readonly PropertyKey[]): string => (path.length > 0 ? path.map(pathSegment).join('.') : '(message)');
const pathSegment = (key: PropertyKey): string => {
  const text = String(key);
  return /^[^\s.\p{Cc}]+$/u.test(text) ? text : JSON.stringify(text);
};

/** zod's defaults read "Invalid input: expected string, received undefined"; say it the way an operator would. */
function plainProblem(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return issue.message.endsWith('received undefined') ? 'is required' : `must be ${article(issue.expected)} ${issue.expected}`;
  }
  if (issue.code === 'invalid_value' && issue.values.length > 0) return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
  return issue.message;
}

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** Parses with a schema, throwing a ValidationError that names each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldProblems(result.error));
  return result.data;
}

/** Parses a JSON string body, reporting malformed JSON as a problem with the whole message. */
export function parseJsonOrThrow<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ValidationError([{ field: '(body)', problem: 'is not valid JSON' }]);
  }
  return parseOrThrow(schema, value);
}
