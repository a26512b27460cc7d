/**
 * Browser-test harness: Chromium (the system's or the npm one, see chromium.ts) driven by playwright-core,
 * and a local stack with the console server in front of it, fed with the sample enquiries.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { IntakeMessageSchema } from '../../events/intake-message.ts';
import { enquiryIdFor } from '../../shared/domain/enquiry.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { StateMachineDefinition } from '../../local/definition.ts';
import { REPO_ROOT } from '../../local/paths.ts';
import { loadSamples } from '../../local/samples.ts';
import { startConsoleServer } from '../../local/server.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.ts';

export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output', 'screenshots');

/**
 * The Chromium the browser project's global setup found. Without the background-networking flags Chromium
 * keeps trying to reach Google's hosts, which this network refuses.
 */
export async function launchChromium(): Promise<Browser> {
  const install = inject('chromium');
  return chromium.launch({
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Records console errors (CSP violations among them) and uncaught exceptions so a test can assert there
 * were none. HTTP error statuses the console handles (401, 403, 404 answers) are not page errors.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource: the server responded with a status of')) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return errors;
}

export interface SampleEnquiry {
  file: string;
  enquiryId: string;
  receivedAt: string;
  smsConsent: boolean;
  callerNumber: string | undefined;
}

export function sampleEnquiries(): SampleEnquiry[] {
  return loadSamples().map((sample) => {
    const message = IntakeMessageSchema.parse(JSON.parse(sample.body));
    return {
      file: sample.file,
      enquiryId: enquiryIdFor(message),
      receivedAt: message.receivedAt,
      smsConsent: message.smsConsent,
      callerNumber: message.kind === 'voicemail' ? message.callerNumber : message.contact.phone,
    };
  });
}

/**
 * A clock that runs in real time from 14:00 Hong Kong time the day after the samples arrived: outside SMS
 * quiet hours (22:00-08:00), so an approved reply is sent at once whatever time the tests run.
 */
export function afternoonClock(start = '2026-11-25T14:00:00+08:00'): Clock {
  const offset = Date.parse(start) - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/**
 * Records an agent's decision straight through the review API (as API Gateway would deliver it) and waits
 * until the workflow has finished with the enquiry, so its outcome is counted for the reports.
 */
export async function decideAsAgent(stack: LocalStack, enquiryId: string, body: { action: 'approve' | 'edit' | 'reject'; text?: string; reason?: string; sendSms?: boolean }): Promise<void> {
  const routeKey = 'POST /enquiries/{id}/decision';
  const now = new Date();
  const result = await stack.reviewApi({
    version: '2.0',
    routeKey,
    rawPath: `/enquiries/${enquiryId}/decision`,
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
      http: { method: 'POST', path: `/enquiries/${enquiryId}/decision`, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `test-${enquiryId}`,
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: { sub: 'dev-agent-setup', 'cognito:groups': '[agent]' }, scopes: [] } },
    },
  });
  if (result.statusCode !== 200) throw new Error(`decision on ${enquiryId} failed: ${result.statusCode} ${result.body ?? ''}`);
  await stack.runtime.execution(enquiryId)?.done;
}

export interface ConsoleEnvironment {
  stack: LocalStack;
  url: string;
  samples: SampleEnquiry[];
  close(): Promise<void>;
}

/**
 * Starts a local stack and the console server on a free loopback port, sends every sample through intake
 * and waits until each enquiry is parked for review (or ended): executions awaiting an agent never settle.
 */
export async function startConsoleEnvironment(
  options: { definition?: StateMachineDefinition; timeoutMs?: number; adapters?: LocalStackOptions['adapters'] } = {},
): Promise<ConsoleEnvironment> {
  const stack = await startLocalStack({
    clock: afternoonClock(),
    retryIntervalMs: 10,
    ...(options.definition ? { definition: options.definition } : {}),
    ...(options.adapters ? { adapters: options.adapters } : {}),
  });
  let server: Awaited<ReturnType<typeof startConsoleServer>> | undefined;
  try {
    server = await startConsoleServer({ stack, port: 0 });
    const samples = sampleEnquiries();
    for (const sample of loadSamples()) stack.intakeQueue.send(sample.body);
    await stack.processIntake();
    await waitForReview(stack, samples, options.timeoutMs ?? 30_000);
  } catch (error) {
    await server?.close();
    await stack.close();
    throw error;
  }
  const started = server;
  return {
    stack,
    url: started.url,
    samples: sampleEnquiries(),
    close: async () => {
      await started.close();
      await stack.close();
    },
  };
}

async function waitForReview(stack: LocalStack, samples: SampleEnquiry[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await Promise.all(samples.map(async (sample) => [sample.file, (await stack.store.get(sample.enquiryId))?.status ?? 'missing', stack.runtime.execution(sample.enquiryId)?.status] as const));
    const pending = statuses.filter(([, status, execution]) => status !== 'awaiting_review' && status !== 'needs_manual' && execution !== 'SUCCEEDED' && execution !== 'FAILED');
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new Error(`enquiries not ready for review after ${timeoutMs} ms: ${pending.map(([file, status]) => `${file}=${status}`).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
