import type { TranscribeJobStateChange, TranscribeOutput } from '../../events/transcribe.ts';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import type { LocalTaskHandler } from '../../local/workflow-runtime.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import type { EnquiryStatus } from '../../shared/vocabulary/enquiry-statuses.ts';
import type { Clock } from '../../shared/ports/clock.ts';
import type { TranscriptionJobRequest, Transcriber } from '../../shared/ports/transcriber.ts';
import { apiEvent, waitFor } from './harness.ts';

/** 14:00 Hong Kong time on the samples' day: outside SMS quiet hours, so sends are never deferred. */
export const afternoon: Clock = { now: () => new Date('2026-11-24T06:00:00Z') };

const samples = loadSamples();

/** A sample intake message (events/samples) as an object, optionally with fields replaced. */
export function sampleBody(file: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const sample = samples.find((s) => s.file === file);
  if (!sample) throw new Error(`no sample ${file}`);
  return { ...(JSON.parse(sample.body) as Record<string, unknown>), ...overrides };
}

/** Statuses after which nothing more is automated for an enquiry (DESIGN.md §4). */
export const FINAL_STATUSES: readonly EnquiryStatus[] = ['awaiting_review', 'needs_manual', 'closed', 'sms_sent', 'sms_failed'];

/** Every enquiry in the given statuses, all pages (the harness helper reads the first page only). */
export async function allEnquiriesIn(stack: LocalStack, statuses: readonly EnquiryStatus[]): Promise<Enquiry[]> {
  const found: Enquiry[] = [];
  for (const status of statuses) {
    let cursor: string | undefined;
    do {
      const page = await stack.store.listByStatus(status, { limit: 100, ...(cursor ? { cursor } : {}) });
      found.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
  }
  return found;
}

/** Waits until the enquiry is in one of `statuses` and returns it. */
export async function statusOf(stack: LocalStack, enquiryId: string, statuses: readonly EnquiryStatus[], timeoutMs = 20_000): Promise<Enquiry> {
  const enquiry = await waitFor(
    () => stack.store.get(enquiryId),
    (e) => e !== undefined && statuses.includes(e.status),
    timeoutMs,
  );
  return enquiry!;
}

/** Waits until every execution started so far has either ended or is parked waiting for an agent. */
export async function quiescent(stack: LocalStack, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => stack.runtime.allExecutions().map((e) => ({ status: e.status, last: e.statesEntered.at(-1) })),
    (executions) => executions.every((e) => e.status !== 'RUNNING' || e.last === 'AwaitAgentReview'),
    timeoutMs,
  );
}

/** An agent's decision through the review API, as API Gateway delivers it. */
export async function decide(stack: LocalStack, enquiryId: string, body: unknown, sub = 'agent-7') {
  const response = await stack.reviewApi(apiEvent('POST /enquiries/{id}/decision', { id: enquiryId, groups: ['agent'], sub, body }));
  return { status: response.statusCode, body: JSON.parse(String(response.body)) as Record<string, unknown> };
}

/** Fails when any recipient got the same text twice: the "never text a caller twice" property. */
export function duplicateSms(stack: LocalStack): string[] {
  const seen = new Map<string, number>();
  for (const sms of stack.smsSent()) seen.set(`${sms.to}|${sms.text}`, (seen.get(`${sms.to}|${sms.text}`) ?? 0) + 1);
  return [...seen.entries()].filter(([, count]) => count > 1).map(([key]) => key.split('|')[0]!);
}

/** An error whose `name` is what the state machine's Retry/Catch match on. */
export function namedError(name: string, message = `injected ${name}`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * `wrapHandler` that makes Task states throw: for each named state, `makeError()` on its first `times`
 * invocations (Infinity: always), then the real handler. Counts invocations per state.
 */
export function failingStates(faults: Record<string, { times: number; makeError: () => Error }>) {
  const calls = new Map<string, number>();
  const wrapHandler = (name: string, handler: LocalTaskHandler): LocalTaskHandler => {
    return async (payload) => {
      const call = (calls.get(name) ?? 0) + 1;
      calls.set(name, call);
      const fault = faults[name];
      if (fault && call <= fault.times) throw fault.makeError();
      return handler(payload);
    };
  };
  return { wrapHandler, calls: (name: string) => calls.get(name) ?? 0 };
}

/**
 * A Transcriber test double: serves the given Transcribe outputs by audio key and reports the job's end
 * through `deliver` (wired to the stack's EventBridge stand-in once the stack exists). Audio without an
 * output is a job that never reports, as when Transcribe or its EventBridge rule is stuck.
 */
export class ScriptedTranscriber implements Transcriber {
  deliver: ((event: TranscribeJobStateChange) => Promise<void>) | undefined;
  readonly started: TranscriptionJobRequest[] = [];
  private readonly outputs = new Map<string, TranscribeOutput>();

  constructor(private readonly byAudioKey: Record<string, { transcript: string; language: string }>) {}

  async startJob(request: TranscriptionJobRequest): Promise<{ alreadyStarted: boolean }> {
    this.started.push(request);
    const scripted = this.byAudioKey[request.audio.key];
    if (!scripted) return { alreadyStarted: false };
    const words = scripted.transcript.split(/\s+/).filter(Boolean);
    this.outputs.set(request.jobName, {
      jobName: request.jobName,
      results: {
        language_code: scripted.language,
        transcripts: [{ transcript: scripted.transcript }],
        items: words.map((content, i) => ({
          type: 'pronunciation' as const,
          start_time: String(i),
          end_time: String(i + 1),
          alternatives: [{ confidence: '0.95', content }],
        })),
      },
    });
    const event: TranscribeJobStateChange = {
      source: 'aws.transcribe',
      'detail-type': 'Transcribe Job State Change',
      detail: { TranscriptionJobName: request.jobName, TranscriptionJobStatus: 'COMPLETED' },
    };
    setImmediate(() => void this.deliver?.(event).catch(() => undefined));
    return { alreadyStarted: false };
  }

  async readOutput(jobName: string): Promise<TranscribeOutput> {
    const output = this.outputs.get(jobName);
    if (!output) throw new Error(`no completed transcription job named ${jobName}`);
    return output;
  }
}

/** A written enquiry message with its own id (so each is a distinct enquiry). */
export function writtenMessage(messageId: string, text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'written',
    messageId,
    channel: 'web',
    text,
    contact: { phone: '+85291234567' },
    smsConsent: true,
    receivedAt: '2026-11-24T09:15:00+08:00',
    ...overrides,
  };
}
