import { matchRanges } from './spans.ts';
import type { TextRange } from './spans.ts';

/**
 * Numbers that look like personal data but are not, and are useful to keep: case/reference numbers
 * and money amounts. Number-like findings (phones, cards) inside these ranges are dropped.
 */

/** The hotline's own case number format, kept wherever it appears: 1823-2026-000123. */
const HOTLINE_CASE_NUMBER = /(?<![A-Za-z0-9])1823-\d{4}-\d{6}(?!\d)/g;

const REFERENCE_WORDS = [
  // "Ref"/"reference" alone names a reference; "case", "file" etc. need "no."/"number"/":" after them, so
  // "in case 9123 4567 is busy" still has its phone number redacted.
  String.raw`\b(?:ref|reference)\b(?:\s*(?:no\.?|number|num|#|id|code))?`,
  String.raw`\b(?:case|file|complaint|enquiry|application|ticket|tracking|booking)\s*(?:no\.?|number|num|#|id|code|ref(?:erence)?\b|:)`,
  '參考編號', '参考编号', '參考號碼', '参考号码', '個案編號', '个案编号', '個案號碼', '个案号码',
  '案件編號', '案件编号', '檔案編號', '档案编号', '申請編號', '申请编号', '投訴編號', '投诉编号',
  '編號', '编号', '案號', '案号',
].join('|');

/**
 * A reference number is whatever code follows a reference word: "Ref 3-5012345678",
 * "case no. FEHD-2026-1234", "參考編號係 1823-2026-000123". The code (group 1) is kept, not the word.
 */
const REFERENCE_NUMBER = new RegExp(
  String.raw`(?:${REFERENCE_WORDS})\s*(?:is|was|:|#|係|系|是|為|为)?\s*` +
    String.raw`([A-Za-z]{0,5}[- /]?\d[0-9A-Za-z]*(?:[-/]\d[0-9A-Za-z]*)*)`,
  'gid',
);

/**
 * HK$1,200 / $350.50 / RMB 5000 / 1200元 / 一千二百蚊 (Chinese numerals never form a phone number anyway). An amount
 * may follow a comma (a full-width "，" is folded to ","), just not a digit and comma, i.e. the middle of "1,200".
 */
const MONEY_AMOUNT =
  /(?:HK\$|HKD|RMB|US\$|\$|港幣|港币|人民幣|人民币)\s?\d[\d,]*(?:\.\d+)?|(?<![\d.])(?<!\d,)\d[\d,]*(?:\.\d+)?\s?(?:元|蚊|港元|dollars?\b|hkd\b)/gi;

export function findKeptRanges(text: string): TextRange[] {
  return [
    ...matchRanges(text, HOTLINE_CASE_NUMBER),
    ...matchRanges(text, REFERENCE_NUMBER, 1),
    ...matchRanges(text, MONEY_AMOUNT),
  ];
}
