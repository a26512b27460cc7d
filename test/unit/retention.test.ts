import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import { EXPIRES_AT_ATTRIBUTE, RETENTION, expiryAfter, isExpired, isSettled, parseRetention } from '../../shared/domain/retention.ts';
import { renderExportHtml } from '../../shared/domain/privacy/export-html.ts';
import { staffGroupsOf } from '../../shared/vocabulary/staff-groups.ts';

const problemsOf = (value: unknown) => {
  try {
    parseRetention(value);
  } catch (error) {
    if (error instanceof ValidationError) return error.problems;
    throw error;
  }
  return [];
};

describe('retention periods (defined once, validated)', () => {
  it('refuses raw data kept longer than the redacted record, naming the field', () => {
    expect(problemsOf({ ...RETENTION, rawContactDaysAfterSettled: 365, enquiryRecordDaysAfterSettled: 180, rawObjectsDays: 90 })).toEqual([
      { field: 'rawContactDaysAfterSettled', problem: 'must not exceed enquiryRecordDaysAfterSettled (raw data never outlives the redacted record)' },
    ]);
  });

  it('refuses audio kept longer than its pointer, a ledger shorter than SQS redelivery, unknown and non-integer periods', () => {
    expect(problemsOf({ ...RETENTION, rawObjectsDays: 120 }).map((p) => p.field)).toEqual(['rawObjectsDays']);
    expect(problemsOf({ ...RETENTION, smsLedgerDays: 7 }).map((p) => p.field)).toEqual(['smsLedgerDays']);
    expect(problemsOf({ ...RETENTION, countersDays: 30 })).toEqual([{ field: 'countersDays', problem: 'is not a known field' }]);
    expect(problemsOf({ ...RETENTION, taskTokenDays: 7.5 }).map((p) => p.field)).toEqual(['taskTokenDays']);
  });

  it('writes expiry as epoch seconds the period after the instant, and applies DynamoDB TTL’s rule', () => {
    const settledAt = '2026-11-24T06:00:00.000Z';
    const expiresAt = expiryAfter(settledAt, 90);
    expect(expiresAt).toBe(Date.parse(settledAt) / 1000 + 90 * 86_400);
    const item = { [EXPIRES_AT_ATTRIBUTE]: expiresAt };
    expect(isExpired(item, new Date(expiresAt * 1000 - 1000))).toBe(false);
    expect(isExpired(item, new Date(expiresAt * 1000))).toBe(true);
    // No attribute, or not a number (DynamoDB TTL ignores it too): kept.
    expect(isExpired({}, new Date('2100-01-01T00:00:00Z'))).toBe(false);
    expect(isExpired({ [EXPIRES_AT_ATTRIBUTE]: String(expiresAt) }, new Date('2100-01-01T00:00:00Z'))).toBe(false);
    expect(() => expiryAfter('yesterday', 1)).toThrow(/not an ISO instant/);
  });

  it('starts the clock only when nothing more will happen to the enquiry', () => {
    expect(['closed', 'sms_sent', 'sms_failed'].every((s) => isSettled(s as never))).toBe(true);
    expect(['awaiting_review', 'needs_manual', 'sms_queued', 'approved'].some((s) => isSettled(s as never))).toBe(false);
  });
});

describe('staff groups', () => {
  it('reads the privacy group from the claim and drops names that are no staff group', () => {
    expect(staffGroupsOf('[privacy auditor]')).toEqual(['privacy']);
    expect(staffGroupsOf(['agent', 'supervisor'])).toEqual(['agent', 'supervisor']);
    expect(staffGroupsOf(undefined)).toEqual([]);
  });
});

describe('export HTML summary', () => {
  it('escapes everything the caller wrote', () => {
    const html = renderExportHtml({
      requestId: 'r-1',
      generatedAt: '2026-11-24T06:00:00.000Z',
      number: '+85291234567',
      enquiries: [
        {
          enquiryId: 'ENQ-20261124-AAAAAAAAAAAA',
          channel: 'web',
          status: 'closed',
          receivedAt: '2026-11-24T05:00:00.000Z',
          settledAt: '2026-11-24T06:00:00.000Z',
          language: 'en',
          contact: { callerNumber: '+85291234567', email: null, rawText: '<script>alert(1)</script> & "quotes"', audio: null },
          contactErasedAt: null,
          redactedText: '<img src=x onerror=alert(1)>',
          topic: null,
          draftReply: null,
          decision: null,
          sms: null,
          history: [{ at: '2026-11-24T05:00:00.000Z', from: null, to: 'received', by: 'intake', note: null }],
          deletion: { rawContactBy: '2027-02-22T06:00:00.000Z', recordBy: '2028-11-23T06:00:00.000Z' },
        },
      ],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).toContain('2027-02-22T06:00:00.000Z');
  });
});
