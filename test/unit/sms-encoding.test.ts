import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.ts';
import {
  analyseSms,
  assertSmsWithinSegments,
  checkSmsLength,
  SmsTooLongError,
  splitSms,
} from '../../shared/domain/sms/encoding.ts';

/** Units a part costs: septets for GSM-7 text, UTF-16 code units otherwise. */
const unitsOf = (part: string) => analyseSms(part).units;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

describe('SMS encoding and segments', () => {
  it('fits 160 GSM-7 characters in one segment and splits 161 into two of at most 153', () => {
    expect(analyseSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1, perSegmentLimit: 160 });
    expect(analyseSms('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2, perSegmentLimit: 153 });
    expect(analyseSms('a'.repeat(306)).segments).toBe(2);
    expect(analyseSms('a'.repeat(307)).segments).toBe(3);
    expect(splitSms('a'.repeat(161)).map((part) => part.length)).toEqual([153, 8]);
  });

  it('keeps GSM accented letters and Greek capitals in GSM-7', () => {
    expect(analyseSms('Café ΔΩ £5 @ 10:00, Ñandù; ¿Qué? §3 ß Ç').encoding).toBe('GSM-7');
    // í and ú are not in GSM 03.38 (ì and ù are): one of them makes the whole text UCS-2.
    expect(analyseSms('Sí').encoding).toBe('UCS-2');
  });

  it('counts each extension character (^ { } \\ [ ~ ] | €) as two septets', () => {
    expect(analyseSms('^{}\\[~]|€')).toMatchObject({ encoding: 'GSM-7', units: 18, segments: 1 });
    expect(analyseSms('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    expect(analyseSms('€'.repeat(81))).toMatchObject({ units: 162, segments: 2 });
    expect(analyseSms(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape pair at the 153-septet boundary', () => {
    // 152 septets, then € (2 septets) would straddle septets 153-154: it must move whole to part two.
    const text = `${'a'.repeat(152)}€${'b'.repeat(20)}`;
    const parts = splitSms(text);
    expect(parts).toEqual([`${'a'.repeat(152)}`, `€${'b'.repeat(20)}`]);
    expect(parts.map(unitsOf)).toEqual([152, 22]);
    expect(analyseSms(text).segments).toBe(2);
    // 306 septets would fill two parts exactly, but the unsplittable € pushes the last septet into a third.
    const exact = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(analyseSms(exact)).toMatchObject({ units: 306, segments: 3 });
    expect(splitSms(exact).map(unitsOf)).toEqual([152, 153, 1]);
  });

  it('fits 70 UCS-2 units in one segment and splits 71 into parts of at most 67', () => {
    expect(analyseSms('é'.repeat(69) + 'ä')).toMatchObject({ encoding: 'GSM-7' });
    expect(analyseSms('字'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1, perSegmentLimit: 70 });
    expect(analyseSms('字'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2, perSegmentLimit: 67 });
    expect(splitSms('字'.repeat(71)).map((part) => part.length)).toEqual([67, 4]);
  });

  it('always sends Chinese as UCS-2, even one character in an English text', () => {
    expect(analyseSms('你好').encoding).toBe('UCS-2');
    expect(analyseSms('您好，水務署已收到您的投訴。')).toMatchObject({ encoding: 'UCS-2', units: 14, segments: 1 });
    expect(analyseSms(`Ref ENQ-20261124 ${'a'.repeat(100)} 謝謝`)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('counts an emoji as two UCS-2 units and never splits its surrogate pair', () => {
    expect(analyseSms('👍')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1, perSegmentLimit: 70 });
    expect(analyseSms('😀'.repeat(35)).segments).toBe(1);
    expect(analyseSms('😀'.repeat(36)).segments).toBe(2);
    // 66 units then an emoji: unit 67 would be half a pair, so the emoji starts part two.
    const text = `${'a'.repeat(66)}😀${'b'.repeat(10)}`;
    const parts = splitSms(text);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(67);
      expect(isLowSurrogate(part.charCodeAt(0))).toBe(false);
      expect(isHighSurrogate(part.charCodeAt(part.length - 1))).toBe(false);
    }
    expect(parts[0]).toBe('a'.repeat(66));
  });

  it('keeps a ZWJ emoji sequence whole when a boundary falls inside it', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 units, one grapheme
    const text = `${'字'.repeat(60)}${family}${'字'.repeat(40)}`;
    const parts = splitSms(text);
    expect(parts.join('')).toBe(text);
    expect(parts.some((part) => part.includes(family))).toBe(true);
    expect(parts).toHaveLength(analyseSms(text).segments);
  });

  const sentence = '多謝您致電1823，有關您反映的食水問題，水務署已安排人員跟進。如有查詢，請致電2824 5000！'; // 50 units

  it('splits a long Chinese reply into exact 67-unit parts when the segment count leaves no room', () => {
    const text = sentence.repeat(4); // 200 units: 3 segments only if the first two are full
    expect(analyseSms(text)).toEqual({ encoding: 'UCS-2', units: 200, segments: 3, perSegmentLimit: 67 });
    const parts = splitSms(text);
    expect(parts.map((part) => part.length)).toEqual([67, 67, 66]);
    expect(parts.join('')).toBe(text);
  });

  it('ends Chinese parts at punctuation (，。！) when that costs no extra segment', () => {
    const text = sentence.repeat(5); // 250 units: 4 segments with 18 units to spare
    const parts = splitSms(text);
    expect(parts).toHaveLength(analyseSms(text).segments);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(67);
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/[，。！？、；：\s]$/u);
  });

  it('splits long English at spaces near the limit without adding a segment', () => {
    const text = 'Thank you for calling 1823. The Highways Department will repair the road surface within 7 days. '.repeat(5);
    const parts = splitSms(text);
    expect(parts).toHaveLength(analyseSms(text).segments);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(unitsOf(part)).toBeLessThanOrEqual(153);
    for (const part of parts.slice(0, -1)) expect(part).toMatch(/[\s.]$/);
  });

  it('returns a short text as one part and an empty text as none', () => {
    expect(splitSms('Hello')).toEqual(['Hello']);
    expect(splitSms('')).toEqual([]);
    expect(analyseSms('')).toMatchObject({ segments: 0, units: 0 });
  });

  it('rejects a reply over the maximum number of segments with a message for the agent', () => {
    const fourSegments = '字'.repeat(67 * 4);
    expect(assertSmsWithinSegments(fourSegments).segments).toBe(4);
    const fiveSegments = '字'.repeat(67 * 4 + 1);
    expect(() => assertSmsWithinSegments(fiveSegments)).toThrow(SmsTooLongError);
    const check = checkSmsLength(fiveSegments, 4);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error).toBeInstanceOf(ValidationError);
    expect(check.error.problems).toEqual([
      {
        field: 'text',
        problem: expect.stringContaining('would need 5 segments (UCS-2, 269'),
      },
    ]);
    expect(check.error.problems[0]!.problem).toContain('at most 4 segments (268');
    expect(checkSmsLength('a'.repeat(400), 2).ok).toBe(false);
    expect(checkSmsLength('a'.repeat(400), 3).ok).toBe(true);
  });
});
