import type { Candidate, TextRange } from './spans.ts';

/**
 * Names are only looked for where callers introduce themselves ("my name is ...", "this is Mr Chan",
 * "我叫...", "我姓陳", "本人姓李") or sign off a written enquiry ("Regards, Peter Wong"). A name anywhere
 * else cannot be told apart from a street, an estate or a shop without a model.
 */

const TITLE = String.raw`(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr|Prof)\.?`;
const CAPITALISED_NAME_WORD = String.raw`[A-Z][a-z]+(?:[-'][A-Za-z][a-z]*)?`;

/** Capitalised words that follow "I'm" / "this is" without being names. */
const NOT_NAME_WORDS = new Set(
  `I Im A An The So Not Very Just Really Also Still Now Here There Calling Writing Living Staying Sorry Afraid Worried
  Concerned Unable Able Sure Glad Happy Going Trying Hong Kong Kowloon Chinese English British Indian Filipino Pakistani
  Nepalese Indonesian Thai Japanese Korean Canadian American Australian Cantonese Mandarin Hello Hi Please From In At On
  With Your My Our Their His Her Its This That Resident Owner Tenant Landlord Monday Tuesday Wednesday Thursday Friday
  Saturday Sunday January February March April May June July August September October November December`.split(/\s+/),
);

/** Lower-case words that end a name typed without capitals ("my name is peter wong and I live ..."). */
const NAME_ENDING_WORDS = new Set(
  `and i im i'm i'd i've i'll from calling call living live staying working residing here speaking the a an my is at
  in of on to about with please phone number mobile tel but so ok okay want would like regarding flat room who that
  this it just also`.split(/\s+/),
);

// Strong introductions: whatever follows is a name, capitalised or not.
const STRONG_ENGLISH_INTRODUCTION =
  /(?:\bmy\s+(?:full\s+|last\s+|family\s+)?(?:sur)?name(?:\s+is|'s|’s)|(?:^|\n)[ \t]*(?:sur)?name\s*:|\byou\s+can\s+call\s+me|\bcontact\s+person\s*:?)\s*/gi;
// Weak introductions: only a title or capitalised words after them count as a name.
const WEAK_ENGLISH_INTRODUCTION = /\b(?:i\s*am|i'm|i’m|this\s+is|it's|it’s|it\s+is)\s+/gi;
// Callers also name the people they call for: "my husband Mr Ho", "my mother, Mrs Chan".
const RELATIVE_INTRODUCTION =
  /\bmy\s+(?:husband|wife|son|daughter|mother|father|mum|mom|dad|brother|sister|grandmother|grandfather|grandson|granddaughter|helper|tenant|landlord|neighbour|neighbor)(?:'s\s+name\s+is|\s*,?\s+(?:is\s+)?)/gi;
const SIGN_OFF = /\b(?:regards|best\s+regards|kind\s+regards|thanks|thank\s+you|yours\s+(?:faithfully|sincerely|truly)|sincerely|cheers)\s*[,.!]?\s*(?:\n\s*)?/gi;

/** "Winnie Yip here, ..." / "Mr. Lee speaking." at the start of a sentence. */
const NAME_THEN_SPEAKING = new RegExp(
  String.raw`(?:^|[.!?\n]\s*|(?:hi|hello|hey)[,!]?\s+)((?:${TITLE}\s*)?${CAPITALISED_NAME_WORD}(?:\s+${CAPITALISED_NAME_WORD}){0,2})\s+(?:speaking|here)\b\s*[,.!;:]`,
  'gid',
);
/** A titled name closing the message on its own: "... Thank you for your help. Mr Ho" */
const TRAILING_TITLED_SIGNATURE = new RegExp(
  String.raw`(?:^|[.!?\n]\s*)(${TITLE}\s*${CAPITALISED_NAME_WORD}(?:\s+${CAPITALISED_NAME_WORD}){0,2})\s*[.!]?\s*$`,
  'd',
);

const TITLED_NAME = new RegExp(String.raw`${TITLE}\s*${CAPITALISED_NAME_WORD}(?:\s+${CAPITALISED_NAME_WORD}){0,2}`, 'y');
const CAPITALISED_NAME = new RegExp(String.raw`${CAPITALISED_NAME_WORD}(?:\s+${CAPITALISED_NAME_WORD}){0,3}`, 'y');
const ANY_CASE_WORD = /[A-Za-z][A-Za-z'-]*/y;

function stickyMatch(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** Keeps the capitalised words up to the first one that is not a name ("Peter Wong Calling" -> Peter Wong). */
function trimNotNameWords(words: string[]): string[] {
  const kept: string[] = [];
  for (const word of words) {
    if (NOT_NAME_WORDS.has(word)) break;
    kept.push(word);
  }
  return kept;
}

/** "I am Sai Kung resident": capitalised words describing where or what the caller is, not who. */
const FOLLOWED_BY_DESCRIPTION = /^\s+(?:residents?|district|area|people|citizens?|locals?|natives?|speakers?|users?|owners?|tenants?|villagers?)\b/;

/** A capitalised (optionally titled) name at `at`, or undefined. */
function capitalisedNameAt(text: string, at: number, allowUntitled: boolean): TextRange | undefined {
  const titled = stickyMatch(TITLED_NAME, text, at);
  if (titled) return { start: at, end: at + titled.length };
  if (!allowUntitled) return undefined;
  const capitalised = stickyMatch(CAPITALISED_NAME, text, at);
  if (!capitalised) return undefined;
  const words = trimNotNameWords(capitalised.split(/\s+/));
  if (words.length === 0) return undefined;
  if (FOLLOWED_BY_DESCRIPTION.test(text.slice(at + capitalised.length))) return undefined;
  return { start: at, end: at + words.join(' ').length };
}

/** Up to three words after a strong introduction, stopping at words that cannot be part of a name. */
function anyCaseNameAt(text: string, at: number): TextRange | undefined {
  const capitalised = capitalisedNameAt(text, at, true);
  if (capitalised) return capitalised;
  let end = at;
  let cursor = at;
  for (let count = 0; count < 3; count++) {
    const word = stickyMatch(ANY_CASE_WORD, text, cursor);
    if (!word || NAME_ENDING_WORDS.has(word.toLowerCase())) break;
    end = cursor + word.length;
    cursor = end;
    const space = /^[ \t]+/.exec(text.slice(cursor))?.[0] ?? '';
    if (space.length === 0) break;
    cursor += space.length;
  }
  return end > at ? { start: at, end } : undefined;
}

/** "this is Peter Wong" is only a self-introduction when it opens the message or follows a greeting. */
function opensTheMessage(text: string, introductionStart: number): boolean {
  const before = text.slice(0, introductionStart);
  return /^\s*(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening)|喂)[\s,.!，。]*)*$/i.test(before);
}

function findEnglishNames(text: string): TextRange[] {
  const found: TextRange[] = [];
  for (const match of text.matchAll(STRONG_ENGLISH_INTRODUCTION)) {
    const name = anyCaseNameAt(text, match.index + match[0].length);
    if (name) found.push(name);
  }
  for (const match of text.matchAll(WEAK_ENGLISH_INTRODUCTION)) {
    const isThisIs = /^(?:this|it)/i.test(match[0]);
    const untitledAllowed = !isThisIs || opensTheMessage(text, match.index);
    const name = capitalisedNameAt(text, match.index + match[0].length, untitledAllowed);
    if (name) found.push(name);
  }
  for (const match of text.matchAll(RELATIVE_INTRODUCTION)) {
    const name = capitalisedNameAt(text, match.index + match[0].length, true);
    if (name) found.push(name);
  }
  for (const match of text.matchAll(SIGN_OFF)) {
    const start = match.index + match[0].length;
    const name = capitalisedNameAt(text, start, true);
    // Only a name that ends the message (or its line) is a signature; "Thanks Kowloon City ..." is not.
    if (name && /^\s*[.!]?\s*$/.test(text.slice(name.end).split('\n')[0] ?? '')) found.push(name);
  }
  for (const match of text.matchAll(NAME_THEN_SPEAKING)) {
    const indices = match.indices?.[1];
    const words = match[1]?.split(/\s+/) ?? [];
    if (indices && !words.some((word) => NOT_NAME_WORDS.has(word))) found.push({ start: indices[0], end: indices[1] });
  }
  const signature = TRAILING_TITLED_SIGNATURE.exec(text)?.indices?.[1];
  if (signature) found.push({ start: signature[0], end: signature[1] });
  return found;
}

// Chinese. Surnames common in Hong Kong and the mainland, Traditional and Simplified; compound ones first.
const COMPOUND_SURNAMES = '歐陽|欧阳|司徒|司馬|司马|上官|諸葛|诸葛|端木|公孫|公孙|夏侯|尉遲|尉迟|皇甫|令狐|慕容|長孫|长孙';
const SINGLE_SURNAMES =
  '陳陈李張张黃黄何林吳吴劉刘蔡楊杨王鄭郑梁謝谢郭曾鄧邓馬马周朱許许羅罗麥麦葉叶潘袁蘇苏余盧卢方彭胡趙赵譚谭區区江黎莫鍾钟石孫孙關关施文唐湯汤韓韩姚廖傅杜范霍丘邱甘伍侯高徐洪戴程崔魏嚴严沈宋鄒邹雷冼岑龐庞游古溫温鄺邝蔣蒋孔簡简駱骆凌姜薛章任顧顾賴赖鄔邬阮柯歐欧尹衛卫翁植單单饒饶龍龙';
const SURNAME = `(?:${COMPOUND_SURNAMES}|[${SINGLE_SURNAMES}])`;
const CHINESE_TITLE = '(?:先生|小姐|太太|女士|姑娘|師奶|师奶|生|太|姐|伯|婆)';

/** Characters that end a Chinese name: particles, verbs and pronouns that follow "我叫XXX" in speech. */
const CHINESE_NAME_CHARACTER = String.raw`(?![我你佢他她哋們们住喺在係系是的嘅想要請请麻煩烦投訴诉問问有冇無无啲呢啊呀啦喇嘛囉咯吖喎電电打今尋寻昨聽听同及而就都也])[\u4e00-\u9fff]`;

/** Words after "我叫" that mean "I called (someone)" rather than "I am called". */
const CALLED_SOMEONE = '(?:咗|左|了|過|过|緊|紧|佢|他|她|你|人|保安|管理|警察|救護|救护|消防|的士|外賣|外卖|師傅|师傅|工人|司機|司机|醫生|医生|白車|白车|差人)';

const CHINESE_INTRODUCTION_PATTERNS: RegExp[] = [
  // 我叫陳大文 / 我叫做陈小明 / 我個名叫... / 我的名字是... / 姓名：... (also English names: 我叫Peter)
  new RegExp(
    String.raw`(?:我叫做|我叫|我名叫|我個名叫|我个名叫|我個名係|我嘅名係|我的名字(?:是|叫)|我名字(?:是|叫)|本人名叫|本人叫|姓名\s*[:：]?\s*(?:係|是)?)\s*` +
      String.raw`(?!${CALLED_SOMEONE})((?:${SURNAME}|${CHINESE_NAME_CHARACTER})${CHINESE_NAME_CHARACTER}{0,2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})`,
    'gd',
  ),
  // 聯絡人：陳先生 / 联系人：王女士 / 聯絡人 李小明 (the contact person on a written enquiry)
  new RegExp(
    String.raw`(?:聯絡人|联络人|聯繫人|联系人|聯系人)\s*[:：]?\s*` +
      String.raw`(${SURNAME}${CHINESE_TITLE}|${SURNAME}${CHINESE_NAME_CHARACTER}{1,2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2})`,
    'gd',
  ),
  // 我姓陳 / 本人姓李 / 敝姓張 / 免貴姓王 (the surname, plus a title if one follows: 我姓陳先生)
  new RegExp(String.raw`(?:我|本人|敝|小|免貴|免贵)姓(?!名)\s*(${SURNAME}${CHINESE_TITLE}?|${CHINESE_NAME_CHARACTER})`, 'gd'),
  // 本人王小明，... (formal: "I, Wong Siu-ming"); the name must end at punctuation or a verb, and 本人曾經 is "I once"
  new RegExp(
    String.raw`本人\s*(?!曾[經经於于在]|方面)(${SURNAME}${CHINESE_NAME_CHARACTER}{1,2})(?=[\s,，。、]|想|住|係|是|現|现|已|今|在|於|于)`,
    'gd',
  ),
  // 我老公陳生 / 我阿媽叫陳美玲 / 我邻居王先生: people the caller speaks for
  new RegExp(
    String.raw`我(?:嘅|的)?(?:老公|老婆|太太|丈夫|妻子|阿媽|媽媽|妈妈|阿爸|爸爸|兒子|儿子|女兒|女儿|個仔|个仔|個女|个女|鄰居|邻居|家姐|細佬|弟弟|哥哥|姐姐|妹妹)` +
      String.raw`(?:(${SURNAME}${CHINESE_TITLE})|(?:叫做?|名叫)\s*(?!${CALLED_SOMEONE})((?:${SURNAME}|${CHINESE_NAME_CHARACTER})${CHINESE_NAME_CHARACTER}{0,2}))`,
    'gd',
  ),
  // 我係陳生 / 我是王先生 / 本人係李小姐: a surname with a title, so "我係業主" is not a name
  new RegExp(String.raw`(?:我|本人)(?:係|系|是)\s*(${SURNAME}${CHINESE_TITLE})`, 'gd'),
];

function findChineseNames(text: string): TextRange[] {
  const found: TextRange[] = [];
  for (const pattern of CHINESE_INTRODUCTION_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      // The name is whichever capture group took part in the match.
      const indices = match.indices?.slice(1).find((group) => group !== undefined);
      if (indices) found.push({ start: indices[0], end: indices[1] });
    }
  }
  return found;
}

export function findSelfIntroducedNames(text: string): Candidate[] {
  return [...findEnglishNames(text), ...findChineseNames(text)].map((range) => ({ type: 'NAME', ...range }));
}
