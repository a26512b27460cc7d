import { describe, expect, it } from 'vitest';
import { localeForLanguages } from '../../local/console/i18n.ts';

describe("the console's language before the user picks one", () => {
  it('is Traditional Chinese for browsers in Hong Kong, Taiwan and Macau Chinese, zh-Hant and Cantonese', () => {
    for (const tag of ['zh-HK', 'zh-TW', 'zh-MO', 'zh-Hant', 'zh-Hant-HK', 'zh_hk', 'yue', 'yue-HK']) expect(localeForLanguages([tag]), tag).toBe('zh-Hant');
  });

  it('is English for English browsers and for languages the console does not have', () => {
    for (const languages of [['en-HK'], ['en-US', 'zh-HK'], ['fr-FR'], ['ja'], []]) expect(localeForLanguages(languages), languages.join()).toBe('en');
  });

  it('passes over Simplified Chinese, which has no catalogue, for the next language the browser lists', () => {
    expect(localeForLanguages(['zh-CN'])).toBe('en');
    expect(localeForLanguages(['zh-Hans-HK'])).toBe('en');
    expect(localeForLanguages(['zh'])).toBe('en');
    expect(localeForLanguages(['zh-CN', 'zh-TW', 'en'])).toBe('zh-Hant');
    expect(localeForLanguages(['fr', 'zh-HK', 'en'])).toBe('zh-Hant');
  });
});
