import type { RedactedEntity } from '../../ports/personal-data-redactor.ts';

/** A half-open range of UTF-16 offsets, `end` exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

/**
 * A detector's finding before overlaps are resolved. Number-like findings carry their `digits` so the
 * redactor can let configured public hotline numbers through whatever way they were written or spoken.
 */
export interface Candidate extends RedactedEntity {
  digits?: string;
}

export function overlaps(a: TextRange, b: TextRange): boolean {
  return a.start < b.end && b.start < a.end;
}

export function contains(outer: TextRange, inner: TextRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** Every match of a global regex as a range, optionally narrowed to one capture group (needs the `d` flag). */
export function matchRanges(text: string, pattern: RegExp, group = 0): TextRange[] {
  const ranges: TextRange[] = [];
  for (const match of text.matchAll(pattern)) {
    const indices = match.indices?.[group];
    if (indices) ranges.push({ start: indices[0], end: indices[1] });
    else if (group === 0) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return ranges;
}
