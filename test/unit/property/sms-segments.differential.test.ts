/**
 * Our GSM-7 / UCS-2 segmentation (shared/domain/sms/encoding.ts) checked against Twilio's
 * `sms-segments-calculator` on generated messages: GSM-7 basic and extension characters, CJK, emoji and
 * other surrogate pairs, combining marks, ZWJ sequences, flags, and mixtures of all of them.
 *
 * Known differences, each asserted below with its reason rather than ignored:
 * 1. The empty text: we count 0 segments (nothing is sent), the calculator 1.
 * 2. A grapheme cluster of several code points (ZWJ family, skin tone, flag, letter + combining mark) that
 *    straddles a segment boundary: the calculator never splits a cluster, so it opens a new segment early;
 *    we split between code points (never inside a surrogate pair or a GSM escape pair), which is what
 *    3GPP TS 23.040 concatenation allows: the handset reassembles the parts before it renders, so the
 *    cluster still shows whole. Ours is then the minimum and theirs is higher, never the other way round.
 * Everywhere else (encoding chosen, segment count) the two must agree exactly.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { SegmentedMessage } from 'sms-segments-calculator';
import { analyseSms, splitSms, SMS_SEGMENT_LIMITS } from '../../../shared/domain/sms/encoding.ts';
import { propertyOptions, propertyTimeout } from './runs.ts';

const GSM_BASIC = [...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'];
const GSM_EXTENSION = [...'\f^{}\\[]~|€'];
const CJK = [...'你好香港政府熱線查詢噪音投訴渠務署食環署屋宇署漏水𠮷𡃁𨋢'];
/** Clusters of several code points: what the calculator keeps whole and we may split. */
const MULTI_CODE_POINT_CLUSTERS = ['👨‍👩‍👧', '👍🏽', '🇭🇰', 'e\u0301', '❤️', '🧑🏻‍💻', 'ก่'];
const SINGLE_SURROGATE_PAIRS = ['😀', '📞', '🚒', '𝄞', '𠮷'];

const gsmChar = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...GSM_BASIC) }, { weight: 1, arbitrary: fc.constantFrom(...GSM_EXTENSION) });
/** Non-GSM text whose every grapheme is a single code point (BMP or astral). */
const singleCodePointChar = fc.oneof(
  gsmChar,
  fc.constantFrom(...CJK),
  fc.constantFrom(...SINGLE_SURROGATE_PAIRS),
  fc.constantFrom('ç', '\u00a0', '’', '“', '—', 'Ā', 'ж', 'あ'),
);
const anyPiece = fc.oneof(singleCodePointChar, fc.constantFrom(...MULTI_CODE_POINT_CLUSTERS), fc.constantFrom('\r\n'), fc.string({ unit: 'grapheme', maxLength: 2 }));

/** Lengths around the segment limits are where counting goes wrong: up to ~5 segments of GSM-7. */
const textOf = (piece: fc.Arbitrary<string>) => fc.array(piece, { minLength: 1, maxLength: 800, size: 'max' }).map((pieces) => pieces.join(''))
    .filter((text) => text !== ''); // the empty text is known difference 1, tested on its own

const hasMultiCodePointCluster = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].some(({ segment }) => [...segment].length > 1 && segment !== '\r\n');

function compare(text: string) {
  const ours = analyseSms(text);
  const theirs = new SegmentedMessage(text);
  return { ours, theirs: { encoding: theirs.encodingName, segments: theirs.segmentsCount } };
}

/** Tally of the mixture property, printed at full size for the record (README, issue note). */
const tally = { compared: 0, clusterDifferences: 0 };

describe('SMS segmentation against sms-segments-calculator', () => {
  afterAll(() => {
    if (process.env['PROPERTY_RUNS']) console.log(`sms-segments-calculator: ${tally.compared} mixed messages compared, ${tally.clusterDifferences} differ by the known cluster difference`);
  });

  test.prop([textOf(gsmChar)], propertyOptions)('GSM-7 texts (basic and extension): same encoding and segment count', (text) => {
    const { ours, theirs } = compare(text);
    expect(ours.encoding).toBe('GSM-7');
    expect({ encoding: ours.encoding, segments: ours.segments }).toEqual(theirs);
  }, propertyTimeout);

  test.prop([textOf(singleCodePointChar)], propertyOptions)('texts of single-code-point characters (CJK, surrogate pairs, GSM mixed in): same encoding and count', (text) => {
    const { ours, theirs } = compare(text);
    expect({ encoding: ours.encoding, segments: ours.segments }).toEqual(theirs);
  }, propertyTimeout);

  test.prop([textOf(anyPiece)], propertyOptions)('any mixture: same encoding; a count differs only by the known cluster difference, ours lower', (text) => {
    const { ours, theirs } = compare(text);
    expect(ours.encoding).toBe(theirs.encoding);
    tally.compared++;
    if (ours.segments !== theirs.segments) {
      tally.clusterDifferences++;
      expect(ours.segments).toBeLessThan(theirs.segments);
      expect(hasMultiCodePointCluster(text)).toBe(true);
      // Ours is still a real packing: the parts we would send fit the limit and rebuild the text.
      const parts = splitSms(text);
      expect(parts).toHaveLength(ours.segments);
      expect(parts.join('')).toBe(text);
      for (const part of parts) expect(analyseSms(part).units).toBeLessThanOrEqual(SMS_SEGMENT_LIMITS[ours.encoding].multipart);
    }
  }, propertyTimeout);
});

describe('known differences from sms-segments-calculator, with the reason', () => {
  test('the empty text: nothing is sent, so 0 segments (the calculator says 1)', () => {
    expect(analyseSms('').segments).toBe(0);
    expect(new SegmentedMessage('').segmentsCount).toBe(1);
  });

  test('a ZWJ family straddling the 67-unit UCS-2 boundary: we split between code points, the calculator keeps the cluster whole', () => {
    // 65 CJK units, then 👨‍👩‍👧 (8 units: three surrogate pairs and two ZWJs), then 61 more: 134 units, exactly
    // two full parts when the first part may end after 👨 (unit 67).
    const text = '港'.repeat(65) + '👨‍👩‍👧' + '港'.repeat(61);
    expect(analyseSms(text)).toMatchObject({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(new SegmentedMessage(text).segmentsCount).toBe(3);
    // Our split never breaks a surrogate pair: each part is valid UTF-16 on its own.
    for (const part of splitSms(text)) expect(part.isWellFormed()).toBe(true);
  });

  test('CR LF is two GSM-7 basic characters in both (no difference)', () => {
    const text = 'Line\r\n'.repeat(30);
    expect(compare(text)).toEqual({ ours: expect.objectContaining({ encoding: 'GSM-7', segments: 2 }), theirs: { encoding: 'GSM-7', segments: 2 } });
  });
});
