import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { analyseSms } from '../../shared/domain/sms/encoding.ts';
import { SmsOutcomeUnknownError } from '../../shared/domain/sms/send.ts';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../../local/definition.ts';
import { decideAsAgent, launchChromium, screenshot, startConsoleEnvironment, watchPageErrors, type ConsoleEnvironment } from './console-harness.ts';

let browser: Browser;
let definition: StateMachineDefinition;
let environment: ConsoleEnvironment | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  // One synth shared by the tests; each test still gets its own stack.
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

/** `locale` is the browser's language (navigator.languages), which the console follows until the user picks one. */
async function openConsole(locale = 'en-HK'): Promise<{ page: Page; errors: string[]; env: ConsoleEnvironment }> {
  environment = await startConsoleEnvironment({ definition });
  context = await browser.newContext({ baseURL: environment.url, viewport: { width: 1280, height: 900 }, locale, timezoneId: 'Asia/Hong_Kong' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(environment.url);
  return { page, errors, env: environment };
}

async function signIn(page: Page, role: 'agent' | 'supervisor', name: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in (local development)' }).waitFor();
  await page.getByRole('radio', { name: new RegExp(`^${role}`) }).check();
  await page.getByLabel('Display name').fill(name);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('review console in headless Chromium', () => {
  it('lets an agent open the oldest enquiry, edit the reply and the SMS, approve with SMS, and the caller gets exactly that one SMS', async () => {
    const { page, errors, env } = await openConsole();
    await signIn(page, 'agent', 'Chan Tai Man');

    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    const rows = page.locator('#queue-table tbody tr[data-enquiry-id]');
    await expect.poll(() => rows.count()).toBeGreaterThan(5);
    const listed = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-enquiry-id') ?? ''));
    const statuses = await Promise.all(listed.map(async (id) => (await env.stack.store.get(id))?.status));
    expect(statuses.every((status) => status === 'awaiting_review')).toBe(true);
    // Oldest first: the first row is the earliest-received enquiry awaiting review.
    const byAge = env.samples.filter((sample) => listed.includes(sample.enquiryId)).sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt));
    const oldest = byAge[0]!;
    expect(listed[0]).toBe(oldest.enquiryId);
    expect(oldest.smsConsent).toBe(true);
    // Each row shows where the enquiry is about: the sample in 石硤尾邨 is in Sham Shui Po.
    const districts = await page.locator('#queue-table tbody').textContent();
    expect(districts).toContain('Sham Shui Po');
    expect(districts).toContain('Shek Kip Mei Estate');
    await screenshot(page, 'agent-queue');

    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: `Enquiry ${oldest.enquiryId}` }).waitFor();
    // The caller's phone number is redacted and its placeholder highlighted.
    await expect.poll(() => page.locator('#transcript mark.placeholder').allTextContents()).toContain('[PHONE]');
    expect(await page.locator('#transcript').textContent()).not.toContain('9123 4567');
    expect(await page.locator('#cited-articles li').count()).toBeGreaterThan(0);

    const draft = page.getByLabel('Reply to the caller (editable)');
    const original = await draft.inputValue();
    expect(original.length).toBeGreaterThan(0);
    // The SMS field starts from the draft's short template SMS, and the preview describes it, not the reply.
    const smsField = page.getByLabel('SMS to the caller (editable)');
    const templateSms = (await env.stack.store.get(oldest.enquiryId))?.draft?.smsText;
    expect(templateSms).toBeTruthy();
    expect(await smsField.inputValue()).toBe(templateSms);
    expect(await smsField.isEnabled()).toBe(true);
    const templateAnalysis = analyseSms(templateSms!);
    await expect.poll(() => page.getByTestId('sms-units').textContent()).toBe(String(templateAnalysis.units));
    expect(await page.getByTestId('sms-encoding').textContent()).toBe(templateAnalysis.encoding);

    const edited = `Thank you for your report about the late-night kitchen exhaust noise. We have asked the department to inspect. Ref ${oldest.enquiryId}.`;
    await draft.fill(edited);
    // Editing the reply leaves the SMS (and its preview) alone.
    await expect.poll(() => page.locator('#draft-edited').textContent()).toMatch(/^Edited:/);
    expect(await smsField.inputValue()).toBe(templateSms);
    expect(await page.getByTestId('sms-units').textContent()).toBe(String(templateAnalysis.units));

    // `m` (outside a text field) moves to the SMS field.
    await draft.press('Escape');
    await page.keyboard.press('m');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('sms-text');
    const smsEdit = `1823: your noise report has gone to the department. Ref ${oldest.enquiryId}.`;
    await smsField.fill(smsEdit);
    // The SMS preview follows the SMS field, computed in the page.
    await expect.poll(() => page.getByTestId('sms-units').textContent()).toBe(String(smsEdit.length));
    expect(await page.getByTestId('sms-encoding').textContent()).toBe('GSM-7');
    expect(await page.getByTestId('sms-segments').textContent()).toMatch(/^1 \//);

    const sendSms = page.getByLabel('Send an SMS to the caller');
    if (!(await sendSms.isChecked())) await sendSms.check();
    await screenshot(page, 'agent-detail-edited');
    await page.getByRole('button', { name: 'Approve edited reply' }).click();
    await expect.poll(() => page.locator('#decision-result').textContent(), { timeout: 15_000 }).toContain('approved with edits');
    await screenshot(page, 'agent-approved');

    const enquiry = await env.stack.store.get(oldest.enquiryId);
    expect(enquiry?.decision).toMatchObject({ action: 'edit', finalText: edited, smsText: smsEdit, sendSms: true, agentId: 'dev-agent-chan-tai-man' });
    // Once decided, the SMS field shows the SMS that was sent, read-only.
    expect(await smsField.inputValue()).toBe(smsEdit);
    expect(await smsField.isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'SMS outbox' }).click();
    await page.getByRole('heading', { name: 'Local SMS outbox' }).waitFor();
    await expect.poll(() => page.locator('#outbox-table tbody tr').count()).toBe(1);
    expect(await page.locator('#outbox-table tbody tr td').first().textContent()).toBe(oldest.callerNumber);
    expect(await page.locator('#outbox-table tbody tr td.sms-text').textContent()).toBe(smsEdit);
    await screenshot(page, 'agent-outbox');

    const sent = env.stack.smsSent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: oldest.callerNumber, text: smsEdit, encoding: 'GSM-7' });
    expect(sent.filter((message) => message.to === oldest.callerNumber)).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('tells the agent when an SMS may or may not have gone out, in their language, and nothing is resent', async () => {
    const { page, errors, env } = await openConsole();
    const send = env.stack.smsSender.send.bind(env.stack.smsSender);
    env.stack.smsSender.send = async (to, text, options) => {
      await send(to, text, options);
      throw new SmsOutcomeUnknownError('SMS provider outcome unknown: TimeoutError');
    };
    const sample = env.samples.find((candidate) => candidate.smsConsent)!;
    await decideAsAgent(env.stack, sample.enquiryId, { action: 'approve', sendSms: true });
    await expect.poll(() => env.stack.smsOutbox.depth, { timeout: 15_000 }).toBe(1);
    await env.stack.processSmsOutbox();
    await expect.poll(async () => (await env.stack.store.get(sample.enquiryId))?.status, { timeout: 15_000 }).toBe('sms_failed');

    await signIn(page, 'agent', 'Chan Tai Man');
    await page.goto(`${page.url().split('#')[0]}#/enquiry/${sample.enquiryId}`);
    await page.getByRole('heading', { name: `Enquiry ${sample.enquiryId}` }).waitFor();
    await expect.poll(() => page.locator('body').textContent()).toContain('SMS: delivery unknown: the provider may have sent it.');
    expect(env.stack.smsSent()).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('shows a supervisor the topic trend chart, acceptance, the needs-manual backlog and report downloads', async () => {
    const { page, errors, env } = await openConsole();
    // Two reviewed enquiries, so the sample day has counted outcomes.
    const awaiting = await Promise.all(env.samples.map(async (sample) => ((await env.stack.store.get(sample.enquiryId))?.status === 'awaiting_review' ? sample : undefined)));
    const [first, second] = awaiting.filter((sample) => sample !== undefined);
    await decideAsAgent(env.stack, first!.enquiryId, { action: 'approve' });
    await decideAsAgent(env.stack, second!.enquiryId, { action: 'reject', reason: 'duplicate of an earlier enquiry' });

    await signIn(page, 'supervisor', 'Wong Mei Ling');
    await page.getByRole('heading', { name: 'Supervisor dashboard' }).waitFor();
    // The samples arrived on 2026-11-24 (the stack's clock says the 25th; the browser's may not).
    await page.goto('/#/dashboard?from=2026-11-18&to=2026-11-25&granularity=day');
    const chart = page.locator('svg#trend-chart');
    await expect.poll(() => chart.locator('polyline.series').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('line.axis').count()).toBe(2);
    expect(Number(await page.locator('#kpi-total').textContent())).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#kpi-acceptance').textContent()).toMatch(/^\d+%$/);
    expect(await page.locator('#acceptance-table tbody tr').count()).toBeGreaterThan(0);
    const needsManual = env.samples.filter((sample) => sample.file === 'voicemail-no-transcript.json').length;
    await expect.poll(() => page.locator('#kpi-backlog').textContent()).toBe(String(needsManual));

    const csv = await page.locator('#download-csv').getAttribute('href');
    expect(csv).toMatch(/^\/api\/reports\/topics\?.*format=csv/);
    const download = await page.request.get(csv!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^text\/csv/);
    const html = await page.request.get((await page.locator('#download-html').getAttribute('href'))!);
    expect(html.status()).toBe(200);
    expect(html.headers()['content-security-policy']).toContain('sandbox');
    // The district view: a tile per district (both names), the district table with unknown, the district CSV.
    const districtMap = page.locator('svg#district-map');
    expect(await districtMap.getAttribute('role')).toBe('img');
    expect(await districtMap.locator('g.district-tile').count()).toBe(18);
    expect(await districtMap.locator('g.district-tile[data-district="kwun-tong"] text.district-zh').textContent()).toBe('觀塘區');
    expect(await page.locator('#district-table tbody tr').count()).toBe(19);
    expect(await page.locator('#district-table tbody tr[data-district="unknown"] th').textContent()).toBe('District not known');
    const districtCsv = await page.request.get((await page.locator('#download-district-csv').getAttribute('href'))!);
    expect(districtCsv.status()).toBe(200);
    expect(await districtCsv.text()).toMatch(/^\uFEFF?district_id,district_name_en,district_name_zh_hant,topic_id,/);
    await screenshot(page, 'supervisor-dashboard');
    expect(errors).toEqual([]);
  });

  it('keeps an agent out of the supervisor dashboard: the link is hidden and the API answers 403', async () => {
    const { page, errors } = await openConsole();
    await signIn(page, 'agent', 'Lee Siu Ming');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    expect(await page.getByRole('link', { name: 'Supervisor dashboard' }).count()).toBe(0);

    await page.goto(`${page.url().split('#')[0]}#/dashboard`);
    const message = page.locator('#dashboard-forbidden');
    await message.waitFor();
    expect(await message.textContent()).toContain('for supervisors only');
    // The role check renders the message at once; the server's refusal joins it when the report request answers.
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('403');
    expect((await page.request.get('/api/reports/topics?format=json')).status()).toBe(403);
    await screenshot(page, 'agent-forbidden-dashboard');

    // The interface switches to Traditional Chinese, the message included.
    await page.getByRole('button', { name: 'Switch the interface to Traditional Chinese' }).click();
    await expect.poll(() => message.textContent()).toContain('主管儀表板只供主管使用');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant');
    await screenshot(page, 'agent-forbidden-dashboard-zh-hant');
    expect(errors).toEqual([]);
  });

  it('greets a zh-HK browser in Traditional Chinese until the user picks English, and keeps that pick', async () => {
    const { page, errors } = await openConsole('zh-HK');
    expect(await page.evaluate(() => navigator.languages)).toEqual(['zh-HK']);
    await page.getByRole('heading', { name: '登入（本機開發）' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-Hant');
    await page.getByRole('radio', { name: /^客服主任/ }).check();
    await page.getByLabel('顯示名稱').fill('陳大文');
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.getByRole('heading', { name: '待審閱查詢' }).waitFor();
    await screenshot(page, 'agent-queue-zh-hk-browser');

    await page.getByRole('button', { name: 'Switch the interface to English' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(errors).toEqual([]);
  });
});
