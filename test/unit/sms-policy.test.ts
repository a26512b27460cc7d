import { describe, expect, it } from 'vitest';
import {
  canSendTo,
  isOptInKeyword,
  isOptOutKeyword,
  keywordIntent,
  parseQuietHours,
  quietHoursDecision,
  toE164,
} from '../../shared/domain/sms/policy.ts';
import { loadConfig } from '../../shared/config.ts';
import { MAX_DEFERRAL_SECONDS } from '../../shared/ports/message-deferral.ts';

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
    const london = { ...parseQuietHours('22:00-08:00'), timeZone: 'Europe/London' };
    expect(quietHoursDecision(at('2026-11-24T23:00:00Z'), 'routine', london)).toMatchObject({ notBefore: at('2026-11-25T08:00:00Z') });
  });
});

describe('configured quiet hours (SMS_QUIET_HOURS)', () => {
  it('reads minutes, not only hours', () => {
    const window = parseQuietHours('21:30-07:45');
    expect(quietHoursDecision(at('2026-11-24T13:29:00Z'), 'routine', window)).toEqual({ sendNow: true });
    expect(quietHoursDecision(at('2026-11-24T13:30:00Z'), 'routine', window)).toMatchObject({ notBefore: at('2026-11-24T23:45:00Z') });
    expect(quietHoursDecision(at('2026-11-24T23:45:00Z'), 'routine', window)).toEqual({ sendNow: true });
  });

  it('accepts a window of exactly 12 hours (21:00-09:00), whose longest wait is exactly the SQS limit', () => {
    const window = parseQuietHours('21:00-09:00');
    // 21:00:00 HKT, the first instant of the window: the longest deferral the window can ask for.
    expect(quietHoursDecision(at('2026-11-24T13:00:00Z'), 'routine', window)).toEqual({
      sendNow: false,
      notBefore: at('2026-11-25T01:00:00Z'),
      delaySeconds: MAX_DEFERRAL_SECONDS,
    });
    expect(loadConfig({ SMS_QUIET_HOURS: '21:00-09:00' }).SMS_QUIET_HOURS).toEqual(window);
  });

  it.each(['20:59-09:00', '21:00-09:01', '20:00-10:00', '08:00-22:00'])('refuses %s, longer than 12 hours, naming the variable', (value) => {
    expect(() => loadConfig({ SMS_QUIET_HOURS: value })).toThrow(/^invalid configuration: SMS_QUIET_HOURS: must be at most 12 hours long/);
  });

  it.each(['22-08', '22:00–08:00', '24:00-08:00', '22:00-08:60', ' 22:00-08:00'])('refuses %j, not two HH:MM times', (value) => {
    expect(() => loadConfig({ SMS_QUIET_HOURS: value })).toThrow(/SMS_QUIET_HOURS: must be a window "HH:MM-HH:MM"/);
  });

  it('refuses an empty window and names the CDK context when read there', () => {
    expect(() => loadConfig({ SMS_QUIET_HOURS: '22:00-22:00' })).toThrow(/SMS_QUIET_HOURS: must not start and end at the same time/);
    expect(() => parseQuietHours('20:00-09:00', 'context smsQuietHours')).toThrow(/^context smsQuietHours must be at most 12 hours long/);
  });

  it('keeps the default 22:00-08:00 when unset', () => {
    expect(loadConfig({}).SMS_QUIET_HOURS).toBeUndefined();
    expect(quietHoursDecision(at('2026-11-24T14:00:00Z'), 'routine')).toMatchObject({ delaySeconds: 10 * 3600 });
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
