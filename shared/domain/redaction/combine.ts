import type { RedactedEntityType } from '../../ports/personal-data-redactor.ts';
import { contains, overlaps } from './spans.ts';
import type { Candidate } from './spans.ts';

/** When two findings cover exactly the same length, the more specific one names the span. */
const SPECIFICITY: readonly RedactedEntityType[] = ['HKID', 'CARD', 'EMAIL', 'PHONE', 'ADDRESS', 'NAME'];

function byLengthThenSpecificity(a: Candidate, b: Candidate): number {
  const byLength = b.end - b.start - (a.end - a.start);
  return byLength !== 0 ? byLength : SPECIFICITY.indexOf(a.type) - SPECIFICITY.indexOf(b.type);
}

/**
 * Turns overlapping findings into disjoint spans ordered by start. The longest (then most specific)
 * finding wins; a finding it fully contains is dropped. A finding that only partly overlaps it widens
 * the winner instead of being dropped, so no part of either value can leak into the redacted text.
 */
export function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  for (const candidate of [...candidates].sort(byLengthThenSpecificity)) {
    const overlapping = kept.filter((winner) => overlaps(winner, candidate));
    if (overlapping.length === 0) {
      kept.push({ ...candidate });
      continue;
    }
    for (const winner of overlapping) {
      if (contains(winner, candidate)) continue;
      winner.start = Math.min(winner.start, candidate.start);
      winner.end = Math.max(winner.end, candidate.end);
    }
  }
  return mergeTouchingWinners(kept.sort((a, b) => a.start - b.start));
}

/** Widening can make two winners overlap; fold those into the earlier one. */
function mergeTouchingWinners(sorted: Candidate[]): Candidate[] {
  const merged: Candidate[] = [];
  for (const span of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && overlaps(previous, span)) previous.end = Math.max(previous.end, span.end);
    else merged.push(span);
  }
  return merged;
}
