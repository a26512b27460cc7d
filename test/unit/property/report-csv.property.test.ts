/**
 * The report CSV (csv-stringify) read back by an independent parser (csv-parse): any cells, including quotes,
 * commas, lone CR / LF, CRLF, Chinese and emoji, come back as written; the BOM leads; a text cell passed
 * through the formula guard never starts with a character a spreadsheet would run.
 */
import { fc, test } from '@fast-check/vitest';
import { parse } from 'csv-parse/sync';
import { describe, expect } from 'vitest';
import { spreadsheetSafeText, toCsv, UTF8_BOM } from '../../../shared/domain/reports/csv.ts';
import { propertyOptions, propertyTimeout } from './runs.ts';

const awkwardText = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.constantFrom('"', ',', '\r', '\n', '\r\n', '=', '+', '-', '@', '\t', '滲水', '😀', ' ', 'a'), { maxLength: 12 }).map((parts) => parts.join('')),
);
const cell = fc.oneof(awkwardText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const asWritten = (value: string | number | boolean | null) => (value === null ? '' : String(value));

describe('report CSV through csv-stringify', () => {
  test.prop([fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 })], propertyOptions)(
    'any records survive a round trip through an independent RFC 4180 parser',
    (records) => {
      const csv = toCsv(records);
      expect(csv.startsWith(UTF8_BOM)).toBe(true);
      expect(csv.endsWith('\r\n')).toBe(true);
      const parsed = parse(csv, { bom: true, relax_column_count: true, record_delimiter: '\r\n' }) as string[][];
      expect(parsed).toEqual(records.map((record) => record.map(asWritten)));
    },
    propertyTimeout,
  );

  test.prop([awkwardText], propertyOptions)('a guarded text cell never starts with = + - @ tab or CR, and keeps the text after its apostrophe', (text) => {
    const safe = spreadsheetSafeText(text);
    expect(safe).not.toMatch(/^[=+\-@\t\r]/);
    expect(safe === text || safe === `'${text}`).toBe(true);
  }, propertyTimeout);
});
