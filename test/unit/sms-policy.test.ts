import { describe, expect, it } from 'vitest';
import {
  canSendTo,
  isOptInKeyword,
  isOptOutKeyword,
  keywordIntent,
  quietHoursDecision,
  toE164,
} from '../../shared/domain/sms/policy.ts';

// Hong Kong is UTC+8 all year: 22:00 HKT is 14:00Z, 08:00 HKT is 00:00Z.
const at = (iso: string) => new Date(iso);

describe('quiet hours (22:00-08:00 Hong Kong time)', () => {
  it('sends at 21:59 HKT', () => {
    expect(quietHoursDecision(at('2026-11-24T13:59:00Z'), 'routine')).toEqual({ sendNow: true });
  });

  it('defers at 22:00 HKT until 08:00 HKT the next morning', () => {
    expect(quietHoursDecision(at('2026-11-24T14:00:00Z'), 'routine')).toEqual({
      sendNow: false,
      notBefore: at('2026-11-25T00:00:00Z'),
      delaySeconds: 10 * 3600,
    });
  });

  it('defers at 07:59 HKT for the remaining minute', () => {
    expect(quietHoursDecision(at('2026-11-24T23:59:00Z'), 'priority')).toEqual({
      sendNow: false,
      notBefore: at('2026-11-25T00:00:00Z'),
      delaySeconds: 60,
    });
    // Seconds count too: never release a message before 08:00:00.
    expect(quietHoursDecision(at('2026-11-24T23:59:59.500Z'), 'routine')).toMatchObject({ delaySeconds: 1 });
  });

  it('sends at 08:00 HKT', () => {
    expect(quietHoursDecision(at('2026-11-25T00:00:00Z'), 'routine')).toEqual({ sendNow: true });
  });

  it('defers just after midnight HKT to the same morning, and across a month end', () => {
    expect(quietHoursDecision(at('2026-11-24T16:30:00Z'), 'routine')).toMatchObject({ notBefore: at('2026-11-25T00:00:00Z') });
    expect(quietHoursDecision(at('2026-11-30T15:30:00Z'), 'routine')).toMatchObject({ notBefore: at('2026-12-01T00:00:00Z') });
  });

  it('sends urgent topics at any hour', () => {
    expect(quietHoursDecision(at('2026-11-24T18:00:00Z'), 'urgent')).toEqual({ sendNow: true });
  });

  it('reads the hours in the configured time zone', () => {
    // 23:00 in London (GMT in November) is 07:00 HKT the next day: quiet in both, until 08:00 London time.
    const london = { startHour: 22, endHour: 8, timeZone: 'Europe/London' };
    expect(quietHoursDecision(at('2026-11-24T23:00:00Z'), 'routine', london)).toMatchObject({ notBefore: at('2026-11-25T08:00:00Z') });
  });
});

describe('opt-out and opt-in keywords', () => {
  it.each(['STOP', 'stop', ' Stop ', 'Stop.', 'ＳＴＯＰ', 'ｓｔｏｐ', 'UNSUBSCRIBE', '停止', '停止！', '取消', '退訂', '退订', '　停止　'])(
    'recognises %j as an opt-out',
    (text) => {
      expect(isOptOutKeyword(text)).toBe(true);
      expect(keywordIntent(text)).toBe('opt_out');
    },
  );

  it.each(['START', 'start', 'ＳＴＡＲＴ', '開始', '开始'])('recognises %j as an opt-in', (text) => {
    expect(isOptInKeyword(text)).toBe(true);
    expect(keywordIntent(text)).toBe('opt_in');
  });

  it.each(['', 'please stop the noise at night', 'STOPPED', '唔該停止施工', 'Thanks', 'S T O P'])('treats %j as ordinary text', (text) => {
    expect(isOptOutKeyword(text)).toBe(false);
    expect(keywordIntent(text)).toBeUndefined();
  });
});

describe('who may receive an SMS', () => {
  const caller = '+85291234567';
  const allowed = { enquiryCallerNumber: caller, requestedNumber: caller, consent: true, optedOut: false };

  it('allows the number the enquiry came from, with consent and no opt-out', () => {
    expect(canSendTo(allowed)).toEqual({ allowed: true, to: caller });
  });

  it('compares numbers in E.164, whatever their formatting', () => {
    expect(canSendTo({ ...allowed, requestedNumber: '+852 9123-4567' })).toEqual({ allowed: true, to: caller });
    expect(canSendTo({ ...allowed, requestedNumber: '00852 9123 4567' })).toEqual({ allowed: true, to: caller });
    expect(canSendTo({ ...allowed, requestedNumber: '9123 4567' })).toEqual({ allowed: true, to: caller });
    expect(toE164('＋８５２ ９１２３ ４５６７')).toBe(caller);
  });

  it('refuses any other number', () => {
    expect(canSendTo({ ...allowed, requestedNumber: '+85291234568' })).toEqual({ allowed: false, reason: 'not_callers_number' });
    expect(canSendTo({ ...allowed, requestedNumber: '+8529123456' })).toEqual({ allowed: false, reason: 'not_callers_number' });
    expect(canSendTo({ ...allowed, enquiryCallerNumber: undefined })).toEqual({ allowed: false, reason: 'not_callers_number' });
  });

  it('refuses without consent, to an opted-out number, and to something that is not a phone number', () => {
    expect(canSendTo({ ...allowed, consent: false })).toEqual({ allowed: false, reason: 'no_consent' });
    expect(canSendTo({ ...allowed, optedOut: true })).toEqual({ allowed: false, reason: 'opted_out' });
    expect(canSendTo({ ...allowed, requestedNumber: '12345' })).toEqual({ allowed: false, reason: 'invalid_number' });
    expect(canSendTo({ ...allowed, requestedNumber: 'call me' })).toEqual({ allowed: false, reason: 'invalid_number' });
  });
});
