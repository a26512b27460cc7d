import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { E164PhoneSchema } from '../../events/phone-number.ts';
import { check } from '../../shared/domain/validation.ts';

const problemsOf = (schema: z.ZodMiniType, value: unknown) => {
  const result = check(schema, value);
  return result.success ? [] : result.problems;
};

describe('field problems keep a schema\'s own message', () => {
  it('a wrong type gets the formatter\'s wording only when the schema sets none', () => {
    const own = z.object({ callerNumber: z.string({ error: 'must be an E.164 phone number' }) });
    expect(problemsOf(own, { callerNumber: 85291234567 })).toEqual([{ field: 'callerNumber', problem: 'must be an E.164 phone number' }]);
    expect(problemsOf(own, {})).toEqual([{ field: 'callerNumber', problem: 'must be an E.164 phone number' }]);
    const plain = z.object({ callerNumber: z.string() });
    expect(problemsOf(plain, { callerNumber: 85291234567 })).toEqual([{ field: 'callerNumber', problem: 'must be a string' }]);
    expect(problemsOf(plain, {})).toEqual([{ field: 'callerNumber', problem: 'is required' }]);
  });

  it('a check\'s own message wins over the formatter (the E.164 schema)', () => {
    expect(problemsOf(z.object({ to: E164PhoneSchema }), { to: '91234567' })).toEqual([{ field: 'to', problem: 'must be an E.164 phone number such as +85291234567' }]);
  });
});
