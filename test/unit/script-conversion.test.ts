import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Converter } from 'opencc-js';
import { ConverterBuilder } from 'opencc-js/core';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../shared/domain/classification/language-detection.ts';
import { GENERATED_PHRASES_FILE } from '../../shared/domain/drafting/script-phrases.ts';
import { HK_TO_SIMPLIFIED, profileScript, SIMPLIFIED_TO_HK, toSimplified, toTraditional } from '../../shared/domain/drafting/script.ts';
import { currentPhrasesModule } from '../../local/gen-script-phrases.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../../local/paths.ts';

/*
 * The functions bundle only the conversions they use (opencc-js/core, OpenCC's hk2s and s2hk dictionaries,
 * STPhrases pruned). These tests hold them to full OpenCC (the opencc-js package build) on the layer's texts.
 */
const fullToSimplified = Converter({ from: 'hk', to: 'cn' });
const fullToTraditional = Converter({ from: 'cn', to: 'hk' });

function layerTexts(): string[] {
  const texts: string[] = [];
  for (const file of readdirSync(join(KNOWLEDGE_DIR, 'examples'))) {
    for (const line of readFileSync(join(KNOWLEDGE_DIR, 'examples', file), 'utf8').split('\n')) if (line.trim()) texts.push((JSON.parse(line) as { text: string }).text);
  }
  for (const file of readdirSync(join(KNOWLEDGE_DIR, 'articles'))) {
    for (const article of JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'articles', file), 'utf8')) as { body: { 'zh-Hant': string } }[]) texts.push(article.body['zh-Hant']);
  }
  return texts.filter((text) => /\p{Script=Han}/u.test(text));
}

describe('Chinese script conversion with only the dictionaries the functions need', () => {
  const texts = layerTexts();

  it('the pruned phrase rules are what the installed opencc-js gives (else: npm run assist -- gen-script-phrases)', () => {
    expect(readFileSync(join(REPO_ROOT, GENERATED_PHRASES_FILE), 'utf8')).toBe(currentPhrasesModule());
  });

  it('converts to Simplified exactly as full OpenCC does, on every example and article of the layer', () => {
    expect(texts.length).toBeGreaterThan(3000);
    expect(texts.filter((text) => toSimplified(text) !== fullToSimplified(text))).toEqual([]);
  });

  it('converts each character to Traditional exactly as full OpenCC does (what language detection compares)', () => {
    const characters = [...new Set(texts.flatMap((text) => Array.from(text)))];
    expect(characters.filter((char) => toTraditional(char) !== fullToTraditional(char))).toEqual([]);
    expect(characters.filter((char) => toTraditional(toSimplified(char)) !== fullToTraditional(fullToSimplified(char)))).toEqual([]);
  });

  it('converts whole Simplified texts to Traditional as full OpenCC does but for a few blocked phrase rules (2.2% of texts measured; under 3%)', () => {
    const simplified = texts.map((text) => toSimplified(text));
    const differing = simplified.filter((text) => toTraditional(text) !== fullToTraditional(text));
    expect(differing.length / simplified.length).toBeLessThan(0.03);
  });

  it('gives exactly what opencc-js/core gives with the same dictionaries (our tries hold no Map per node), in both directions', () => {
    // opencc-js's preset form of the same two configurations (its LocalePreset type omits normalizationChain).
    const preset = (config: typeof HK_TO_SIMPLIFIED) => ({ normalizationChain: [config.normalization], segmentation: config.segmentation, conversionChain: config.conversionChain });
    const core = ConverterBuilder({ from: { hk: [], cn: [] }, to: { hk: [], cn: [] }, configs: { hk2s: preset(HK_TO_SIMPLIFIED), s2hk: preset(SIMPLIFIED_TO_HK) } } as never);
    const [coreToSimplified, coreToTraditional] = [core({ from: 'hk', to: 'cn' }), core({ from: 'cn', to: 'hk' })];
    const samples = [...texts, ...texts.map((text) => coreToSimplified(text)), '⿰氵可 ⿱艹⿰氵可 𠮷 a\u{2ff0}', ''];
    expect(samples.filter((text) => toSimplified(text) !== coreToSimplified(text))).toEqual([]);
    expect(samples.filter((text) => toTraditional(text) !== coreToTraditional(text))).toEqual([]);
  });

  it('keeps phrase-aware conversion where a character has two Traditional forms', () => {
    expect(toTraditional('以后再来')).toBe('以後再來');
    expect(toTraditional('皇后大道')).toBe('皇后大道');
    expect(toTraditional('头发')).toBe('頭髮');
    expect(toTraditional('发现')).toBe('發現');
    expect(toSimplified('裏面')).toBe('里面');
  });

  it('still tells Simplified from Traditional text', () => {
    expect(detectLanguage('我想查询水费账单')).toBe('zh-CN');
    expect(detectLanguage('我想查詢水費賬單')).toBe('zh-HK');
    expect(profileScript('我想查询水费账单').simplifiedOnly).toBeGreaterThan(0);
    expect(profileScript('我想查詢水費賬單').simplifiedOnly).toBe(0);
  });
});
