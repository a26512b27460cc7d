import { digitsOf } from './text-normalisation.ts';
import type { Candidate } from './spans.ts';

/** Hong Kong subscriber numbers: 8 digits, first digit 2,3,5,6,7,8 or 9; optionally dialled with 852. */
const HONG_KONG_DIGITS = /^(?:852)?[235-9]\d{7}$/;
/** Mainland mobiles: 11 digits 13x..19x; optionally dialled with 86. */
const MAINLAND_MOBILE_DIGITS = /^(?:86)?1[3-9]\d{9}$/;

/** Whether a digit string (from written or spoken digits) is a dialable Hong Kong or mainland mobile number. */
export function isPhoneDigits(digits: string): boolean {
  return HONG_KONG_DIGITS.test(digits) || MAINLAND_MOBILE_DIGITS.test(digits);
}

/** The number without its country code, so "+852 2868 0000" and "2868 0000" compare equal. */
export function withoutCountryCode(digits: string): string {
  if (digits.length === 11 && digits.startsWith('852')) return digits.slice(3);
  if (digits.length === 13 && digits.startsWith('86')) return digits.slice(2);
  return digits;
}

// Shared edges: no letter/digit just before (so codes like FEHD20261124 stay), and the number may not
// continue into another digit group ("4111 1111 1111 1111" is not a phone number followed by more).
const NOT_AFTER_CODE = String.raw`(?<![A-Za-z0-9_])(?<!\d[ -])`;
const NOT_BEFORE_MORE_DIGITS = String.raw`(?![ -]?\d)`;
const SPACED_DIGITS = (count: number): string => String.raw`(?:[ -]?\d){${count}}`;

const HONG_KONG_PHONE = new RegExp(
  NOT_AFTER_CODE +
    String.raw`(?:(?:\+|00)?852[ -]?|\(\+?852\) ?)?` +
    String.raw`[235-9]${SPACED_DIGITS(7)}` +
    NOT_BEFORE_MORE_DIGITS,
  'g',
);

const MAINLAND_MOBILE = new RegExp(
  NOT_AFTER_CODE +
    String.raw`(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?` +
    String.raw`1[3-9]\d${SPACED_DIGITS(8)}` +
    NOT_BEFORE_MORE_DIGITS,
  'g',
);

const LOCAL_PART = /[235-9](?:[ -]?\d){7}$/;
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Eight digits can also be a date or a span of years. Reject the groupings phone numbers are never
 * written in: 2026-03-15 (4-2-2), 15-03-2026 (2-2-4), and year ranges joined by a hyphen like 2025-2026.
 * A number dialled with its country code (+852 2000 1900) is a phone number whatever its digits; two
 * years with a space between (2000 1900) are more likely a landline than a period, so they are redacted.
 */
function looksLikeDateOrYears(written: string, localNumber: string): boolean {
  if (written.length !== localNumber.length) return false; // a country code or prefix was dialled
  const groups = localNumber.split(/[ -]/);
  const lengths = groups.map((group) => group.length).join('-');
  if (lengths === '4-2-2' || lengths === '2-2-4') return true;
  return groups.length === 2 && localNumber.includes('-') && groups.every((group) => YEAR.test(group));
}

/** Hong Kong and mainland phone numbers written in digits (full-width digits already folded to ASCII). */
export function findWrittenPhoneNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const pattern of [HONG_KONG_PHONE, MAINLAND_MOBILE]) {
    for (const match of text.matchAll(pattern)) {
      const written = match[0];
      const localNumber = LOCAL_PART.exec(written)?.[0] ?? written;
      if (pattern === HONG_KONG_PHONE && looksLikeDateOrYears(written, localNumber)) continue;
      found.push({
        type: 'PHONE',
        start: match.index,
        end: match.index + written.length,
        digits: digitsOf(written),
      });
    }
  }
  return found;
}
