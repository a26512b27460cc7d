import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { reportToHtml } from '../../shared/domain/reports/html.ts';
import { buildTopicReport } from '../../shared/domain/reports/report.ts';
import { generateSyntheticHistory } from '../../local/synthetic-history.ts';
import { launchChromium, screenshot, watchPageErrors } from './console-harness.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

describe('topic report HTML in headless Chromium', () => {
  it('renders its charts, spike table and bilingual labels with no errors, and a screenshot is kept', async () => {
    const history = generateSyntheticHistory({
      seed: 7,
      days: 60,
      startDay: '2026-09-26',
      dailyEnquiries: 900,
      spikes: [
        { topic: 'blocked_drain_flooding', fromDay: '2026-11-21', days: 3, multiplier: 5, hours: [14, 19] },
        { topic: 'water_main_burst', fromDay: '2026-11-23', days: 1, multiplier: 40, hours: [14, 16], district: 'kwun-tong' },
      ],
      hourlyFrom: '2026-10-21',
      districts: true,
    });
    const report = buildTopicReport({ counters: history.rows, from: '2026-11-18', to: '2026-11-24', granularity: 'day' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const errors = watchPageErrors(page);
    await page.setContent(reportToHtml(report, { generatedAt: '2026-11-25T00:00:00Z' }), { waitUntil: 'load' });

    expect(await page.locator('svg.chart-series').count()).toBe(1);
    expect(await page.locator('svg.chart-series polyline.series').count()).toBe(5);
    // Context: 28 baseline days + the 7 report days, each topic with its expected band, the period marked.
    expect(await page.locator('svg.chart-series polygon.band').count()).toBe(5);
    expect(await page.locator('svg.chart-series rect.period').count()).toBe(1);
    expect((await page.locator('svg.chart-series polyline.series').first().getAttribute('points'))?.split(' ')).toHaveLength(35);
    // The flagged surge, hour by hour.
    expect(await page.locator('svg.chart-hourly polyline.series[data-topic="blocked_drain_flooding"]').count()).toBe(1);
    expect(await page.locator('svg.chart-hourly circle.spike-point').count()).toBeGreaterThan(2);
    expect(await page.locator('svg.chart-change rect.bar').count()).toBeGreaterThan(3);
    expect(await page.locator('svg.chart-acceptance rect.bar').count()).toBeGreaterThan(3);
    expect(await page.locator('tr.spike[data-topic="blocked_drain_flooding"]').count()).toBe(1);
    // The series really has a shape on screen, not an empty box.
    const box = await page.locator('svg.chart-series').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(await page.locator('svg.chart-series').getAttribute('aria-label')).toBeTruthy();
    // The district tile map: 18 tiles, each name and count drawn inside its own tile, the spiking district outlined.
    const tiles = page.locator('svg.chart-districts g.district-tile');
    expect(await tiles.count()).toBe(18);
    for (let i = 0; i < 18; i++) {
      const tile = tiles.nth(i);
      const rect = (await tile.locator('rect').boundingBox())!;
      for (const label of await tile.locator('text').all()) {
        const box = (await label.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(rect.x);
        expect(box.x + box.width, `${await tile.getAttribute('data-district')}: ${await label.textContent()}`).toBeLessThanOrEqual(rect.x + rect.width + 0.5);
      }
    }
    expect(await page.locator('svg.chart-districts g.district-tile.spiking[data-district="kwun-tong"]').count()).toBe(1);
    expect(await page.locator('tr.district-spike[data-district="kwun-tong"][data-topic="water_main_burst"]').count()).toBe(1);
    expect(await page.locator('table.district-topics tbody tr').count()).toBe(19);
    const text = await page.locator('body').innerText();
    expect(text).toMatch(/Kwun Tong\s*觀塘區/);
    expect(text).toMatch(/Enquiries/);
    expect(text).toMatch(/查詢/);
    await screenshot(page, 'topic-report');
    expect(errors).toEqual([]);
    await page.close();
  });
});
