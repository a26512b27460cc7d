import { toSimplified, toTraditional } from '../drafting/script.ts';
import type { Language } from '../../vocabulary/languages.ts';

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/gu;
const LATIN = /[a-z]/giu;
/** Written-Cantonese particles and words that standard written Chinese does not use. */
const CANTONESE = /[嘅啲唔冇喺咗嚟佢哋乜嘢睇噉咁畀俾攞搵揾嗰晒啱咪諗]|係咪|點解|邊度|而家|琴日|聽日/u;

/**
 * The language of an enquiry's text: English if it is mostly Latin letters; Cantonese (zh-HK) if it uses
 * Traditional characters or written-Cantonese words; Mandarin (zh-CN) if it is in Simplified characters.
 */
export function detectLanguage(text: string): Language {
  const cjk = text.match(CJK)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  // Chinese carries about three times the meaning per character of an English letter.
  if (cjk * 3 < latin) return 'en-US';
  if (cjk === 0) return 'en-US';
  if (CANTONESE.test(text)) return 'zh-HK';
  const chinese = (text.match(CJK) ?? []).join('');
  const simplifiedOnly = [...chinese].filter((ch) => toTraditional(ch) !== ch).length;
  const traditionalOnly = [...chinese].filter((ch) => toSimplified(ch) !== ch).length;
  return simplifiedOnly > traditionalOnly ? 'zh-CN' : 'zh-HK';
}
