/** The kinds of personal data the redactor finds; each is replaced by `[TYPE]` in the redacted text. */
export type RedactedEntityType = 'HKID' | 'PHONE' | 'EMAIL' | 'CARD' | 'ADDRESS' | 'NAME';

/**
 * Where one piece of personal data was. Offsets are UTF-16 code-unit offsets into the ORIGINAL text
 * (as `String.prototype.slice` counts), `end` exclusive. The value itself is never carried here, so
 * entities can be persisted and logged.
 */
export interface RedactedEntity {
  type: RedactedEntityType;
  start: number;
  end: number;
  /** HKID only: true when the check digit is valid, false for HKID-shaped strings that fail it. */
  verified?: boolean;
}

export interface RedactionResult {
  /** The input with every entity replaced by its placeholder; everything else byte-identical. */
  text: string;
  /** Found entities, ordered by `start`, non-overlapping. */
  entities: RedactedEntity[];
}

/** Strips personal data from enquiry text before any model or log sees it. */
export interface PersonalDataRedactor {
  redact(text: string): RedactionResult;
}
