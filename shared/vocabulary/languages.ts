/** The languages the hotline handles, as Amazon Transcribe language codes. */
export const LANGUAGES = ['zh-HK', 'en-US', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Written script a reply is drafted in: Cantonese callers get Traditional Chinese, Mandarin callers Simplified. */
export type Script = 'en' | 'zh-Hant' | 'zh-Hans';

export function replyScriptFor(language: Language): Script {
  switch (language) {
    case 'zh-HK':
      return 'zh-Hant';
    case 'zh-CN':
      return 'zh-Hans';
    case 'en-US':
      return 'en';
  }
}
