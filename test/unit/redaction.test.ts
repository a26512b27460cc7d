import { describe, expect, it } from 'vitest';
import { createRedactor, hkidCheckDigit, passesLuhn, redactPersonalData } from '../../shared/domain/redaction/index.ts';
import type { RedactedEntityType } from '../../shared/ports/personal-data-redactor.ts';

const PUBLIC_NUMBERS = ['2868 0000', '1823', '2414 5555'];
const redactor = createRedactor({ publicNumbers: PUBLIC_NUMBERS });

/** The values found, as [type, original substring] pairs, for readable assertions. */
function found(text: string): Array<[RedactedEntityType, string]> {
  return redactor.redact(text).entities.map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
}

function redacted(text: string): string {
  return redactor.redact(text).text;
}

describe('HKID', () => {
  it('computes the check digit with letters A=10..Z=35, a one-letter prefix weighed as space, 10 -> A, 11 -> 0', () => {
    expect(hkidCheckDigit('A', '123456')).toBe('3');
    expect(hkidCheckDigit('AB', '123456')).toBe('9');
    expect(hkidCheckDigit('G', '123456')).toBe('A');
    expect(hkidCheckDigit('K', '123456')).toBe('0');
  });

  it.each([
    ['A123456(3)', 'brackets'],
    ['AB123456(9)', 'two-letter prefix'],
    ['G123456(A)', 'check digit A'],
    ['A1234563', 'no brackets'],
    ['A 123456 3', 'spaces'],
    ['A123 456 (3)', 'spaced digits'],
    ['a123456(3)', 'lower case'],
    ['ＡＢ１２３４５６（９）', 'full-width'],
  ])('finds %s (%s) and marks it verified', (hkid) => {
    const result = redactor.redact(`My ID card is ${hkid}, thanks.`);
    expect(result.text).toBe('My ID card is [HKID], thanks.');
    expect(result.entities).toEqual([{ type: 'HKID', start: 14, end: 14 + hkid.length, verified: true }]);
  });

  it('still redacts an HKID-shaped string whose check digit is wrong, flagged unverified', () => {
    const result = redactor.redact('身份證號碼係A123456(4)');
    expect(result.text).toBe('身份證號碼係[HKID]');
    expect(result.entities[0]).toMatchObject({ type: 'HKID', verified: false });
  });

  it('does not read an HKID inside a longer code or a phone number', () => {
    expect(found('Lamp post XA1234567B and order QA1234567890')).toEqual([]);
    expect(found('Call me on 852 9123 4567')).toEqual([['PHONE', '852 9123 4567']]);
  });

  it('tells an HKID from a phone number written right after it', () => {
    expect(found('HKID A123456(3) 9123 4567')).toEqual([
      ['HKID', 'A123456(3)'],
      ['PHONE', '9123 4567'],
    ]);
  });
});

describe('phone numbers', () => {
  it.each([
    '9123 4567',
    '91234567',
    '9123-4567',
    '+852 9123 4567',
    '852 9123 4567',
    '+85291234567',
    '(852) 2345 6789',
    '852-6123-4567',
    '９１２３ ４５６７',
    '＋８５２ ５１２３ ４５６７',
  ])('redacts the Hong Kong number %s', (phone) => {
    expect(redacted(`Call me on ${phone} please.`)).toBe('Call me on [PHONE] please.');
  });

  it('redacts numbers glued to Chinese text', () => {
    expect(redacted('電話91234567唔該')).toBe('電話[PHONE]唔該');
  });

  it.each(['+86 139 1234 5678', '13912345678', '139-1234-5678', '0086-139-1234-5678'])(
    'redacts the mainland mobile %s',
    (phone) => {
      expect(redacted(`我的手机是${phone}。`)).toBe('我的手机是[PHONE]。');
    },
  );

  it('ignores eight-digit numbers that cannot be Hong Kong numbers (starting 0, 1 or 4)', () => {
    expect(found('codes 41234567 and 11234567 and 01234567')).toEqual([]);
  });
});

describe('spoken phone numbers', () => {
  it.each([
    ['nine eight seven six five four three two', 'English words'],
    ['nine, one, two, three, four, five, six, seven', 'English words with pauses'],
    ['six one double two three four five six', 'double'],
    ['six triple one two two three four', 'triple'],
    ['九八七六五四三二', 'Chinese digits'],
    ['九一一一 二二二二', 'Cantonese digits in two groups'],
    ['9876 五四三二', 'digits mixed with Chinese digits'],
    ['孖八九八七六五四', 'Cantonese double (孖)'],
    ['幺三八 一二三四 五六七八', 'a mainland mobile in Mandarin (幺 for one)'],
  ])('redacts "%s" (%s)', (spoken) => {
    expect(redacted(`My number is ${spoken}. Thanks.`)).toBe('My number is [PHONE]. Thanks.');
  });

  it('finds the number even when the next words after a pause are digits too', () => {
    expect(found('number nine one two three four five six seven, one more thing')).toEqual([
      ['PHONE', 'nine one two three four five six seven'],
    ]);
  });

  it('leaves short spoken numbers, counts and amounts alone', () => {
    expect(found('I called one eight two three twice; 一千二百蚊; 二零二六年三月; 三四個月')).toEqual([]);
  });
});

describe('public hotline numbers', () => {
  it('keeps configured public numbers however they are written or spoken', () => {
    const text = 'I called 1823, then 2868 0000, +852 2868-0000, 24145555 and 二八六八 零零零零.';
    expect(redacted(text)).toBe(text);
  });

  it('redacts the same numbers when no public numbers are configured', () => {
    expect(redactPersonalData('Call 2868 0000.').text).toBe('Call [PHONE].');
  });
});

describe('emails', () => {
  it('redacts written email addresses', () => {
    expect(redacted('Email peter.wong+1823@example.com.hk, or LAW.Kwok@Company.COM.')).toBe(
      'Email [EMAIL], or [EMAIL].',
    );
  });

  it('redacts spoken email addresses from transcripts', () => {
    expect(redacted('my email is peter dot wong at gmail dot com thanks')).toBe('my email is [EMAIL] thanks');
  });
});

describe('payment cards', () => {
  it('validates with Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it.each(['4111 1111 1111 1111', '5500-0000-0000-0004', '378282246310005', '4222222222222'])(
    'redacts the Luhn-valid card %s',
    (card) => {
      expect(redacted(`card ${card} was charged twice`)).toBe('card [CARD] was charged twice');
    },
  );

  it('leaves Luhn-invalid 16-digit numbers alone, without mistaking part of them for a phone number', () => {
    expect(found('card 4111 1111 1111 1112 was charged')).toEqual([]);
  });
});

describe('addresses', () => {
  it.each([
    'Flat 3A, 12/F, Wing Fat Building, 23 Parkes Street',
    'Room 1507, 15/F, Block C, Lok Fu Estate',
    'flat 5 on the 3rd floor',
    'Flat 12C, Tower 3, Laguna City',
    'Rm 1203, 12/F',
  ])('redacts the English address "%s"', (address) => {
    expect(found(`I live at ${address}, Kowloon.`)).toEqual([['ADDRESS', address]]);
  });

  it.each([
    '旺角彌敦道123號華豐大廈12樓A室',
    '沙田禾輋邨豐和樓1234室',
    '長沙灣蘇屋邨櫻桃樓15樓1501室',
    '香港仔漁暉苑A座12樓7室',
    '铜锣湾怡和街28号恒隆大厦15楼C室',
    '天河小区5栋1203室',
  ])('redacts the Chinese address "%s"', (address) => {
    expect(found(`我住喺${address}，樓上漏水。`)).toEqual([['ADDRESS', address]]);
  });

  it('keeps street numbers, estates and buildings without a flat or floor', () => {
    const text = 'Lights out at 23 Nathan Road near Wing Fat Building; 我住喺石硤尾邨；彌敦道123號門口有垃圾。';
    expect(redacted(text)).toBe(text);
  });

  it('keeps a floor of a public building, which locates the problem, not the caller', () => {
    const text = 'The toilet on 3/F of Sheung Wan Municipal Services Building is dirty. 上環市政大廈三樓都係。';
    expect(redacted(text)).toBe(text);
  });
});

describe('names after self-introductions', () => {
  it.each([
    ['my name is Mary Chan, ID lost', 'Mary Chan'],
    ['hello my name is peter wong and I live in Sha Tin', 'peter wong'],
    ['Hi, this is Mr Chan. The noise is back.', 'Mr Chan'],
    ["I'm Peter Wong from Tsuen Wan.", 'Peter Wong'],
    ['Winnie Yip here, my dog was attacked.', 'Winnie Yip'],
    ['Thanks for fixing it.\nRegards,\nJoyce Ng', 'Joyce Ng'],
  ])('finds the name in "%s"', (text, name) => {
    expect(found(text)).toEqual([['NAME', name]]);
  });

  it.each([
    ['我叫陳大文，想投訴。', '陳大文'],
    ['我叫陈小明，想问一下。', '陈小明'],
    ['我姓陳，電話唔方便講。', '陳'],
    ['本人姓李，想申請公屋。', '李'],
    ['我係陳生，想問水費。', '陳生'],
    ['我是王先生，想问一下。', '王先生'],
    ['聯絡人：李小姐', '李小姐'],
  ])('finds the Chinese name in "%s"', (text, name) => {
    expect(found(text)).toEqual([['NAME', name]]);
  });

  it('does not take "I called (someone)" or self-descriptions for names', () => {
    const text = '我叫咗保安，我係業主。I am very worried. This is Tsuen Wan Road. I am Sai Kung resident.';
    expect(redacted(text)).toBe(text);
  });
});

describe('things that must not be redacted', () => {
  it.each([
    ['dates', 'It happened on 2026-03-15, 15-03-2026, 15/03/2026 and 2026年3月15日.'],
    ['times', 'From 10:30pm to 2am, 晚上十一點至凌晨兩點.'],
    ['money', 'The fine was HK$1,200, then $35,000, RMB 5000, 5000元, 一千二百蚊 and $98765432.'],
    ['hotline case numbers', 'My case number is 1823-2026-000123.'],
    ['reference numbers after a reference word', 'Ref 3-5012345678; 參考編號 3-5012345678; case no. 2345 6789.'],
    ['year ranges', 'In 2025-2026 complaints rose.'],
    ['bus routes', 'route 970, 巴士E23, minibus 25M and 1A are late.'],
    ['street numbers', 'Outside 23 Nathan Road and 彌敦道123號.'],
  ])('keeps %s', (_kind, text) => {
    expect(redacted(text)).toBe(text);
  });

  it('still redacts a phone number after "case" used as an ordinary word', () => {
    expect(redacted("In case 9123 4567 is busy, try my wife's.")).toBe("In case [PHONE] is busy, try my wife's.");
  });
});

describe('combining findings', () => {
  it('keeps everything outside the placeholders byte-identical and reports offsets into the original', () => {
    const text = '喂，我叫陳大文，電話：＋８５２ ９１２３ ４５６７，email chan@example.com 🙂 done';
    const result = redactor.redact(text);
    expect(result.text).toBe('喂，我叫[NAME]，電話：[PHONE]，email [EMAIL] 🙂 done');
    for (const entity of result.entities) expect(entity.end).toBeGreaterThan(entity.start);
    expect(result.entities.map((entity) => text.slice(entity.start, entity.end))).toEqual([
      '陳大文',
      '＋８５２ ９１２３ ４５６７',
      'chan@example.com',
    ]);
  });

  it('keeps the longest finding when two overlap: a card number is not also a phone number', () => {
    expect(found('card 4111 1111 1111 1111')).toEqual([['CARD', '4111 1111 1111 1111']]);
  });

  it('returns entities ordered by position without overlaps', () => {
    const { entities } = redactor.redact('I am Mr Chan, Flat 3A, 12/F, Wing Fat Building, tel 9123 4567, A123456(3)');
    expect(entities.map((entity) => entity.type)).toEqual(['NAME', 'ADDRESS', 'PHONE', 'HKID']);
    for (let index = 1; index < entities.length; index++) {
      expect(entities[index]!.start).toBeGreaterThanOrEqual(entities[index - 1]!.end);
    }
  });

  it('returns the text unchanged and no entities when there is nothing personal', () => {
    expect(redactor.redact('Please fix the street light.')).toEqual({ text: 'Please fix the street light.', entities: [] });
  });
});
