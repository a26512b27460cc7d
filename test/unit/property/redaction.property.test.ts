/**
 * The redactor (the PersonalDataRedactor the redact step and retraining use, built as their handlers build it,
 * with the knowledge base's public numbers) on generated personal data embedded in generated English,
 * Chinese and code-mixed sentences:
 * - HKIDs (valid and invalid check digits, every written form, lower case, full width), Hong Kong and
 *   mainland phone numbers (digits, spaced, with country codes, spoken in English and in Cantonese),
 *   emails and card numbers are always covered by a redacted span;
 * - dates, money amounts, case references and public hotline numbers are always kept as written.
 *
 * The filler words are chosen so they cannot change what the embedded item is: no digit words next to spoken
 * digits, no reference words ("case no.") or currency before a number, which the redactor keeps by design.
 */
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect } from 'vitest';
import { readPublicContactNumbers } from '../../../shared/adapters/in-process/public-hotlines.ts';
import { createRedactor, hkidCheckDigit, passesLuhn } from '../../../shared/domain/redaction/index.ts';
import type { PersonalDataRedactor } from '../../../shared/ports/personal-data-redactor.ts';
import { propertyOptions, propertyTimeout } from './runs.ts';

let redactor: PersonalDataRedactor;
let publicNumbers: string[];
beforeAll(async () => {
  publicNumbers = await readPublicContactNumbers();
  redactor = createRedactor({ publicNumbers });
});

// ---------------------------------------------------------------------------------------------------
// Sentences

const ENGLISH_BEFORE = ['Please call me back on', 'My HKID is', 'You can reach me at', 'Contact:', 'my mobile', 'email me at', 'The owner', 'Hi, I called yesterday,', 'I paid with card'];
const ENGLISH_AFTER = ['thanks.', 'after 6pm please.', '', 'if the noise continues.', 'ASAP!', '- Peter'];
const CHINESE_BEFORE = ['我電話係', '請打', '聯絡電話：', '身份證號碼', '我嘅電郵係', '打返俾我', '我張卡係', '唔該覆我，', '我個电话是'];
const CHINESE_AFTER = ['，唔該。', '。', '', '，多謝晒！', '，聽日下晝都得。', '啦'];
const CODE_MIXED_BEFORE = ['我個mobile係', 'call 我', 'email 我', 'Please 打', '我 HKID 係', 'send 個 SMS 去'];

const sentencePart = (parts: string[]) => fc.constantFrom(...parts);
/** Text around an item: English, Chinese or code-mixed, with or without a space at the join. */
const frame = fc.oneof(
  fc.tuple(sentencePart(ENGLISH_BEFORE), sentencePart(ENGLISH_AFTER), fc.constant(' ')),
  fc.tuple(sentencePart(CHINESE_BEFORE), sentencePart(CHINESE_AFTER), fc.constantFrom('', ' ')),
  fc.tuple(sentencePart(CODE_MIXED_BEFORE), fc.oneof(sentencePart(ENGLISH_AFTER), sentencePart(CHINESE_AFTER)), fc.constantFrom(' ', '')),
);
const otherSentence = fc.constantFrom('', 'The water keeps leaking from the ceiling. ', '樓上漏水好耐喇。', '條街好污糟，', 'Since last Monday 街燈壞咗. ');

interface Embedded {
  text: string;
  start: number;
  end: number;
  item: string;
}
function embed(item: string, [before, after, join]: [string, string, string], lead: string): Embedded {
  // A join of '' only between Chinese and the item; English words always get a space (or they would merge).
  const head = `${lead}${before}${join}`;
  const tail = after === '' || /^[，。！,.!]/.test(after) ? after : `${join || ' '}${after}`;
  return { text: `${head}${item}${tail}`, start: head.length, end: head.length + item.length, item };
}

/** Full-width forms of ASCII letters, digits and ( ) as Chinese input methods type them. */
const fullWidth = (text: string) => text.replace(/[0-9A-Za-z()]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));

// ---------------------------------------------------------------------------------------------------
// Personal data

const digit = fc.constantFrom(...'0123456789');
const digits = (count: number) => fc.array(digit, { minLength: count, maxLength: count }).map((list) => list.join(''));

const hkid = fc
  .record({
    prefix: fc.oneof(fc.constantFrom(...'ABCDEGHKMPRVYZ'), fc.constantFrom('WX', 'XA', 'XB', 'XC')),
    body: digits(6),
    valid: fc.boolean(),
    wrong: fc.constantFrom(...'0123456789A'),
    gap: fc.constantFrom('', ' '),
    split: fc.boolean(),
    check: fc.constantFrom('(c)', ' (c)', 'c', ' c', '( c )'),
    lower: fc.boolean(),
    wide: fc.boolean(),
  })
  .map(({ prefix, body, valid, wrong, gap, split, check, lower, wide }) => {
    const right = hkidCheckDigit(prefix, body);
    const checkDigit = valid ? right : wrong === right ? (right === '0' ? '1' : '0') : wrong;
    // Lower case only unspaced: "a 123456 7" reads as English ("on 852 ...") and the redactor leaves it, by design.
    const letters = lower && gap === '' ? prefix.toLowerCase() : prefix;
    const written = `${letters}${gap}${split ? `${body.slice(0, 3)} ${body.slice(3)}` : body}${check.replace('c', checkDigit)}`;
    return wide ? fullWidth(written) : written;
  });

const hongKongNumber = fc.tuple(fc.constantFrom(...'235679'), digits(7)).map(([first, rest]) => first + rest);
const mainlandNumber = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);

const writtenHongKongPhone = fc.tuple(hongKongNumber, fc.constantFrom('d', 'd4 d4', 'd4-d4', '+852 d4 d4', '+852d', '(852) d4 d4', '852 d', '00852 d4 d4', '(+852) d4-d4')).map(([number, form]) =>
  form.replace('d4 d4', `${number.slice(0, 4)} ${number.slice(4)}`).replace('d4-d4', `${number.slice(0, 4)}-${number.slice(4)}`).replace('d', number),
)
  // Known ambiguity, kept on purpose (see redaction-regressions.test.ts): "2019-2020" without a country code is
  // read as a span of years, not as a landline.
  .filter((written) => !/^(?:19|20)\d\d-(?:19|20)\d\d$/.test(written));
const writtenMainlandPhone = fc.tuple(mainlandNumber, fc.constantFrom('d', 'd3 d4 d4', 'd3-d4-d4', '+86 d3 d4 d4', '+86d', '(86) d')).map(([number, form]) =>
  form.replace('d3 d4 d4', `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`).replace('d3-d4-d4', `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`).replace('d', number),
);

const ENGLISH_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const CANTONESE_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** Digit by digit, "double"/"孖" for a repeated digit when the speaker says so, pauses between groups of four. */
function spoken(number: string, words: string[], double: string, separator: string, useDouble: boolean, pause: string): string {
  const units: string[] = [];
  for (let index = 0; index < number.length; index++) {
    const word = words[Number(number[index])]!;
    if (useDouble && number[index + 1] === number[index] && (index + 2 >= number.length || number[index + 2] !== number[index])) {
      units.push(`${double}${separator || (double === 'double' ? ' ' : '')}${word}`);
      index++;
    } else units.push(word);
    if (pause && units.length === 4 && index < number.length - 1) units.push(pause.trim());
  }
  return units.join(separator).replace(/ ([,，])/g, '$1');
}
const spokenEnglishPhone = fc.tuple(fc.oneof(hongKongNumber, mainlandNumber), fc.boolean(), fc.constantFrom('', ',')).map(([number, useDouble, pause]) => spoken(number, ENGLISH_DIGITS, 'double', ' ', useDouble, pause));
const spokenCantonesePhone = fc.tuple(fc.oneof(hongKongNumber, mainlandNumber), fc.boolean(), fc.constantFrom('', ' '), fc.constantFrom('', '，')).map(([number, useDouble, separator, pause]) => spoken(number, CANTONESE_DIGITS, '孖', separator, useDouble, pause));

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,14}[a-z0-9]$/),
    fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('com', 'hk', 'com.hk', 'org', 'gov.hk', 'net', 'edu.hk', 'cn', 'io'),
  )
  .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);

/** A card number with a valid Luhn check digit, written whole, in fours, or with hyphens. */
const cardNumber = fc
  .tuple(fc.constantFrom('4', '51', '52', '53', '54', '55', '2221', '62', '35'), fc.integer({ min: 16, max: 16 }), digits(15), fc.constantFrom('whole', 'spaced', 'hyphens'))
  .map(([prefix, length, filler, form]) => {
    const body = (prefix + filler).slice(0, length - 1);
    const check = [...'0123456789'].find((candidate) => passesLuhn(body + candidate))!;
    const number = body + check;
    if (form === 'whole') return number;
    const groups = number.match(/.{1,4}/g)!;
    return groups.join(form === 'spaced' ? ' ' : '-');
  });

// ---------------------------------------------------------------------------------------------------
// What must be kept

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (value: number) => String(value).padStart(2, '0');
const date = fc.tuple(fc.integer({ min: 2015, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 5 })).map(([year, month, day, form]) =>
  [`${year}-${pad(month)}-${pad(day)}`, `${pad(day)}/${pad(month)}/${year}`, `${pad(day)}-${pad(month)}-${year}`, `${year}年${month}月${day}日`, `${day} ${MONTHS[month - 1]} ${year}`, `${year}/${pad(month)}/${pad(day)}`][form]!,
);
const amount = fc.tuple(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 7 }), fc.boolean()).map(([value, form, cents]) => {
  const figure = value.toLocaleString('en-US');
  const plain = String(value) + (cents ? '.50' : '');
  return [`HK$${figure}`, `$${plain}`, `HKD ${plain}`, `RMB ${value}`, `${value}元`, `${value}蚊`, `港幣${figure}`, `${figure} dollars`][form]!;
});
const caseReference = fc.oneof(
  fc.tuple(fc.integer({ min: 2015, max: 2030 }), digits(6)).map(([year, serial]) => `1823-${year}-${serial}`),
  fc.tuple(fc.constantFrom('ref no. ', 'Ref: ', 'reference number ', 'case no. ', '參考編號', '個案編號：', '投訴編號 '), fc.constantFrom('FEHD-2026-', '3-', 'BD/', '', 'HAD '), digits(8)).map(([word, prefix, serial]) => `${word}${prefix}${serial}`),
);
const publicHotline = fc.constantFrom(() => publicNumbers).map((list) => list()).chain((list) => fc.constantFrom(...list));

// ---------------------------------------------------------------------------------------------------

/** The item's span is inside one redacted span: nothing of it is left in the text. */
function expectRedacted({ text, start, end, item }: Embedded) {
  const { text: redacted, entities } = redactor.redact(text);
  const covering = entities.find((entity) => entity.start <= start && entity.end >= end);
  expect(covering, `"${item}" not redacted in: ${text} → ${redacted}`).toBeDefined();
}

/** No redacted span touches the item: it is in the redacted text exactly as written. */
function expectKept({ text, start, end, item }: Embedded) {
  const { text: redacted, entities } = redactor.redact(text);
  const touching = entities.filter((entity) => entity.start < end && entity.end > start);
  expect(touching, `"${item}" was redacted in: ${text} → ${redacted}`).toEqual([]);
  expect(redacted).toContain(item);
}

describe('the redactor removes personal data wherever it sits', () => {
  test.prop([hkid, frame, otherSentence], propertyOptions)('HKIDs: valid and invalid check digits, every written form', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
  test.prop([fc.oneof(writtenHongKongPhone, writtenMainlandPhone), frame, otherSentence], propertyOptions)('Hong Kong and mainland phone numbers in digits', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
  test.prop([spokenEnglishPhone, fc.tuple(sentencePart(ENGLISH_BEFORE), sentencePart(ENGLISH_AFTER), fc.constant(' ')), otherSentence], propertyOptions)('phone numbers spoken in English', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
  test.prop([spokenCantonesePhone, fc.tuple(sentencePart(['我電話係', '請打', '聯絡電話：', '打返俾我', 'call 我', '我個mobile係']), sentencePart(CHINESE_AFTER), fc.constantFrom('', ' ')), otherSentence], propertyOptions)('phone numbers spoken in Cantonese', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
  test.prop([email, frame, otherSentence], propertyOptions)('emails', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
  test.prop([cardNumber, frame, otherSentence], propertyOptions)('card numbers (Luhn-valid)', (item, around, lead) => expectRedacted(embed(item, around, lead)), propertyTimeout);
});

describe('the redactor keeps what is not personal', () => {
  const keptFrame = fc.oneof(
    fc.tuple(sentencePart(['It happened on', 'Since', 'The fine was', 'I was charged', 'Your letter of', 'About my complaint']), sentencePart(ENGLISH_AFTER), fc.constant(' ')),
    fc.tuple(sentencePart(['喺', '佢收咗我', '上次', '我想問下', '今日收到信，']), sentencePart(CHINESE_AFTER), fc.constantFrom('', ' ')),
  );
  test.prop([date, keptFrame, otherSentence], propertyOptions)('dates', (item, around, lead) => expectKept(embed(item, around, lead)), propertyTimeout);
  test.prop([amount, keptFrame, otherSentence], propertyOptions)('money amounts', (item, around, lead) => expectKept(embed(item, around, lead)), propertyTimeout);
  test.prop([caseReference, keptFrame, otherSentence], propertyOptions)('case references', (item, around, lead) => {
    // The reference word stays too; what must not be redacted is the code after it.
    expectKept(embed(item, around, lead));
  }, propertyTimeout);
  test.prop([publicHotline, fc.tuple(sentencePart(['Please call the hotline', 'I rang', '我打咗去', '你哋個熱線']), sentencePart([...ENGLISH_AFTER, ...CHINESE_AFTER]), fc.constant(' ')), otherSentence], propertyOptions)('public hotline numbers from the knowledge base', (item, around, lead) => expectKept(embed(item, around, lead)), propertyTimeout);
});
