/*
 * Agents correct the AI's topic in the console, against the real local stack (synthesized state machine,
 * review API, SMS outbox): the picker and the model's top three, "Redraft with this topic" showing the new
 * draft and SMS before any approval, a colleague's redraft landing first (409), and the approval whose SMS
 * names the corrected department.
 *
 * The shipped model now answers both enquiries used here correctly, so the classifier is pinned to the
 * mistake the issue reported from the console (a restaurant's exhaust-fan noise taken for neighbourhood
 * noise, the draft telling the caller it went to the Police); everything else is the real local stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { synthesizeWorkflowDefinition, type StateMachineDefinition } from '../../local/definition.ts';
import { KNOWLEDGE_DIR } from '../../local/stack.ts';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { LocalTopicClassifier } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import type { TopicResult } from '../../shared/domain/classification/topic-result.ts';
import type { ClassifyInput, TopicClassifier } from '../../shared/ports/topic-classifier.ts';
import { launchChromium, screenshot, startConsoleEnvironment, watchPageErrors, type ConsoleEnvironment } from './console-harness.ts';

/** The real local classifier, except for enquiries holding `match`: those get the pinned (wrong) answer. */
class PinnedMistakes implements TopicClassifier {
  constructor(
    private readonly real: TopicClassifier,
    private readonly pins: { match: string; result: Partial<TopicResult> }[],
  ) {}
  async classify(input: ClassifyInput): Promise<TopicResult> {
    const result = await this.real.classify(input);
    const pin = this.pins.find((candidate) => input.text.includes(candidate.match));
    return pin ? { ...result, ...pin.result } : result;
  }
}

/** The example, confident and wrong: the top three do not even hold the right topic, so the agent searches. */
const CONFIDENT_MISTAKE: Partial<TopicResult> = {
  topic: 'noise_neighbourhood',
  department: 'HKPF',
  // Pinned like the rest: the console shows what the classifier said, whatever the shipped model says today.
  caseType: 'complaint',
  confidence: 0.97,
  accepted: true,
  rationale: 'local model: "noise", "night" (p=0.97)',
  candidates: [
    { topic: 'noise_neighbourhood', department: 'HKPF', confidence: 0.97 },
    { topic: 'noise_construction', department: 'EPD', confidence: 0.02 },
    { topic: 'food_hygiene_premises', department: 'FEHD', confidence: 0.01 },
  ],
};

/** Unsure, with the right topic second in its top three. */
const UNSURE_MISTAKE: Partial<TopicResult> = {
  topic: 'noise_neighbourhood',
  department: 'HKPF',
  confidence: 0.55,
  accepted: false,
  rationale: 'local model: "嘈", "晚晚" (p=0.55)',
  candidates: [
    { topic: 'noise_neighbourhood', department: 'HKPF', confidence: 0.55 },
    { topic: 'noise_commercial_industrial', department: 'EPD', confidence: 0.4 },
    { topic: 'noise_construction', department: 'EPD', confidence: 0.03 },
  ],
};

let browser: Browser;
let definition: StateMachineDefinition;
let classifier: TopicClassifier;
let knowledgeBase: FileKnowledgeBase;
let environment: ConsoleEnvironment | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  definition = synthesizeWorkflowDefinition();
  knowledgeBase = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
  classifier = new PinnedMistakes(await LocalTopicClassifier.load(KNOWLEDGE_DIR), [
    { match: 'kitchen exhaust fan', result: CONFIDENT_MISTAKE },
    { match: '抽氣扇', result: UNSURE_MISTAKE },
  ]);
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

async function openConsole(locale: string): Promise<{ page: Page; errors: string[]; env: ConsoleEnvironment }> {
  environment = await startConsoleEnvironment({ definition, adapters: { classifier } });
  context = await browser.newContext({ baseURL: environment.url, viewport: { width: 1280, height: 1000 }, locale, timezoneId: 'Asia/Hong_Kong' });
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await page.goto(environment.url);
  return { page, errors, env: environment };
}

const sampleFrom = (env: ConsoleEnvironment, file: string) => {
  const sample = env.samples.find((candidate) => candidate.file === file);
  if (!sample) throw new Error(`no sample ${file}`);
  return sample;
};

/** A colleague's request straight to the review API, as API Gateway would deliver it. */
async function asColleague(env: ConsoleEnvironment, enquiryId: string, body: unknown): Promise<number> {
  const routeKey = 'POST /enquiries/{id}/topic';
  const now = new Date();
  const result = await env.stack.reviewApi({
    version: '2.0',
    routeKey,
    rawPath: `/enquiries/${enquiryId}/topic`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    pathParameters: { id: enquiryId },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method: 'POST', path: `/enquiries/${enquiryId}/topic`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `colleague-${enquiryId}`,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: { sub: 'dev-agent-colleague', 'cognito:groups': '[agent]' }, scopes: [] } },
    },
  });
  return result.statusCode ?? 0;
}

describe('correcting the topic in the review console', () => {
  it('corrects a wrongly classified enquiry with the picker (Chinese search, keyboard), sees the new draft and SMS, approves with SMS; the SMS names the new department', async () => {
    const { page, errors, env } = await openConsole('en-HK');
    const sample = sampleFrom(env, 'written-en-noise.json');
    expect(sample.smsConsent).toBe(true);
    const article = knowledgeBase.articlesFor('noise_commercial_industrial')[0]!;

    await page.getByRole('heading', { name: 'Sign in (local development)' }).waitFor();
    await page.getByRole('radio', { name: /^agent/ }).check();
    await page.getByLabel('Display name').fill('Chan Tai Man');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.locator(`#queue-table a[data-enquiry-id="${sample.enquiryId}"]`).click();
    await page.getByRole('heading', { name: `Enquiry ${sample.enquiryId}` }).waitFor();

    // The AI's answer: topic, case type, department, confidence; confident, so no unsure flag.
    await expect.poll(() => page.locator('#topic-name').textContent()).toContain('Neighbourhood noise');
    expect(await page.locator('#ai-department').textContent()).toBe('Hong Kong Police Force');
    expect(await page.locator('#case-type').textContent()).toBe('Complaint');
    expect(await page.locator('#ai-confidence').textContent()).toBe('97%');
    expect(await page.locator('#topic-unsure').count()).toBe(0);
    // Its top three, each with department and confidence, as one-click choices.
    const candidates = page.locator('#topic-candidates button');
    expect(await candidates.allTextContents()).toEqual(['Neighbourhood noisePolice · 97%', 'Construction and renovation noiseEPD · 2%', 'Food hygiene at restaurants and food premisesFEHD · 1%']);
    const draft = page.getByLabel('Reply to the caller (editable)');
    // The draft tells the caller the Police will follow it up.
    expect(await draft.inputValue()).toContain('to the Hong Kong Police Force for follow-up');
    expect(await page.locator('#draft-basis').textContent()).toBe('Draft D1, written for Neighbourhood noise (Hong Kong Police Force)');
    await screenshot(page, 'topic-before-correction');

    // `t` opens the topic search; the Chinese name finds the topic; Enter chooses it and moves to the redraft.
    await page.locator('h1').click();
    await page.keyboard.press('t');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('topic-search');
    await page.keyboard.type('工商業');
    const options = page.getByRole('listbox', { name: 'Matching topics' }).getByRole('option');
    // Names that start with the query come first.
    await expect.poll(() => options.count()).toBeGreaterThan(0);
    expect(await options.first().textContent()).toContain('Noise from commercial and industrial premises');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    expect(await page.locator('#chosen-topic').textContent()).toBe('Noise from commercial and industrial premises');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('redraft');
    // Only the departments the taxonomy allows for the topic: EPD alone.
    const department = page.getByLabel('Department', { exact: true });
    expect(await department.locator('option').allTextContents()).toEqual(['Environmental Protection Department']);
    expect(await department.isDisabled()).toBe(true);
    // English search finds it too, among others.
    await page.getByRole('combobox', { name: 'Search topics (English or Chinese)' }).fill('noise');
    await expect.poll(() => options.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Noise from commercial and industrial premises'), expect.stringContaining('Neighbourhood noise')]));
    await page.keyboard.press('Escape');
    await expect.poll(() => options.count()).toBe(0);

    // The restaurant is FEHD's business too: also involves.
    await page.locator('#also-involves summary').click();
    await page.getByLabel('Food and Environmental Hygiene Department (FEHD)').check();
    expect(await page.locator('#decision-topic').textContent()).toBe(
      'Your decision confirms the topic Noise from commercial and industrial premises (Environmental Protection Department). Also involves: Food and Environmental Hygiene Department.',
    );

    // Approving the old draft under the new topic is refused before anything is sent; focus goes to the redraft.
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    expect(await page.locator('#decision-error').textContent()).toContain('Redraft with this topic first, or edit the reply.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('redraft');
    expect((await env.stack.store.get(sample.enquiryId))?.status).toBe('awaiting_review');

    // Enter redrafts: the new draft (grounded in the EPD article) and its SMS, before any approval.
    await page.keyboard.press('Enter');
    const notice = page.locator('#redraft-notice');
    await expect.poll(() => notice.textContent(), { timeout: 15_000 }).toBe(
      'New draft D2 written for Noise from commercial and industrial premises (Environmental Protection Department). Check the reply and the SMS before approving.',
    );
    const stored = await env.stack.store.get(sample.enquiryId);
    expect(stored?.status).toBe('awaiting_review');
    expect(stored?.draft).toMatchObject({ draftId: 'D2', topic: 'noise_commercial_industrial', department: 'EPD', citedArticleIds: [article.id] });
    expect(stored?.agentTopic).toMatchObject({ topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: ['FEHD'], aiTopic: 'noise_neighbourhood', topicCorrected: true, agentId: 'dev-agent-chan-tai-man' });
    const newDraft = await draft.inputValue();
    expect(newDraft).toBe(stored?.draft?.text);
    expect(newDraft).toContain('to the Environmental Protection Department for follow-up');
    expect(newDraft).not.toContain('Hong Kong Police Force');
    expect(await page.locator('#cited-articles').textContent()).toContain(article.id);
    expect(await page.locator('#draft-basis').textContent()).toBe('Draft D2, written for Noise from commercial and industrial premises (Environmental Protection Department)');
    const smsField = page.getByLabel('SMS to the caller (editable)');
    expect(await smsField.inputValue()).toBe(stored?.draft?.smsText);
    expect(await smsField.inputValue()).toContain('EPD');
    // The audit trail shows what changed, and keeps the replaced draft.
    const audit = page.locator('#audit-trail');
    expect(await audit.textContent()).toContain('topic: Neighbourhood noise → Noise from commercial and industrial premises');
    expect(await audit.textContent()).toContain('department: Hong Kong Police Force → Environmental Protection Department');
    expect(await audit.textContent()).toContain('draft: D1 → D2');
    expect(await audit.locator('details.previous-draft summary').textContent()).toBe('Replaced draft D1');
    expect(await page.locator('#redraft').isDisabled()).toBe(true);
    await screenshot(page, 'topic-redrafted');

    // Approve with SMS.
    const sendSms = page.getByLabel('Send an SMS to the caller');
    if (!(await sendSms.isChecked())) await sendSms.check();
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => page.locator('#decision-result').textContent(), { timeout: 15_000 }).toContain('Decision recorded: approved.');
    const decided = await env.stack.store.get(sample.enquiryId);
    expect(decided?.decision).toMatchObject({
      action: 'approve',
      draftId: 'D2',
      sendSms: true,
      agentId: 'dev-agent-chan-tai-man',
      topic: { topic: 'noise_commercial_industrial', department: 'EPD', alsoInvolves: ['FEHD'], crossDepartmental: true, aiTopic: 'noise_neighbourhood', aiDepartment: 'HKPF', topicCorrected: true, departmentChanged: true },
    });
    await expect.poll(() => page.locator('#confirmed-topic').textContent()).toBe(
      'Confirmed topic: Noise from commercial and industrial premises (Environmental Protection Department) · corrected from Neighbourhood noise · Also involves: Food and Environmental Hygiene Department.',
    );
    await screenshot(page, 'topic-approved');

    // The caller's one SMS names the corrected department.
    await page.getByRole('link', { name: 'SMS outbox' }).click();
    await page.getByRole('heading', { name: 'Local SMS outbox' }).waitFor();
    await expect.poll(() => page.locator('#outbox-table tbody tr').count()).toBe(1);
    const smsText = await page.locator('#outbox-table tbody tr td.sms-text').textContent();
    expect(smsText).toBe(stored?.draft?.smsText);
    expect(smsText).toContain('EPD');
    expect(smsText).not.toMatch(/Police|HKPF/);
    await screenshot(page, 'topic-outbox');
    const sent = env.stack.smsSent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: sample.callerNumber, text: stored?.draft?.smsText });
    expect(errors).toEqual([]);
  });

  it('flags an unsure answer in 繁體中文, takes one of the top three in one click, and reloads with a message when a colleague redrafted first', async () => {
    const { page, errors, env } = await openConsole('zh-HK');
    const sample = sampleFrom(env, 'voicemail-zhhk-exhaust-fan.json');
    await page.getByRole('heading', { name: '登入（本機開發）' }).waitFor();
    await page.getByRole('radio', { name: /^客服主任/ }).check();
    await page.getByLabel('顯示名稱').fill('陳大文');
    await page.getByRole('button', { name: '登入', exact: true }).click();
    await page.getByRole('heading', { name: '待審閱查詢' }).waitFor();
    await page.goto(`/#/enquiry/${sample.enquiryId}`);
    await page.getByRole('heading', { name: `查詢 ${sample.enquiryId}` }).waitFor();

    // Unsure: flagged in words and as a badge.
    await expect.poll(() => page.locator('#topic-unsure').textContent()).toContain('未能確定');
    expect(await page.locator('#topic-unsure-badge').textContent()).toBe('未能確定');
    expect(await page.locator('#topic-name').textContent()).toContain('鄰里噪音');
    expect(await page.locator('#ai-confidence').textContent()).toBe('55%');
    const candidates = page.locator('#topic-candidates button');
    expect(await candidates.allTextContents()).toEqual(['鄰里噪音警方 · 55%', '工商業處所噪音環保署 · 40%', '建築及裝修噪音環保署 · 3%']);
    await screenshot(page, 'topic-unsure-zh-hant');

    // One click on the second candidate chooses it (topic and department).
    await candidates.nth(1).click();
    expect(await candidates.nth(1).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#chosen-topic').textContent()).toBe('工商業處所噪音');
    expect(await page.getByLabel('部門', { exact: true }).inputValue()).toBe('EPD');

    // Meanwhile a colleague redrafts it for another topic: the agent's redraft is refused (409) and the page reloads.
    expect(await asColleague(env, sample.enquiryId, { topic: 'noise_construction', draftId: 'D1' })).toBe(200);
    await page.getByRole('button', { name: '按此類別重擬回覆' }).click();
    const conflict = page.locator('#conflict-notice');
    await expect.poll(() => conflict.textContent(), { timeout: 15_000 }).toContain('另一位同事已先更改此查詢');
    expect(await conflict.textContent()).toContain('D1');
    expect(await page.locator('#draft-basis').textContent()).toBe('草稿 D2，按「建築及裝修噪音」（環境保護署）撰寫');
    expect(await page.locator('#chosen-topic').textContent()).toBe('建築及裝修噪音');
    expect(await page.locator('#topic-choice-by').textContent()).toContain('dev-agent-colleague');
    await screenshot(page, 'topic-conflict-zh-hant');

    // The agent chooses again and redrafts on the colleague's draft: D3, grounded in the EPD article.
    await candidates.nth(1).click();
    await page.getByRole('button', { name: '按此類別重擬回覆' }).click();
    await expect.poll(() => page.locator('#redraft-notice').textContent(), { timeout: 15_000 }).toContain('已按「工商業處所噪音」（環境保護署）撰寫新草稿 D3');
    const stored = await env.stack.store.get(sample.enquiryId);
    expect(stored?.draft).toMatchObject({ draftId: 'D3', topic: 'noise_commercial_industrial', department: 'EPD' });
    expect(await page.getByLabel('給來電者的回覆（可修改）').inputValue()).toBe(stored?.draft?.text);
    expect(stored?.draft?.text).toContain('環境保護署');
    expect(await page.getByLabel('給來電者的短訊（可編輯）').inputValue()).toBe(stored?.draft?.smsText);
    await screenshot(page, 'topic-redrafted-zh-hant');

    await page.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => page.locator('#decision-result').textContent(), { timeout: 15_000 }).toContain('已記錄決定');
    expect((await env.stack.store.get(sample.enquiryId))?.decision).toMatchObject({ draftId: 'D3', topic: { topic: 'noise_commercial_industrial', department: 'EPD', aiTopic: 'noise_neighbourhood', topicCorrected: true } });
    expect(errors).toEqual([]);
  });
});
