import type { Language, Script } from '../../vocabulary/languages.ts';
import { replyScriptFor } from '../../vocabulary/languages.ts';
import type { DraftFlag, DraftFlagKind } from './draft-reply.ts';
import { allArticleText, type KnowledgeArticle } from './knowledge-article.ts';
import { profileScript } from './script.ts';

/*
 * Checks a draft against the articles it cites. Every phone number, web address and money amount in a
 * draft must be traceable to a cited article: a model that invents one (or copies one an enquiry tried to
 * inject) is caught here, whatever the prompt said.
 */

export interface DraftCandidate {
  text: string;
  citedArticleIds: string[];
  language: Language;
}

export interface DraftValidatorOptions {
  /** Maximum characters; defaults per script (Chinese says the same in fewer characters). */
  maxChars?: number;
  /** Numbers always fine in a reply (1823 itself, the 999 emergency number). */
  alwaysAllowedNumbers?: string[];
}

export const DEFAULT_MAX_CHARS: Record<Script, number> = { en: 2000, 'zh-Hant': 1000, 'zh-Hans': 1000 };
const DEFAULT_ALLOWED_NUMBERS = ['1823', '999'];

/** Flags that make a model's draft unusable (retry or fall back); the rest are shown to the agent. */
export const BLOCKING_FLAG_KINDS: ReadonlySet<DraftFlagKind> = new Set([
  'unsupported_phone',
  'unsupported_url',
  'unsupported_fee',
  'missing_citation',
  'wrong_language',
]);

export const hasBlockingFlag = (flags: DraftFlag[]): boolean => flags.some((flag) => BLOCKING_FLAG_KINDS.has(flag.kind));

// A phone number: 7 to 15 digits, single spaces or hyphens between digits, optional +, not glued to a word
// (so enquiry ids like ENQ-20240101-... and article ids are not numbers).
const PHONE = /(?<![\w./+-])(?:\+ ?)?\d(?:[ \u00A0-]?\d){6,14}(?![\w/-])/g;
const URL_STOP = `\\s<>"'\`，。、；：！？（）「」【】`;
const URL = new RegExp(
  `(?:https?:\\/\\/|www\\.)[^${URL_STOP}]+|\\b(?:[a-z0-9-]+\\.)+(?:com|net|org|info|biz|io|xyz|example|hk|cn|gov|edu|top|site|link|ly)(?:\\/[^${URL_STOP}]*)?(?![\\w.-]*\\w)`,
  'gi',
);
const MONEY = /(?:HK\$|HKD|US\$|USD|RMB|\$|港幣|港元|港币|人民幣|人民币)\s?(\d[\d,]*(?:\.\d+)?)|(\d[\d,]*(?:\.\d+)?)\s?(?:港元|元|蚊|dollars?\b|HKD\b)/gi;

export function phoneNumbersIn(text: string): string[] {
  return [...text.matchAll(PHONE)].map((match) => match[0]);
}

export function urlsIn(text: string): string[] {
  return [...text.matchAll(URL)].map((match) => match[0].replace(/[.,;:!?)\]]+$/, ''));
}

export function moneyAmountsIn(text: string): number[] {
  return [...text.matchAll(MONEY)].map((match) => Number((match[1] ?? match[2] ?? '').replaceAll(',', '')));
}

/** Digits only, without the 852 country code: "+852 2868-0000" and "2868 0000" compare equal. */
function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('852') ? digits.slice(3) : digits;
}

function urlKey(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

interface SupportedFacts {
  phones: Set<string>;
  urls: string[];
  amounts: Set<number>;
}

function supportedFacts(articles: KnowledgeArticle[], alwaysAllowedNumbers: string[]): SupportedFacts {
  const texts = articles.map(allArticleText);
  return {
    phones: new Set([...alwaysAllowedNumbers, ...articles.map((a) => a.hotline), ...texts.flatMap(phoneNumbersIn)].map(phoneKey)),
    urls: [...articles.map((a) => a.web), ...texts.flatMap(urlsIn)].map(urlKey),
    amounts: new Set([...articles.flatMap((a) => (a.fees ?? []).map((fee) => fee.amountHkd)), ...texts.flatMap(moneyAmountsIn)]),
  };
}

// A draft may give a cited page or a parent of it (the department's home page), nothing else.
const urlSupported = (url: string, supported: string[]): boolean => {
  const key = urlKey(url);
  return supported.some((allowed) => allowed === key || allowed.startsWith(`${key}/`));
};

function citationFlags(candidate: DraftCandidate, available: KnowledgeArticle[]): DraftFlag[] {
  if (candidate.citedArticleIds.length === 0) return [{ kind: 'missing_citation', detail: 'the draft cites no knowledge-base article' }];
  const known = new Set(available.map((article) => article.id));
  return candidate.citedArticleIds
    .filter((id) => !known.has(id))
    .map((id) => ({ kind: 'missing_citation' as const, detail: `cites ${id}, which is not among the retrieved articles` }));
}

/** Text whose script is measured: web addresses and article ids are Latin in every script. */
function proseOf(text: string): string {
  return text.replace(URL, ' ').replace(/\bKB-[A-Z0-9-]+\b/g, ' ').replace(/\b(?:ENQ|REF)-[A-Z0-9-]+\b/gi, ' ').replace(/\[[A-Z_]+\]/g, ' ');
}

export function scriptFlags(text: string, script: Script): DraftFlag[] {
  const profile = profileScript(proseOf(text));
  if (script === 'en') {
    return profile.hanChars > Math.max(5, profile.latinLetters * 0.05)
      ? [{ kind: 'wrong_language', detail: `expected English but found ${profile.hanChars} Chinese characters` }]
      : [];
  }
  if (profile.hanChars === 0 || profile.latinLetters > profile.hanChars * 2) {
    return [{ kind: 'wrong_language', detail: `expected ${script} Chinese but the draft is mostly in Latin letters` }];
  }
  // A stray character can be a one-to-many conversion artefact (里/裏); two or more is a mixed-script draft.
  const threshold = Math.max(2, Math.ceil(profile.hanChars * 0.01));
  if (script === 'zh-Hant' && profile.simplifiedOnly >= threshold) {
    return [{ kind: 'wrong_language', detail: `expected Traditional Chinese but found ${profile.simplifiedOnly} Simplified characters` }];
  }
  if (script === 'zh-Hans' && profile.traditionalOnly >= threshold) {
    return [{ kind: 'wrong_language', detail: `expected Simplified Chinese but found ${profile.traditionalOnly} Traditional characters` }];
  }
  return [];
}

/**
 * Flags problems for the reviewing agent. `available` are the articles retrieved for this enquiry; facts
 * are checked against the cited ones only.
 */
export function validateDraft(candidate: DraftCandidate, available: KnowledgeArticle[], options: DraftValidatorOptions = {}): DraftFlag[] {
  const script = replyScriptFor(candidate.language);
  const cited = available.filter((article) => candidate.citedArticleIds.includes(article.id));
  const supported = supportedFacts(cited, options.alwaysAllowedNumbers ?? DEFAULT_ALLOWED_NUMBERS);
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS[script];
  const length = Array.from(candidate.text).length;
  return [
    ...citationFlags(candidate, available),
    ...unique(phoneNumbersIn(candidate.text).filter((phone) => !supported.phones.has(phoneKey(phone)))).map((phone) => ({
      kind: 'unsupported_phone' as const,
      detail: `${phone} is not in the cited articles`,
    })),
    ...unique(urlsIn(candidate.text).filter((url) => !urlSupported(url, supported.urls))).map((url) => ({
      kind: 'unsupported_url' as const,
      detail: `${url} is not in the cited articles`,
    })),
    ...unique(moneyAmountsIn(candidate.text).filter((amount) => !supported.amounts.has(amount))).map((amount) => ({
      kind: 'unsupported_fee' as const,
      detail: `the amount ${amount} is not in the cited articles`,
    })),
    ...(length > maxChars ? [{ kind: 'too_long' as const, detail: `${length} characters, more than ${maxChars}` }] : []),
    ...scriptFlags(candidate.text, script),
  ];
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];
