import { describe, expect, it } from 'vitest';
import { addDays, emptyCounterValues, type TopicCounterRow } from '../../shared/domain/reports/counters.ts';
import { REPORT_CSV_HEADER, UTF8_BOM, csvField, reportToCsv, toCsv, type TopicNames } from '../../shared/domain/reports/csv.ts';
import { buildTopicReport } from '../../shared/domain/reports/report.ts';
import type { DepartmentId, TopicId } from '../../shared/vocabulary/topics.ts';

/** A strict RFC 4180 reader (BOM, CRLF records, quoted fields), to check that what we write reads back. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith(UTF8_BOM)).toBe(true);
  const body = text.slice(1);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"' && field === '') {
      i += 1;
      for (;;) {
        if (i >= body.length) throw new Error('unterminated quoted field');
        if (body[i] === '"' && body[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (body[i] === '"') {
          i += 1;
          break;
        } else {
          field += body[i];
          i += 1;
        }
      }
      if (body[i] !== ',' && body[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
    } else if (c === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (c === '\r') {
      if (body[i + 1] !== '\n') throw new Error(`bare CR at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (c === '\n' || c === '"') throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
      field += c;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not terminated by CRLF');
  return records;
}

describe('CSV fields (RFC 4180)', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line one\nline two', '"line one\nline two"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['"', '""""'],
    ['街道清潔', '街道清潔'],
    ['渠道淤塞，水浸', '渠道淤塞，水浸'],
    ['', ''],
  ])('writes %j as %j', (value, written) => {
    expect(csvField(value)).toBe(written);
  });

  it('writes numbers, booleans and missing values', () => {
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });

  it('starts with a UTF-8 BOM and ends every record with CRLF, newlines inside fields kept quoted', () => {
    const csv = toCsv([
      ['name', 'note'],
      ['滲水, "漏水"', 'first\r\nsecond'],
    ]);
    expect(csv).toBe('\uFEFFname,note\r\n"滲水, ""漏水""","first\r\nsecond"\r\n');
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(parseCsv(csv)).toEqual([
      ['name', 'note'],
      ['滲水, "漏水"', 'first\r\nsecond'],
    ]);
  });
});

describe('report CSV', () => {
  function calls(day: string, topic: TopicId, received: number, department: DepartmentId = 'FEHD', language: TopicCounterRow['language'] = 'zh-HK'): TopicCounterRow {
    return { day, topic, department, language, district: 'unknown', ...emptyCounterValues(), received, approved: received - 2, edited: 1, rejected: 1 };
  }
  const counters = [
    ...Array.from({ length: 35 }, (_, i) => calls(addDays('2025-05-01', i), 'blocked_drain_flooding', 4, 'DSD')),
    calls('2025-06-05', 'blocked_drain_flooding', 60, 'DSD'),
    calls('2025-06-05', 'blocked_drain_flooding', 20, 'DSD', 'en-US'),
    ...Array.from({ length: 36 }, (_, i) => calls(addDays('2025-05-01', i), 'water_seepage', 10)),
    calls('2025-06-04', 'water_seepage', 10, 'FEHD', 'zh-CN'),
  ];
  const names: TopicNames = {
    blocked_drain_flooding: { en: 'Blocked drains, "flooding"', zhHant: '渠道淤塞及水浸' },
    water_seepage: { en: '=HYPERLINK("http://example.invalid")\nseepage', zhHant: '樓宇滲水' },
  };
  const report = buildTopicReport({ counters, from: '2025-06-05', to: '2025-06-05', granularity: 'day' });

  it('writes one row per topic with names, language breakdown, change, acceptance and spike', () => {
    const records = parseCsv(reportToCsv(report, { topicNames: names }));
    expect(records[0]).toEqual([...REPORT_CSV_HEADER]);
    expect(records).toHaveLength(3);
    const row = (topic: string): Record<string, string> => {
      const record = records.find((r) => r[0] === topic) ?? [];
      return Object.fromEntries(REPORT_CSV_HEADER.map((column, i) => [column, record[i] ?? '']));
    };
    expect(row('blocked_drain_flooding')).toMatchObject({
      topic_name_en: 'Blocked drains, "flooding"',
      topic_name_zh_hant: '渠道淤塞及水浸',
      department: 'DSD',
      'count_zh-HK': '60',
      'count_en-US': '20',
      'count_zh-CN': '0',
      count: '80',
      previous_count: '4',
      change: '76',
      change_pct: '1900.0',
      // 58 + 18 approved unchanged, 1 + 1 edited, 1 + 1 rejected: 78 / 80.
      acceptance_rate: '0.9750',
      spike: 'yes',
    });
    expect(Number(row('blocked_drain_flooding').p_value)).toBeLessThan(1e-10);
    expect(Number(row('blocked_drain_flooding').conditional_p_value)).toBeLessThan(1e-10);
    expect(row('water_seepage')).toMatchObject({ count: '10', previous_count: '20', change_pct: '-50.0', spike: 'no', p_value: '', 'count_zh-CN': '0' });
  });

  it('adds each topic\'s correction figures, and a row for an AI topic agents moved everything out of', () => {
    const day = '2025-06-05';
    const corrected: TopicCounterRow[] = [
      { day, topic: 'road_damage', department: 'HyD', language: 'en-US', district: 'unknown', ...emptyCounterValues(), received: 2, approved: 2, corrected: 1, crossDepartmental: 1, aiTopics: { hawker_obstruction: 1, road_damage: 1 } },
    ];
    const records = parseCsv(reportToCsv(buildTopicReport({ counters: corrected, from: day, to: day, granularity: 'day' })));
    const row = (topic: string): Record<string, string> => {
      const record = records.find((r) => r[0] === topic) ?? [];
      return Object.fromEntries(REPORT_CSV_HEADER.map((column, i) => [column, record[i] ?? '']));
    };
    expect(row('road_damage')).toMatchObject({ count: '2', corrected_in: '1', cross_departmental: '1', cross_departmental_share: '0.5000', ai_decided: '1', ai_corrected: '0', correction_rate: '0.0000' });
    expect(row('hawker_obstruction')).toMatchObject({ count: '0', ai_decided: '1', ai_corrected: '1', correction_rate: '1.0000', top_confusions: 'road_damage:1' });
  });

  it('keeps a spreadsheet from running a topic name as a formula', () => {
    const records = parseCsv(reportToCsv(report, { topicNames: names }));
    const seepage = records.find((r) => r[0] === 'water_seepage');
    expect(seepage?.[1]).toBe('\'=HYPERLINK("http://example.invalid")\nseepage');
  });

  it('leaves names empty without a taxonomy, and still writes a valid document for an empty report', () => {
    const records = parseCsv(reportToCsv(report));
    expect(records[1]?.slice(0, 4)).toEqual(['blocked_drain_flooding', '', '', 'DSD']);
    const empty = buildTopicReport({ counters: [], from: '2025-06-01', to: '2025-06-07', granularity: 'week' });
    expect(reportToCsv(empty)).toBe(`${UTF8_BOM}${REPORT_CSV_HEADER.join(',')}\r\n`);
  });
});
