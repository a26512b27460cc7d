import { describe, expect, it } from 'vitest';
import { IntakeMessageSchema } from '../../events/intake-message.ts';
import { loadSamples } from '../../local/samples.ts';
import { enquiryIdFor, newEnquiryFrom } from '../../shared/domain/enquiry.ts';
import { ValidationError } from '../../shared/domain/errors.ts';
import { parseJsonOrThrow } from '../../shared/domain/validation.ts';

const samples = loadSamples();
const written = JSON.parse(samples.find((s) => s.file === 'written-en-noise.json')!.body) as Record<string, unknown>;
const voicemail = JSON.parse(samples.find((s) => s.file === 'voicemail-en-road.json')!.body) as Record<string, unknown>;

function problemsOf(body: unknown) {
  try {
    parseJsonOrThrow(IntakeMessageSchema, JSON.stringify(body));
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('intake messages', () => {
  it('has at least 12 realistic samples across English, Traditional and Simplified Chinese, all valid', () => {
    expect(samples.length).toBeGreaterThanOrEqual(12);
    for (const sample of samples) expect(problemsOf(JSON.parse(sample.body)), sample.file).toEqual([]);
    const texts = samples.map((s) => s.body).join('\n');
    expect(texts).toMatch(/[喺嘅啲唔冇]/); // colloquial Cantonese
    expect(texts).toMatch(/[们这说问]/); // Simplified characters
    expect(texts).toMatch(/street lights/);
  });

  it('rejects a caller number that is not E.164, naming the field', () => {
    expect(problemsOf({ ...voicemail, callerNumber: '12345' })).toEqual([
      { field: 'callerNumber', problem: 'must be an E.164 phone number such as +85291234567' },
    ]);
  });

  it('names each missing field of a written enquiry', () => {
    const fields = problemsOf({ kind: 'written' }).map((p) => `${p.field} ${p.problem}`);
    expect(fields).toEqual(expect.arrayContaining(['messageId is required', 'text is required', 'smsConsent is required']));
  });

  it('rejects an unknown kind, empty text, oversized text, unknown fields and malformed JSON', () => {
    expect(problemsOf({ ...written, kind: 'fax' })[0]).toEqual({ field: 'kind', problem: 'must be "voicemail" or "written"' });
    expect(problemsOf({ ...written, text: '   ' })[0]?.field).toBe('text');
    expect(problemsOf({ ...written, text: 'x'.repeat(5001) })[0]).toEqual({ field: 'text', problem: 'must be at most 5000 characters' });
    expect(problemsOf({ ...written, extra: 1 })[0]).toEqual({ field: 'extra', problem: 'is not a known field' });
    expect(() => parseJsonOrThrow(IntakeMessageSchema, '{not json')).toThrow('(body): is not valid JSON');
  });

  it('requires a phone or an email to reply to a written enquiry', () => {
    expect(problemsOf({ ...written, contact: {} })).toEqual([{ field: 'contact', problem: 'must include a phone or an email' }]);
  });

  it('derives the same enquiry id from a redelivered message and different ids from different messages', () => {
    const message = IntakeMessageSchema.parse(written);
    expect(enquiryIdFor(message)).toBe(enquiryIdFor(IntakeMessageSchema.parse({ ...written })));
    expect(enquiryIdFor(message)).not.toBe(enquiryIdFor(IntakeMessageSchema.parse({ ...written, messageId: 'web-20261124-9999' })));
    expect(enquiryIdFor(message)).toMatch(/^ENQ-20261124-[A-Z0-9]{12}$/);
  });

  it('keeps the caller number and raw text out of the enquiry record', () => {
    const { enquiry, contact } = newEnquiryFrom(IntakeMessageSchema.parse(written), '2026-11-24T01:00:00Z', 'corr-1');
    expect(JSON.stringify(enquiry)).not.toContain('91234567');
    expect(JSON.stringify(enquiry)).not.toContain('exhaust fan');
    expect(contact.callerNumber).toBe('+85291234567');
  });
});
