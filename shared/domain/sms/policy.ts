/**
 * Who may be sent an SMS, and when: quiet hours, opt-out/opt-in keywords, and the "only the caller" rule.
 */
import * as z from 'zod/mini';
import { E164PhoneSchema } from '../../../events/phone-number.ts';
import { MAX_DEFERRAL_SECONDS } from '../../ports/message-deferral.ts';
import type { Urgency } from '../../vocabulary/topics.ts';
import { check } from '../validation.ts';

// ---------------------------------------------------------------------------------------------------------
// Quiet hours
// ---------------------------------------------------------------------------------------------------------

export interface QuietHours {
  /** Local time quiet hours begin (inclusive), in minutes after midnight: 22:00 is 1320. */
  startMinute: number;
  /** Local time sending may resume, in minutes after midnight. */
  endMinute: number;
  /** IANA time zone the times are read in. */
  timeZone: string;
}

/** The deployed window unless SMS_QUIET_HOURS says otherwise (Hong Kong time). */
export const DEFAULT_QUIET_HOURS = '22:00-08:00';
const QUIET_HOURS_TIME_ZONE = 'Asia/Hong_Kong';

/*
 * A deferred SMS waits on its queue, hidden (MessageDeferral), and SQS hides a received message for at
 * most 12 hours. A window no longer than that is waited out with one deferral (Hong Kong keeps no
 * daylight saving, so a night's wait is never longer than the window); a longer one would re-receive the
 * message mid-window and spend receives the queue keeps for failures (it redrives to its DLQ after a few).
 */
const MINUTES_PER_DAY = 24 * 60;
const WINDOW_FORMAT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

const minutesOf = (hours: string | undefined, minutes: string | undefined): number => Number(hours) * 60 + Number(minutes);

/** "22:00-08:00" as a window in Hong Kong time; undefined unless the text is two HH:MM times. */
function windowOf(text: string): QuietHours | undefined {
  const match = WINDOW_FORMAT.exec(text);
  if (!match) return undefined;
  return { startMinute: minutesOf(match[1], match[2]), endMinute: minutesOf(match[3], match[4]), timeZone: QUIET_HOURS_TIME_ZONE };
}

/** Minutes from the start of the window to its end, across midnight when it wraps. */
export const windowMinutes = (window: Pick<QuietHours, 'startMinute' | 'endMinute'>): number =>
  (window.endMinute - window.startMinute + MINUTES_PER_DAY) % MINUTES_PER_DAY;

/** Length in minutes of a well-formed window; undefined for malformed text (the format check reports that). */
const lengthOf = (text: string): number | undefined => {
  const window = windowOf(text);
  return window && windowMinutes(window);
};

/** The configured quiet hours ("HH:MM-HH:MM", Hong Kong time), refused if one deferral could not wait them out. */
export const QuietHoursSchema = z.pipe(
  z.string().check(
    z.regex(WINDOW_FORMAT, 'must be a window "HH:MM-HH:MM" in Hong Kong time, e.g. "22:00-08:00"'),
    z.refine((text) => lengthOf(text) !== 0, 'must not start and end at the same time'),
    z.refine(
      (text) => (lengthOf(text) ?? 0) * 60 <= MAX_DEFERRAL_SECONDS,
      `must be at most ${MAX_DEFERRAL_SECONDS / 3600} hours long: a deferred SMS waits on its SQS queue, which hides a message for at most that long`,
    ),
  ),
  z.transform((text): QuietHours => windowOf(text) as QuietHours),
);

/** Parses a window, throwing with the problem (for callers outside a config schema, e.g. CDK context). */
export function parseQuietHours(text: string, name = 'quiet hours'): QuietHours {
  const result = check(QuietHoursSchema, text);
  if (!result.success) throw new Error(`${name} ${result.problems.map((p) => p.problem).join('; ')}`);
  return result.data;
}

export const HONG_KONG_QUIET_HOURS: QuietHours = parseQuietHours(DEFAULT_QUIET_HOURS);

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
function instantOfWallClock(year: number, month: number, day: number, minuteOfDay: number, timeZone: string): Date {
  const wallAsUtc = Date.UTC(year, month - 1, day, 0, minuteOfDay); // Date.UTC rolls day 32 into the next month
  const firstGuess = wallAsUtc - utcOffsetMs(new Date(wallAsUtc), timeZone);
  return new Date(wallAsUtc - utcOffsetMs(new Date(firstGuess), timeZone));
}

function isQuietMinute(minute: number, window: QuietHours): boolean {
  const { startMinute, endMinute } = window;
  if (startMinute === endMinute) return false;
  // 22:00 → 08:00 wraps midnight; 01:00 → 05:00 does not.
  return startMinute > endMinute ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
}

/**
 * Send now, or not before the end of quiet hours (SMS_QUIET_HOURS, 22:00-08:00 Hong Kong time by default). Urgent topics
 * are sent at any hour: a burst water main is worth a late-night message.
 */
export function quietHoursDecision(now: Date, urgency: Urgency, window: QuietHours = HONG_KONG_QUIET_HOURS): QuietHoursDecision {
  if (urgency === 'urgent') return { sendNow: true };
  const wall = wallClockAt(now, window.timeZone);
  if (!isQuietMinute(wall.hour * 60 + wall.minute, window)) return { sendNow: true };
  let notBefore = instantOfWallClock(wall.year, wall.month, wall.day, window.endMinute, window.timeZone);
  if (notBefore.getTime() <= now.getTime()) {
    notBefore = instantOfWallClock(wall.year, wall.month, wall.day + 1, window.endMinute, window.timeZone);
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
