import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from './console-harness.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/**
 * Draws each character alone on a canvas and returns its pixels as a string. Without a font that has the
 * character, Chromium draws the same empty box (.notdef) for every one of them, so the strings would match.
 */
function glyphBitmaps(characters: string[]): string[] {
  return characters.map((character) => {
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const context = canvas.getContext('2d')!;
    context.font = '40px sans-serif';
    context.textBaseline = 'top';
    context.fillText(character, 4, 4);
    return Array.from(context.getImageData(0, 0, 48, 48).data.filter((_, index) => index % 4 === 3), (alpha) => (alpha > 127 ? '#' : '.')).join('');
  });
}

describe('Chinese text in headless Chromium', () => {
  it('draws traditional (Hong Kong) and simplified characters with real glyphs, not empty boxes', async () => {
    const page = await browser.newPage({ locale: 'zh-HK', viewport: { width: 800, height: 80 } });
    // Hong Kong forms and Cantonese characters from the zh-HK samples, simplified ones from the zh-CN samples.
    const traditional = ['屋', '署', '喺', '嚟', '邨'];
    const simplified = ['简', '刚', '报', '树'];
    const bitmaps = await page.evaluate(glyphBitmaps, [...traditional, ...simplified]);

    for (const bitmap of bitmaps) expect(bitmap).toContain('#');
    expect(new Set(bitmaps).size).toBe(bitmaps.length);

    await page.setContent(`<p style="font: 32px sans-serif">繁體：我住喺石硤尾邨 · 简体：我今年刚来香港工作</p>`);
    await screenshot(page, 'chinese-text');
    await page.close();
  });
});
