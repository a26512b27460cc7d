/**
 * Who may be sent an SMS, and when: quiet hours, opt-out/opt-in keywords, and the "only the caller" rule.
 */
import { E164PhoneSchema } from '../../../events/intake.ts';
import type { Urgency } from '../topics.ts';

// ---------------------------------------------------------------------------------------------------------
// Quiet hours
// ---------------------------------------------------------------------------------------------------------

export interface QuietHours {
  /** Local hour (0-23) quiet hours begin, inclusive. */
  startHour: number;
  /** Local hour (0-23) sending may resume, at hh:00. */
  endHour: number;
  /** IANA time zone the hours are read in. */
  timeZone: string;
}

export const HONG_KONG_QUIET_HOURS: QuietHours = { startHour: 22, endHour: 8, timeZone: 'Asia/Hong_Kong' };

export type QuietHoursDecision = { sendNow: true } | { sendNow: false; notBefore: Date; delaySeconds: number };

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function utcOffsetMs(instant: Date, timeZone: string): number {
  const wall = wallClockAt(instant, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return wallAsUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a zone's wall clock reads the given local time (the second pass settles DST transitions). */
function instantOfWallClock(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wallAsUtc = Date.UTC(year, month - 1, day, hour); // Date.UTC rolls day 32 into the next month
  const firstGuess = wallAsUtc - utcOffsetMs(new Date(wallAsUtc), timeZone);
  return new Date(wallAsUtc - utcOffsetMs(new Date(firstGuess), timeZone));
}

function isQuietHour(hour: number, window: QuietHours): boolean {
  const { startHour, endHour } = window;
  if (startHour === endHour) return false;
  // 22 → 8 wraps midnight; 1 → 5 does not.
  return startHour > endHour ? hour >= startHour || hour < endHour : hour >= startHour && hour < endHour;
}

/**
 * Send now, or not before the end of quiet hours (22:00-08:00 Hong Kong time by default). Urgent topics
 * are sent at any hour: a burst water main is worth a late-night message.
 */
export function quietHoursDecision(now: Date, urgency: Urgency, window: QuietHours = HONG_KONG_QUIET_HOURS): QuietHoursDecision {
  if (urgency === 'urgent') return { sendNow: true };
  const wall = wallClockAt(now, window.timeZone);
  if (!isQuietHour(wall.hour, window)) return { sendNow: true };
  let notBefore = instantOfWallClock(wall.year, wall.month, wall.day, window.endHour, window.timeZone);
  if (notBefore.getTime() <= now.getTime()) {
    notBefore = instantOfWallClock(wall.year, wall.month, wall.day + 1, window.endHour, window.timeZone);
  }
  return { sendNow: false, notBefore, delaySeconds: Math.ceil((notBefore.getTime() - now.getTime()) / 1000) };
}

// ---------------------------------------------------------------------------------------------------------
// Keywords from two-way SMS
// ---------------------------------------------------------------------------------------------------------

export const OPT_OUT_KEYWORDS = ['STOP', 'UNSUBSCRIBE', '停止', '取消', '退訂', '退订'] as const;
export type OptOutKeyword = (typeof OPT_OUT_KEYWORDS)[number];
export const OPT_IN_KEYWORDS = ['START', '開始', '开始'] as const;
export type OptInKeyword = (typeof OPT_IN_KEYWORDS)[number];

/**
 * Reduces a reply to the keyword it may be: NFKC folds full-width letters and spaces (ＳＴＯＰ → STOP),
 * then case, surrounding whitespace and trailing punctuation ("Stop." / "停止！") are dropped.
 */
export function normaliseKeyword(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[\p{P}\s]+$/u, '')
    .replace(/^[\p{P}\s]+/u, '')
    .toUpperCase();
}

const OPT_OUT = new Set<string>(OPT_OUT_KEYWORDS);
const OPT_IN = new Set<string>(OPT_IN_KEYWORDS);

export const isOptOutKeyword = (text: string): boolean => OPT_OUT.has(normaliseKeyword(text));
export const isOptInKeyword = (text: string): boolean => OPT_IN.has(normaliseKeyword(text));

/** What an inbound reply asks for; anything else is ordinary text and changes nothing. */
export function keywordIntent(text: string): 'opt_out' | 'opt_in' | undefined {
  if (isOptOutKeyword(text)) return 'opt_out';
  if (isOptInKeyword(text)) return 'opt_in';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Who may receive it
// ---------------------------------------------------------------------------------------------------------

/**
 * A phone number in E.164, or undefined if it cannot be read as one. Tolerates formatting (spaces, dashes,
 * dots, brackets, full-width digits), an international 00 prefix, and a bare 8-digit Hong Kong number.
 */
export function toE164(raw: string): string | undefined {
  const compact = raw.normalize('NFKC').replace(/[\s().-]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  const candidate = /^\d{8}$/.test(international) ? `+852${international}` : international;
  return E164PhoneSchema.safeParse(candidate).success ? candidate : undefined;
}

export type SendRefusal = 'invalid_number' | 'no_consent' | 'opted_out' | 'not_callers_number';

export type SendPermission = { allowed: true; to: string } | { allowed: false; reason: SendRefusal };

/**
 * An SMS may go only to the number the enquiry came from, with the caller's consent, and never to an
 * opted-out number. The first failing rule is the reason.
 */
export function canSendTo(input: {
  enquiryCallerNumber: string | undefined;
  requestedNumber: string;
  consent: boolean;
  optedOut: boolean;
}): SendPermission {
  const requested = toE164(input.requestedNumber);
  if (!requested) return { allowed: false, reason: 'invalid_number' };
  if (!input.consent) return { allowed: false, reason: 'no_consent' };
  if (input.optedOut) return { allowed: false, reason: 'opted_out' };
  const caller = input.enquiryCallerNumber === undefined ? undefined : toE164(input.enquiryCallerNumber);
  if (caller !== requested) return { allowed: false, reason: 'not_callers_number' };
  return { allowed: true, to: requested };
}
