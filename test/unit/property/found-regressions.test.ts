/**
 * Cases the property-based and differential tests found, kept as plain tests so they stay fixed whatever
 * the generators happen to produce next time. Each says what was wrong.
 */
import { describe, expect, it } from 'vitest';
import { IntakeMessageSchema } from '../../../events/intake-message.ts';
import { ReportQuerySchema } from '../../../events/reports.ts';
import { DecisionRequestSchema } from '../../../events/review-api.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { redactPersonalData } from '../../../shared/domain/redaction/index.ts';
import { csvField, toCsv } from '../../../shared/domain/reports/csv.ts';
import { parseJsonOrThrow, parseOrThrow } from '../../../shared/domain/validation.ts';

function problemsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  throw new Error('accepted');
}

const written = { kind: 'written', messageId: 'web-20261124-0001', channel: 'web', text: 'Street light broken.', contact: { email: 'a@b.example' }, smsConsent: false, receivedAt: '2026-11-24T09:15:00+08:00' };

describe('validation errors name the field (found by boundary-validation.property.test.ts)', () => {
  it('an unknown field is named as the field, not as "(message)"', () => {
    expect(problemsOf(() => parseOrThrow(IntakeMessageSchema, { ...written, priority: 'urgent' }))).toEqual([{ field: 'priority', problem: 'is not a known field' }]);
    expect(problemsOf(() => parseOrThrow(ReportQuerySchema, { from: '2026-11-01', to: '2026-11-02', sort: 'desc', page: '2' }))).toEqual([
      { field: 'sort', problem: 'is not a known field' },
      { field: 'page', problem: 'is not a known field' },
    ]);
  });

  it('an unknown field inside a nested object is named with its path', () => {
    expect(problemsOf(() => parseOrThrow(IntakeMessageSchema, { ...written, contact: { phone: '+85291234567', name: 'Peter' } }))).toEqual([{ field: 'contact.name', problem: 'is not a known field' }]);
  });

  it('a "__proto__" key in a JSON body is named (JSON.parse makes it an own field)', () => {
    expect(problemsOf(() => parseJsonOrThrow(DecisionRequestSchema, '{"action":"approve","__proto__":{"isAdmin":true}}'))).toEqual([{ field: '__proto__', problem: 'is not a known field' }]);
  });

  it('an empty or blank key is quoted, so the field is never an empty string', () => {
    expect(problemsOf(() => parseJsonOrThrow(DecisionRequestSchema, '{"action":"approve","":1," ":2,"a.b":3}'))).toEqual([
      { field: '""', problem: 'is not a known field' },
      { field: '" "', problem: 'is not a known field' },
      { field: '"a.b"', problem: 'is not a known field' },
    ]);
  });
});

describe('redaction (found by redaction.property.test.ts)', () => {
  it('a number dialled with +852 is a phone number even when its halves look like years', () => {
    expect(redactPersonalData('Please call me back on +852 2000 1900 thanks.').text).toBe('Please call me back on [PHONE] thanks.');
    // Two years with a space between are more likely a landline than a period.
    expect(redactPersonalData('call me on 2019 2020').text).toBe('call me on [PHONE]');
  });

  it('known ambiguity, kept on purpose: two years joined by a hyphen read as a span of years', () => {
    expect(redactPersonalData('In 2025-2026 complaints rose.').text).toBe('In 2025-2026 complaints rose.');
  });

  it('an amount after a full-width comma is kept (the comma is folded to "," and was taken for a thousands separator)', () => {
    expect(redactPersonalData('今日收到信，50000000元，唔該。').text).toBe('今日收到信，50000000元，唔該。');
    expect(redactPersonalData('罰款，3000蚊').text).toBe('罰款，3000蚊');
    // Still not an amount when the digits continue a number written with thousands separators.
    expect(redactPersonalData('HK$1,200').text).toBe('HK$1,200');
  });

  it('a reference whose letters are joined to the digits by a slash is kept', () => {
    expect(redactPersonalData('喺ref no. BD/70000000，唔該。').text).toBe('喺ref no. BD/70000000，唔該。');
  });
});

describe('CSV (found while moving to csv-stringify)', () => {
  it('quotes a field holding a lone CR or LF, which csv-stringify leaves bare when records end in CRLF', () => {
    expect(csvField('line one\nline two')).toBe('"line one\nline two"');
    expect(csvField('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(toCsv([[true, false]])).toBe('\uFEFFtrue,false\r\n'); // its default writes 1 and ''
  });
});
