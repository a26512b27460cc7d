import { matchRanges } from './spans.ts';
import type { Candidate } from './spans.ts';

// Starts only where a local part can start (and lengths are bounded), so long runs of letters stay linear.
const WRITTEN_EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;

/**
 * Transcribed emails: "peter dot wong at gmail dot com". Requiring a known top-level domain after the
 * last "dot" keeps ordinary sentences with "at" out.
 */
const SPOKEN_EMAIL =
  /\b[a-z0-9]+(?:[ _-]+(?:dot|underscore|dash|hyphen)[ _-]+[a-z0-9]+)*\s+at\s+[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)*\s+dot\s+(?:com|net|org|edu|gov|hk|cn|io|co)\b/gi;

export function findEmails(text: string): Candidate[] {
  return [...matchRanges(text, WRITTEN_EMAIL), ...matchRanges(text, SPOKEN_EMAIL)].map((range) => ({
    type: 'EMAIL',
    ...range,
  }));
}
