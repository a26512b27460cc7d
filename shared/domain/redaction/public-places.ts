import type { TextRange } from './spans.ts';

/*
 * An address that points at a home is redacted, but the estate, street or area it starts or ends with is kept:
 * "樂富邨[ADDRESS]" or "[ADDRESS], Lok Fu Estate" says where a problem is (thousands of households), not who the
 * caller is, while the block, floor, flat and house number that would find the caller are gone. Only names from
 * the gazetteer are kept (see publicPlaceNames in shared/domain/location/gazetteer.ts), never a building's name
 * a caller writes, which may hold a handful of flats.
 */

export interface PublicPlaceIndex {
  /** Chinese names by first character, longest first. */
  han: Map<string, string[]>;
  /** Latin names, lowercase, longest first. */
  latin: string[];
}

const HAN = /\p{Script=Han}/u;
const WORD = /[A-Za-z0-9]/;
const SEPARATOR = /[\s,，、]/;

export function publicPlaceIndex(names: readonly string[]): PublicPlaceIndex {
  const han = new Map<string, string[]>();
  const latin: string[] = [];
  for (const name of new Set(names)) {
    if (name.length < 2) continue;
    if (HAN.test(name)) han.set(name[0] as string, [...(han.get(name[0] as string) ?? []), name]);
    else latin.push(name.toLowerCase());
  }
  for (const list of han.values()) list.sort((a, b) => b.length - a.length);
  latin.sort((a, b) => b.length - a.length);
  return { han, latin };
}

function latinAt(lower: string, at: number, name: string): boolean {
  return lower.startsWith(name, at) && !WORD.test(lower.charAt(at - 1) || ' ') && !WORD.test(lower.charAt(at + name.length) || ' ');
}

/** Length of the longest public place name starting at `at` and ending by `end`, or 0. */
function nameStartingAt(text: string, lower: string, at: number, end: number, index: PublicPlaceIndex): number {
  const han = index.han.get(text.charAt(at))?.find((name) => at + name.length <= end && text.startsWith(name, at));
  if (han) return han.length;
  return index.latin.find((name) => at + name.length <= end && latinAt(lower, at, name))?.length ?? 0;
}

/** Length of the longest public place name ending at `at` and starting at or after `start`, or 0. */
function nameEndingAt(text: string, lower: string, start: number, at: number, index: PublicPlaceIndex): number {
  let best = 0;
  for (const list of index.han.values()) {
    for (const name of list) if (name.length > best && at - name.length >= start && text.startsWith(name, at - name.length)) best = name.length;
  }
  for (const name of index.latin) if (name.length > best && at - name.length >= start && latinAt(lower, at - name.length, name)) best = name.length;
  return best;
}

/** The part of an address to redact once public place names at its start and end are left out. */
export function withoutPublicPlaces(text: string, range: TextRange, index: PublicPlaceIndex): TextRange {
  const lower = text.toLowerCase();
  let { start, end } = range;
  for (let found = nameStartingAt(text, lower, start, end, index); found > 0; found = nameStartingAt(text, lower, start, end, index)) {
    start += found;
    while (start < end && SEPARATOR.test(text.charAt(start))) start++;
  }
  for (let found = nameEndingAt(text, lower, start, end, index); found > 0; found = nameEndingAt(text, lower, start, end, index)) {
    end -= found;
    while (end > start && SEPARATOR.test(text.charAt(end - 1))) end--;
  }
  return start < end ? { start, end } : range;
}
