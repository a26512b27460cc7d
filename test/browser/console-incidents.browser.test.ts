/*
 * The console's incident views in headless Chromium: the badge and panel on an enquiry, "Apply this reply to
 * the other N reports" behind a confirmation, the skipped reports with their reasons, and "Open incidents".
 * Two sample enquiries are put into one incident through the incident store (part 1's place → district is
 * what groups enquiries in the pipeline; here the test groups them directly).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../../local/definition.ts';
import { afternoonClock, launchChromium, screenshot, startConsoleEnvironment, watchPageErrors, type ConsoleEnvironment } from './console-harness.ts';

let browser: Browser;
let definition: StateMachineDefinition;
let environment: ConsoleEnvironment | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  definition = synthesizeWorkflowDefinition();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  await environment?.close();
  environment = undefined;
});

describe('incidents in the review console', () => {
  it('shows the incident on the enquiry, applies the reviewed reply after a confirmation, and lists open incidents', async () => {
    environment = await startConsoleEnvironment({ definition });
    const byFile = new Map(environment.samples.map((s) => [s.file, s]));
    // Same topic, one English and one Cantonese: the English reply is not applied to the Cantonese report.
    const english = byFile.get('written-en-noise.json')!;
    const cantonese = byFile.get('voicemail-zhhk-exhaust-fan.json')!;
    const key = { topic: 'noise_commercial_industrial', district: 'kwun-tong' as const, place: { en: 'Hoi Yuen Road', zh: '開源道', kind: 'street' as const } };
    const now = afternoonClock().now(); // the stack's clock: the incident must be open at its time
    const first = await environment.stack.incidents.group({ enquiryId: english.enquiryId, receivedAt: new Date(now.getTime() - 60 * 60_000).toISOString(), key });
    await environment.stack.incidents.group({ enquiryId: cantonese.enquiryId, receivedAt: new Date(now.getTime() - 30 * 60_000).toISOString(), key });

    context = await browser.newContext({ baseURL: environment.url, viewport: { width: 1280, height: 900 }, locale: 'en-HK', timezoneId: 'Asia/Hong_Kong' });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto(environment.url);
    await page.getByRole('heading', { name: 'Sign in (local development)' }).waitFor();
    await page.getByRole('radio', { name: /^agent/ }).check();
    await page.getByLabel('Display name').fill('Chan Tai Man');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();

    await page.goto(`${page.url().split('#')[0]}#/enquiry/${english.enquiryId}`);
    await page.locator('#incident-badge').waitFor();
    expect(await page.locator('#incident-badge').textContent()).toBe('Incident · 2 reports');
    expect(await page.locator('#incident-panel').textContent()).toContain('Hoi Yuen Road, Kwun Tong');
    expect(await page.locator('#incident-panel').textContent()).toContain('Decide this enquiry');

    await page.locator('#approve').click();
    await page.locator('#incident-apply').waitFor();
    expect(await page.locator('#incident-apply').textContent()).toBe('Apply this reply to the other 1 reports');
    await page.locator('#incident-apply').click();
    await page.locator('#incident-apply-yes').waitFor();
    expect(await page.locator('#incident-apply-confirm').textContent()).toContain('an SMS only where that caller consented');
    await page.locator('#incident-apply-yes').click();
    await page.locator('#incident-apply-result').waitFor();
    const result = await page.locator('#incident-apply-result').textContent();
    expect(result).toContain('Applied to 0 reports.');
    expect(result).toContain(`${cantonese.enquiryId}: another language`);
    await screenshot(page, 'console-incident-applied');

    await page.getByRole('link', { name: 'Open incidents' }).click();
    await page.locator('#incidents-table').waitFor();
    const row = page.locator(`tr[data-incident-id="${first.incidentId}"]`);
    expect(await row.textContent()).toContain('Hoi Yuen Road');
    expect(await row.textContent()).toContain('Kwun Tong');
    await screenshot(page, 'console-open-incidents');

    // 繁體中文
    await page.locator('#language-toggle').click();
    await page.getByRole('heading', { name: '處理中事故' }).waitFor();
    expect(await row.textContent()).toContain('開源道');
    expect(await row.textContent()).toContain('觀塘區');
    await page.locator('#language-toggle').click();

    // An agent closes the incident: it leaves the open list.
    await page.goto(`${page.url().split('#')[0]}#/enquiry/${english.enquiryId}`);
    await page.locator('#incident-close').click();
    await page.getByText('Closed by an agent.').waitFor();
    await page.getByRole('link', { name: 'Open incidents' }).click();
    await page.locator('#incidents-empty').waitFor();
    expect(errors).toEqual([]);
  });
});
