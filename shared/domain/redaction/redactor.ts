import type {
  PersonalDataRedactor,
  RedactedEntity,
  RedactionResult,
} from '../../ports/personal-data-redactor.ts';
import { findAddresses } from './address.ts';
import { publicPlaceIndex, type PublicPlaceIndex } from './public-places.ts';
import { resolveOverlaps } from './combine.ts';
import { findEmails } from './email.ts';
import { findHkids } from './hkid.ts';
import { findKeptRanges } from './kept-ranges.ts';
import { findPaymentCards } from './payment-card.ts';
import { findWrittenPhoneNumbers, withoutCountryCode } from './phone-numbers.ts';
import { findSelfIntroducedNames } from './self-introduced-names.ts';
import { overlaps } from './spans.ts';
import type { Candidate, TextRange } from './spans.ts';
import { findSpokenPhoneNumbers } from './spoken-digits.ts';
import { digitsOf, toHalfWidth } from './text-normalisation.ts';

export interface RedactorOptions {
  /**
   * Public government numbers from the knowledge base ("2868 0000", "1823", "+852 2414 5555") that
   * replies may quote, so they are never redacted. Compared digit by digit, with or without 852.
   */
  publicNumbers?: string[];
  /**
   * Gazetteer names of estates, streets, areas, stations and landmarks (publicPlaceNames): kept when a home
   * address starts or ends with one, so where the problem is survives while flat, floor and block do not.
   */
  publicPlaces?: readonly string[];
}

function detectorsWith(publicPlaces: PublicPlaceIndex | undefined): ReadonlyArray<(text: string) => Candidate[]> {
  return [
    findHkids,
    findWrittenPhoneNumbers,
    findSpokenPhoneNumbers,
    findEmails,
    findPaymentCards,
    (text) => findAddresses(text, publicPlaces),
    findSelfIntroducedNames,
  ];
}

/** Findings that are really a public hotline number, or sit on a case/reference number or money amount. */
function isNotPersonal(candidate: Candidate, keptRanges: TextRange[], publicNumbers: ReadonlySet<string>): boolean {
  if (candidate.type !== 'PHONE' && candidate.type !== 'CARD') return false;
  if (candidate.digits !== undefined && publicNumbers.has(withoutCountryCode(candidate.digits))) return true;
  return keptRanges.some((kept) => overlaps(kept, candidate));
}

function toEntity({ type, start, end, verified }: Candidate): RedactedEntity {
  return verified === undefined ? { type, start, end } : { type, start, end, verified };
}

/** Replaces each span with its placeholder, copying everything between spans from the original text. */
function applyPlaceholders(text: string, entities: RedactedEntity[]): string {
  let redacted = '';
  let cursor = 0;
  for (const entity of entities) {
    redacted += `${text.slice(cursor, entity.start)}[${entity.type}]`;
    cursor = entity.end;
  }
  return redacted + text.slice(cursor);
}

export function createRedactor(options: RedactorOptions = {}): PersonalDataRedactor {
  const publicNumbers = new Set((options.publicNumbers ?? []).map((number) => withoutCountryCode(digitsOf(toHalfWidth(number)))));
  const detectors = detectorsWith(options.publicPlaces ? publicPlaceIndex(options.publicPlaces) : undefined);
  return {
    redact(text: string): RedactionResult {
      // Same length as `text`, so offsets found here are offsets into the original.
      const normalised = toHalfWidth(text);
      const keptRanges = findKeptRanges(normalised);
      const candidates = detectors.flatMap((detect) => detect(normalised)).filter(
        (candidate) => !isNotPersonal(candidate, keptRanges, publicNumbers),
      );
      const entities = resolveOverlaps(candidates).map(toEntity);
      return { text: applyPlaceholders(text, entities), entities };
    },
  };
}

/** One-off convenience; build a redactor once with `createRedactor` when redacting many texts. */
export function redactPersonalData(text: string, options?: RedactorOptions): RedactionResult {
  return createRedactor(options).redact(text);
}
