/*
 * Fault injection on the synthesized EnquiryWorkflow definition (local runtime, real handlers, dynalite).
 * Every test asserts that each enquiry reaches a documented final status and that no caller is texted twice.
 *
 * | Fault injected                                                   | Expected outcome                                                     |
 * |------------------------------------------------------------------|----------------------------------------------------------------------|
 * | Transcribe job FAILED (voicemail with no recording)              | needs_manual, reason "the voicemail could not be transcribed: …"     |
 * | Transcribe never reports (stuck job), transcription timeout 1 s  | needs_manual, "a step did not finish in time"; late event ignored    |
 * | Duplicate Transcribe COMPLETED event (EventBridge at-least-once) | ignored: one transcription, one execution, still awaiting_review     |
 * | Bedrock throttled twice per call, then answers                   | awaiting_review, topic and draft from Bedrock, not degraded; bounded |
 * |                                                                  | jittered backoff (2 sleeps per call)                                 |
 * | Bedrock unavailable (throttling exhausted / 503)                 | awaiting_review with local topic + draft, enquiry flagged degraded   |
 * | DynamoDB conditional-check conflict ×2 / throttling ×3 in steps  | retried by the state machine; awaiting_review, each step done once   |
 * | DynamoDB throttling that never clears                            | 5 attempts (1 + 4 retries), then needs_manual with the error named   |
 * | Lambda service exception ×2 (Lambda.ServiceException)           | retried; awaiting_review                                             |
 * | Step Lambda crashes for good (Runtime.ExitError)                 | not retried; needs_manual with the error named                       |
 * | Intake Lambda crashes on one record of a batch                   | partial batch failure: only that record redelivered; one enquiry and |
 * |                                                                  | one execution each; intake DLQ empty                                 |
 * | Intake crashes after the write, before the execution starts      | redelivery finishes it: one enquiry, one execution                   |
 * | Same intake message delivered twice (same batch and later batch) | one enquiry, one execution                                           |
 * | QueueSms retried after it enqueued (crash after send to outbox)  | two outbox messages, one SMS, sms_sent                               |
 * | Same sms-outbox message delivered twice                          | one SMS, sms_sent                                                    |
 * | SMS provider TransientError ×2, then accepts                     | redelivered; one SMS, sms_sent, outbox DLQ empty                     |
 * | SMS provider SmsPermanentError every time                        | 5 receives, then sms-outbox DLQ; enquiry sms_failed ("rejected");    |
 * |                                                                  | nothing sent                                                         |
 * | SMS provider accepts, then the answer is lost (timeout / 5xx)    | one SMS, never resent by redeliveries; sms_failed "delivery_unknown" |
 * |                                                                  | for the agent to check                                               |
 * | No agent decision within the review timeout (1 s)                | needs_manual, "a step did not finish in time"; a late decision → 409 |
 * | SendTaskSuccess fails ×2 after the decision was recorded         | 503 each time, token kept (resumePending); another decision → 409;   |
 * |                                                                  | the same decision retried resumes: one SMS, counted once, token gone |
 * | SendTaskSuccess succeeds but its answer is lost                  | the workflow goes on (QueueSms drops the pending mark); one SMS; a   |
 * |                                                                  | retry → 409                                                          |
 * | SendTaskSuccess never succeeds, review timeout (1 s)             | needs_manual naming the unresumed decision; a retry → 409            |
 */
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ServiceUnavailableException,
  ThrottlingException,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { Duration } from 'aws-cdk-lib';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, type LocalStack } from '../../local/stack.ts';
import { BedrockReplyDrafter } from '../../shared/adapters/aws/bedrock-reply-drafter.ts';
import { BedrockTopicClassifier } from '../../shared/adapters/aws/bedrock-topic-classifier.ts';
import { FileKnowledgeBase } from '../../shared/adapters/in-process/file-knowledge-base.ts';
import { LocalTopicClassifier } from '../../shared/adapters/in-process/local-topic-classifier.ts';
import { TemplateReplyDrafter } from '../../shared/adapters/in-process/template-reply-drafter.ts';
import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { TransientError } from '../../shared/domain/errors.ts';
import { SmsOutcomeUnknownError, SmsPermanentError } from '../../shared/domain/sms/send.ts';
import { StatusConflictError } from '../../shared/ports/enquiry-store.ts';
import type { WorkflowCallbacks } from '../../shared/ports/workflow.ts';
import {
  afternoon,
  allEnquiriesIn,
  decide,
  duplicateSms,
  failingStates,
  FINAL_STATUSES,
  namedError,
  quiescent,
  sampleBody,
  ScriptedTranscriber,
  statusOf,
  writtenMessage,
} from './fault-helpers.ts';
import { apiEvent, intakeUntil, startHarness } from './harness.ts';

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** One enquiry from a sample, parked awaiting review, on a fresh stack. */
async function awaitingFrom(file: string, options: Parameters<typeof startHarness>[0] = {}): Promise<Enquiry> {
  stack = await startHarness({ clock: afternoon, ...options });
  const [enquiry] = await intakeUntil(stack, [sampleBody(file)]);
  expect(enquiry?.status).toBe('awaiting_review');
  return enquiry!;
}

/** Approves with SMS and waits until the follow-up is on the sms-outbox queue. */
async function approvedWithSms(enquiry: Enquiry): Promise<void> {
  expect((await decide(stack!, enquiry.enquiryId, { action: 'approve', sendSms: true })).status).toBe(200);
  await statusOf(stack!, enquiry.enquiryId, ['sms_queued']);
  await quiescent(stack!);
}

describe('Transcribe faults', () => {
  it('a failed transcription job hands the voicemail to agents with the reason', async () => {
    stack = await startHarness({ clock: afternoon });
    const [enquiry] = await intakeUntil(stack, [sampleBody('voicemail-no-transcript.json')]);
    expect(enquiry?.status).toBe('needs_manual');
    expect(enquiry?.manualReason).toMatch(/^the voicemail could not be transcribed: /);
    await quiescent(stack);
    expect(stack.runtime.allExecutions().map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(stack.smsSent()).toHaveLength(0);
  });

  it('a transcription that never reports times out to needs_manual, and a late completion event changes nothing', async () => {
    const transcriber = new ScriptedTranscriber({});
    stack = await startHarness({
      clock: afternoon,
      adapters: { transcriber },
      transcriptionTimeout: Duration.seconds(1),
      reviewTimeout: Duration.seconds(1),
    });
    transcriber.deliver = stack.deliverTranscribeEvent;
    const [enquiry] = await intakeUntil(stack, [sampleBody('voicemail-en-road.json')], ['needs_manual']);
    expect(enquiry?.manualReason).toMatch(/did not finish in time/);
    expect(transcriber.started).toHaveLength(1);

    await stack.deliverTranscribeEvent({
      source: 'aws.transcribe',
      'detail-type': 'Transcribe Job State Change',
      detail: { TranscriptionJobName: transcriber.started[0]!.jobName, TranscriptionJobStatus: 'COMPLETED' },
    });
    expect((await stack.store.get(enquiry!.enquiryId))?.status).toBe('needs_manual');
    await quiescent(stack);
    expect(stack.runtime.allExecutions().map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('a duplicate "job completed" event is ignored: one transcription, the enquiry stays awaiting review', async () => {
    const enquiry = await awaitingFrom('voicemail-en-road.json');
    const event = {
      source: 'aws.transcribe',
      'detail-type': 'Transcribe Job State Change',
      detail: { TranscriptionJobName: `enq-${enquiry.enquiryId}`, TranscriptionJobStatus: 'COMPLETED' },
    };
    await stack!.deliverTranscribeEvent(event);
    await stack!.deliverTranscribeEvent({ ...event, detail: { ...event.detail, TranscriptionJobStatus: 'FAILED', FailureReason: 'late' } });
    const stored = await stack!.store.get(enquiry.enquiryId);
    expect(stored?.status).toBe('awaiting_review');
    expect((await stack!.store.auditTrail(enquiry.enquiryId)).filter((e) => e.to === 'transcribed')).toHaveLength(1);
    expect(stack!.runtime.allExecutions()).toHaveLength(1);
  });
});

describe('Bedrock faults', () => {
  const bedrock = mockClient(BedrockRuntimeClient);
  let knowledgeBase: FileKnowledgeBase;
  let localClassifier: LocalTopicClassifier;
  let sleeps: number[];
  let calls: { record_topic: number; submit_draft: number };

  beforeAll(async () => {
    [knowledgeBase, localClassifier] = await Promise.all([FileKnowledgeBase.load(KNOWLEDGE_DIR), LocalTopicClassifier.load(KNOWLEDGE_DIR)]);
  });
  beforeEach(() => {
    bedrock.reset();
    sleeps = [];
    calls = { record_topic: 0, submit_draft: 0 };
  });

  const sleep = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  const bedrockAdapters = () => ({
    classifier: new BedrockTopicClassifier(
      { bedrock: new BedrockRuntimeClient({ region: 'ap-east-1', maxAttempts: 1 }), taxonomy: localClassifier.taxonomy, fallback: localClassifier, sleep },
      { modelId: 'test-model' },
    ),
    drafter: new BedrockReplyDrafter(
      {
        bedrock: new BedrockRuntimeClient({ region: 'ap-east-1', maxAttempts: 1 }),
        knowledgeBase,
        fallback: new TemplateReplyDrafter(knowledgeBase, knowledgeBase.replyTemplates()),
        sleep,
      },
      { modelId: 'test-model' },
    ),
  });

  const toolReply = (name: string, input: ToolUseBlock['input']): ConverseCommandOutput => ({
    output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't-1', name, input } }] } },
    stopReason: 'tool_use',
    usage: { inputTokens: 800, outputTokens: 100, totalTokens: 900 },
    metrics: { latencyMs: 500 },
    $metadata: {},
  });

  /** A model that answers correctly: the noise topic, and an English draft citing the first grounding article. */
  const answer = (input: ConverseCommandInput): ConverseCommandOutput => {
    const tool = input.toolConfig?.tools?.[0]?.toolSpec?.name;
    if (tool === 'record_topic') {
      return toolReply('record_topic', {
        topic: 'noise_neighbourhood',
        department: 'EPD',
        urgency: 'routine',
        confidence: 0.92,
        language: 'en-US',
        caseType: 'complaint',
        rationale: 'night-time noise from a kitchen exhaust fan',
      });
    }
    const system = input.system?.map((block) => block.text ?? '').join('\n') ?? '';
    const articleId = /<article id="([^"]+)">/.exec(system)?.[1] ?? 'none';
    return toolReply('submit_draft', {
      text: 'Thank you for contacting 1823. We have passed your report about the noise to the department responsible, which will follow up.',
      citedArticleIds: [articleId],
    });
  };
  const toolOf = (input: ConverseCommandInput) => (input.toolConfig?.tools?.[0]?.toolSpec?.name === 'record_topic' ? 'record_topic' : 'submit_draft');

  it('throttling twice per call is retried with bounded jittered backoff and the model answer is used', async () => {
    bedrock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      const tool = toolOf(input);
      calls[tool] += 1;
      if (calls[tool] <= 2) throw new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
      return answer(input);
    });
    const enquiry = await awaitingFrom('written-en-noise.json', { adapters: bedrockAdapters() });
    const stored = (await stack!.store.get(enquiry.enquiryId))!;
    expect(stored.topic).toMatchObject({ topic: 'noise_neighbourhood', source: 'bedrock' });
    expect(stored.draft?.source).toBe('bedrock');
    expect(stored.degraded).toBeUndefined();
    expect(calls).toEqual({ record_topic: 3, submit_draft: 3 });
    expect(sleeps).toHaveLength(4);
    expect(sleeps.every((ms) => ms >= 0 && ms <= 4000)).toBe(true);
    expect(stack!.smsSent()).toHaveLength(0);
  });

  it('Bedrock unavailable (throttling exhausted, then 503): local topic and draft, the enquiry flagged degraded', async () => {
    bedrock.on(ConverseCommand).callsFake((input: ConverseCommandInput) => {
      calls[toolOf(input)] += 1;
      if (toolOf(input) === 'record_topic') throw new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
      throw new ServiceUnavailableException({ message: 'down', $metadata: {} });
    });
    const enquiry = await awaitingFrom('written-en-noise.json', { adapters: bedrockAdapters() });
    const stored = (await stack!.store.get(enquiry.enquiryId))!;
    expect(stored.status).toBe('awaiting_review');
    expect(stored.degraded).toBe(true);
    expect(stored.topic).toMatchObject({ source: 'local', degraded: true });
    expect(stored.draft).toMatchObject({ degraded: true });
    expect(stored.draft?.text.length).toBeGreaterThan(0);
    // Throttling and 503s are both retried, bounded (1 + 3 retries), then the local model stands in.
    expect(calls.record_topic).toBe(4);
    expect(calls.submit_draft).toBe(4);
    const list = await stack!.reviewApi(apiEvent('GET /enquiries', { groups: ['agent'] }));
    expect(JSON.parse(String(list.body))).toMatchObject({ items: [{ enquiryId: enquiry.enquiryId, degraded: true }] });
  });
});

describe('DynamoDB and Lambda faults inside the workflow', () => {
  it('conditional-check conflicts and throttling that clear are retried; each step completes once', async () => {
    const faults = failingStates({
      RedactPersonalData: { times: 3, makeError: () => new TransientError('DynamoDB ProvisionedThroughputExceeded') },
      ClassifyTopic: { times: 2, makeError: () => new StatusConflictError('ENQ-20261124-AAAAAAAAAAAA', 'redacted') },
      DraftReply: { times: 2, makeError: () => namedError('Lambda.ServiceException') },
    });
    const enquiry = await awaitingFrom('written-zhhk-housing.json', { wrapHandler: faults.wrapHandler });
    expect(faults.calls('RedactPersonalData')).toBe(4);
    expect(faults.calls('ClassifyTopic')).toBe(3);
    expect(faults.calls('DraftReply')).toBe(3);
    const audit = await stack!.store.auditTrail(enquiry.enquiryId);
    expect(audit.map((e) => e.to)).toEqual(['received', 'redacted', 'classified', 'drafted', 'awaiting_review']);
    expect(faults.calls('NeedsManualHandling')).toBe(0);
  });

  it('throttling that never clears: 5 attempts, then needs_manual naming the error; the enquiry keeps its topic', async () => {
    const faults = failingStates({ DraftReply: { times: Infinity, makeError: () => new TransientError('DynamoDB throttled') } });
    stack = await startHarness({ clock: afternoon, wrapHandler: faults.wrapHandler });
    const [enquiry] = await intakeUntil(stack, [sampleBody('written-en-parking.json')]);
    expect(enquiry?.status).toBe('needs_manual');
    expect(enquiry?.manualReason).toMatch(/^processing failed \(TransientError\)/);
    expect(enquiry?.topic).toBeDefined();
    expect(enquiry?.draft).toBeUndefined();
    expect(faults.calls('DraftReply')).toBe(5);
    await quiescent(stack);
    expect(stack.runtime.allExecutions().map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('a step Lambda that crashes for good is not retried and the enquiry goes to needs_manual', async () => {
    const faults = failingStates({ ClassifyTopic: { times: Infinity, makeError: () => namedError('Runtime.ExitError', 'exited with signal SIGKILL') } });
    stack = await startHarness({ clock: afternoon, wrapHandler: faults.wrapHandler });
    const [enquiry] = await intakeUntil(stack, [sampleBody('written-zhcn-tax.json')]);
    expect(enquiry?.status).toBe('needs_manual');
    expect(enquiry?.manualReason).toMatch(/Runtime\.ExitError/);
    expect(faults.calls('ClassifyTopic')).toBe(1);
  });
});

describe('intake Lambda faults and duplicate delivery', () => {
  const messages = [
    writtenMessage('crash-0001', 'The street light outside my building in Mong Kok has been off for a week.'),
    writtenMessage('crash-0002', 'Rubbish has not been collected from the refuse point on our street for three days.'),
    writtenMessage('crash-0003', 'A tree branch is hanging over the footpath and looks like it will fall.'),
  ];

  it('a crash on one record of a batch redelivers only that record; every message becomes exactly one enquiry', async () => {
    stack = await startHarness({ clock: afternoon });
    const store = stack.store;
    const original = store.createIfAbsent.bind(store);
    const writes = new Map<string, number>();
    store.createIfAbsent = async (enquiry, contact) => {
      writes.set(enquiry.sourceId, (writes.get(enquiry.sourceId) ?? 0) + 1);
      if (enquiry.sourceId === 'web:crash-0002' && writes.get(enquiry.sourceId) === 1) throw new Error('socket hang up');
      return original(enquiry, contact);
    };
    const enquiries = await intakeUntil(stack, messages, FINAL_STATUSES);
    expect(Object.fromEntries(writes)).toEqual({ 'web:crash-0001': 1, 'web:crash-0002': 2, 'web:crash-0003': 1 });
    expect(enquiries.map((e) => e.sourceId).sort()).toEqual(['web:crash-0001', 'web:crash-0002', 'web:crash-0003']);
    expect(enquiries.every((e) => e.status === 'awaiting_review')).toBe(true);
    expect(stack.runtime.allExecutions()).toHaveLength(3);
    expect(stack.intakeDlq.depth).toBe(0);
  });

  it('a crash after the write but before the execution starts is finished by the redelivery, without duplicates', async () => {
    stack = await startHarness({ clock: afternoon });
    const store = stack.store;
    const original = store.createIfAbsent.bind(store);
    let crashed = false;
    store.createIfAbsent = async (enquiry, contact) => {
      const result = await original(enquiry, contact);
      if (!crashed && enquiry.sourceId === 'web:crash-0001') {
        crashed = true;
        throw new Error('Task timed out after 30.00 seconds');
      }
      return result;
    };
    const enquiries = await intakeUntil(stack, messages.slice(0, 2));
    expect(crashed).toBe(true);
    expect(enquiries.map((e) => e.status)).toEqual(['awaiting_review', 'awaiting_review']);
    expect(stack.runtime.allExecutions()).toHaveLength(2);
    const crashedEnquiry = enquiries.find((e) => e.sourceId === 'web:crash-0001')!;
    expect((await stack.store.auditTrail(crashedEnquiry.enquiryId)).filter((e) => e.to === 'received')).toHaveLength(1);
  });

  it('the same intake message delivered twice in one batch and again later is one enquiry and one execution', async () => {
    stack = await startHarness({ clock: afternoon });
    await intakeUntil(stack, [messages[0]!, messages[0]!, messages[1]!]);
    await intakeUntil(stack, [messages[0]!]);
    await quiescent(stack);
    expect(stack.runtime.allExecutions()).toHaveLength(2);
    const enquiries = await allEnquiriesIn(stack, FINAL_STATUSES);
    expect(enquiries.map((e) => e.sourceId).sort()).toEqual(['web:crash-0001', 'web:crash-0002']);
  });
});

describe('SMS faults', () => {
  it('QueueSms retried after it had already enqueued: two outbox messages, one SMS', async () => {
    const injected = { done: false };
    const enquiry = await awaitingFrom('written-en-noise.json', {
      wrapHandler: (name, handler) =>
        name !== 'QueueSms'
          ? handler
          : async (payload) => {
              const result = await handler(payload);
              if (!injected.done) {
                injected.done = true;
                throw new TransientError('Lambda timed out after enqueueing');
              }
              return result;
            },
    });
    await approvedWithSms(enquiry);
    expect(stack!.smsOutbox.depth).toBe(2);
    await stack!.processSmsOutbox();
    expect((await statusOf(stack!, enquiry.enquiryId, ['sms_sent'])).sms?.messageId).toBeDefined();
    expect(stack!.smsSent()).toHaveLength(1);
    expect(stack!.smsOutboxDlq.depth).toBe(0);
  });

  it('the same sms-outbox message delivered twice (same batch, then again) sends one SMS', async () => {
    const enquiry = await awaitingFrom('written-en-noise.json');
    await approvedWithSms(enquiry);
    const [queued] = stack!.smsOutbox.peek();
    stack!.smsOutbox.send(queued!.body, queued!.attributes);
    await stack!.processSmsOutbox();
    stack!.smsOutbox.send(queued!.body, queued!.attributes);
    await stack!.processSmsOutbox();
    await statusOf(stack!, enquiry.enquiryId, ['sms_sent']);
    expect(stack!.smsSent()).toHaveLength(1);
    expect(stack!.smsSent()[0]!.to).toBe('+85291234567');
    expect(duplicateSms(stack!)).toEqual([]);
    expect(stack!.smsOutboxDlq.depth).toBe(0);
  });

  it('provider errors twice, then accepts: redelivered, one SMS, sms_sent', async () => {
    const enquiry = await awaitingFrom('written-en-noise.json');
    const send = stack!.smsSender.send.bind(stack!.smsSender);
    let attempts = 0;
    stack!.smsSender.send = async (to, text, options) => {
      attempts += 1;
      if (attempts <= 2) throw new TransientError('provider answered 503');
      return send(to, text, options);
    };
    await approvedWithSms(enquiry);
    await stack!.processSmsOutbox();
    expect(attempts).toBe(3);
    await statusOf(stack!, enquiry.enquiryId, ['sms_sent']);
    expect(stack!.smsSent()).toHaveLength(1);
    expect(stack!.smsOutboxDlq.depth).toBe(0);
    expect(stack!.smsOutbox.depth).toBe(0);
  });

  it('provider accepts but its answer is lost: one SMS, redeliveries do not resend, the enquiry says delivery_unknown', async () => {
    const enquiry = await awaitingFrom('written-en-noise.json');
    const send = stack!.smsSender.send.bind(stack!.smsSender);
    stack!.smsSender.send = async (to, text, options) => {
      await send(to, text, options);
      throw new SmsOutcomeUnknownError('SMS provider outcome unknown: TimeoutError');
    };
    await approvedWithSms(enquiry);
    const [queued] = stack!.smsOutbox.peek();
    await stack!.processSmsOutbox();
    stack!.smsOutbox.send(queued!.body, queued!.attributes); // a late redelivery of the same message
    await stack!.processSmsOutbox();
    const stored = await statusOf(stack!, enquiry.enquiryId, ['sms_failed']);
    expect(stored.sms?.failure).toBe('delivery_unknown');
    expect(stack!.smsSent()).toHaveLength(1);
    expect(duplicateSms(stack!)).toEqual([]);
    expect(stack!.smsOutboxDlq.depth).toBe(0);
  });

  it('provider refusing for good: the message ends in the outbox DLQ after 5 receives and the enquiry is sms_failed', async () => {
    const enquiry = await awaitingFrom('written-en-noise.json');
    let attempts = 0;
    stack!.smsSender.send = async () => {
      attempts += 1;
      throw new SmsPermanentError('destination is not a mobile number', 'rejected');
    };
    await approvedWithSms(enquiry);
    await stack!.processSmsOutbox();
    expect(attempts).toBe(5);
    expect(stack!.smsOutbox.depth).toBe(0);
    const dead = stack!.smsOutboxDlq.peek();
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.body)).toMatchObject({ enquiryId: enquiry.enquiryId });
    const stored = await statusOf(stack!, enquiry.enquiryId, ['sms_failed']);
    expect(stored.sms?.failure).toBe('rejected');
    expect(stack!.smsSent()).toHaveLength(0);
  });
});

describe('review timeout', () => {
  it('no decision within the review timeout: needs_manual with the reason, a late decision is refused', async () => {
    stack = await startHarness({ clock: afternoon, transcriptionTimeout: Duration.seconds(1), reviewTimeout: Duration.seconds(1) });
    const [awaiting] = await intakeUntil(stack, [sampleBody('written-en-noise.json')], ['awaiting_review']);
    const enquiry = await statusOf(stack, awaiting!.enquiryId, ['needs_manual'], 10_000);
    expect(enquiry.manualReason).toMatch(/did not finish in time/);
    expect(await decide(stack, enquiry.enquiryId, { action: 'approve', sendSms: true })).toMatchObject({ status: 409, body: { currentStatus: 'needs_manual' } });
    await stack.processSmsOutbox();
    expect(stack.smsSent()).toHaveLength(0);
  });
});

/**
 * The review API's SendTaskSuccess through a fault: `failures` calls throw (Step Functions unavailable),
 * or with `loseAnswer` the call reaches the workflow but its answer is lost (the API sees an error anyway).
 */
function flakyResume(options: { failures: number; loseAnswer?: boolean }) {
  let calls = 0;
  const wrap = (runtime: WorkflowCallbacks): WorkflowCallbacks => ({
    succeed: async (token, output) => {
      calls += 1;
      if (calls > options.failures) return runtime.succeed(token, output);
      if (options.loseAnswer) await runtime.succeed(token, output);
      throw namedError(options.loseAnswer ? 'TimeoutError' : 'ServiceUnavailable', 'injected: Step Functions did not answer');
    },
    fail: (token, error, cause) => runtime.fail(token, error, cause),
  });
  return { wrap, calls: () => calls };
}

describe('resuming the workflow after a decision (the decision is kept until the resume succeeded)', () => {
  it('SendTaskSuccess fails twice: 503 with the token kept, another decision refused, the same decision retried resumes once', async () => {
    const flaky = flakyResume({ failures: 2 });
    const enquiry = await awaitingFrom('written-en-noise.json', { reviewCallbacks: flaky.wrap });
    const approve = { action: 'approve', sendSms: true };
    const token = (await stack!.store.get(enquiry.enquiryId, { withTaskToken: true }))?.taskToken;
    expect(token).toBeTruthy();
    const first = await decide(stack!, enquiry.enquiryId, approve);
    expect(first.status).toBe(503);
    const decisionId = first.body['decisionId'];
    expect(decisionId).toEqual(expect.any(String));
    const pending = await stack!.store.get(enquiry.enquiryId, { withTaskToken: true });
    expect(pending).toMatchObject({ status: 'approved', resumePending: { decisionId }, taskToken: token });
    expect(stack!.runtime.execution(enquiry.enquiryId)?.statesEntered.at(-1)).toBe('AwaitAgentReview');
    const detail = await stack!.reviewApi(apiEvent('GET /enquiries/{id}', { id: enquiry.enquiryId, groups: ['agent'] }));
    expect(JSON.parse(String(detail.body))).toMatchObject({ status: 'approved', resumePending: true });

    // Another decision while one is pending is refused; it never reaches the workflow.
    const other = await decide(stack!, enquiry.enquiryId, { action: 'reject', reason: 'changed my mind' }, 'agent-8');
    expect(other).toMatchObject({ status: 409, body: { currentStatus: 'approved', detail: expect.stringContaining(String(decisionId)) } });
    expect(flaky.calls()).toBe(1);

    expect((await decide(stack!, enquiry.enquiryId, approve)).status).toBe(503);
    const retried = await decide(stack!, enquiry.enquiryId, approve);
    expect(retried.status).toBe(200);
    expect(retried.body['decision']).toMatchObject({ decisionId, action: 'approve', agentId: 'agent-7' });
    expect(flaky.calls()).toBe(3);

    await statusOf(stack!, enquiry.enquiryId, ['sms_queued', 'sms_sent']);
    await quiescent(stack!);
    await stack!.processSmsOutbox();
    const done = await statusOf(stack!, enquiry.enquiryId, ['sms_sent']);
    expect(done.resumePending).toBeUndefined();
    expect((await stack!.store.get(enquiry.enquiryId, { withTaskToken: true }))?.taskToken).toBeUndefined();
    expect(stack!.smsSent()).toHaveLength(1);
    expect(duplicateSms(stack!)).toEqual([]);
    const rows = await stack!.counters.rows('2026-11-24', '2026-11-24');
    expect(rows.reduce((n, r) => n + r.received, 0)).toBe(1);
    const audit = await stack!.store.auditTrail(enquiry.enquiryId);
    expect(audit.filter((e) => e.to === 'approved' && e.from === 'awaiting_review')).toHaveLength(1);
    // Once the workflow has moved on, deciding again is the usual conflict.
    expect((await decide(stack!, enquiry.enquiryId, approve)).status).toBe(409);
  });

  it('SendTaskSuccess reached the workflow but its answer was lost: the workflow goes on, its next step drops the pending mark; one SMS', async () => {
    const flaky = flakyResume({ failures: 1, loseAnswer: true });
    const enquiry = await awaitingFrom('written-en-noise.json', { reviewCallbacks: flaky.wrap });
    const approve = { action: 'approve', sendSms: true };
    expect((await decide(stack!, enquiry.enquiryId, approve)).status).toBe(503);
    await statusOf(stack!, enquiry.enquiryId, ['sms_queued', 'sms_sent']);
    await quiescent(stack!);
    await stack!.processSmsOutbox();
    const done = await statusOf(stack!, enquiry.enquiryId, ['sms_sent']);
    expect(done.resumePending).toBeUndefined();
    expect(await decide(stack!, enquiry.enquiryId, approve)).toMatchObject({ status: 409 });
    expect(stack!.smsSent()).toHaveLength(1);
  });

  it('a decision whose resume never succeeds is not stranded: at the review timeout the enquiry goes to the manual queue', async () => {
    const flaky = flakyResume({ failures: Infinity });
    stack = await startHarness({ clock: afternoon, reviewTimeout: Duration.seconds(2), reviewCallbacks: flaky.wrap });
    const [enquiry] = await intakeUntil(stack, [sampleBody('written-en-noise.json')], ['awaiting_review']);
    expect((await decide(stack, enquiry!.enquiryId, { action: 'approve', sendSms: true })).status).toBe(503);
    const manual = await statusOf(stack, enquiry!.enquiryId, ['needs_manual'], 10_000);
    expect(manual.manualReason).toMatch(/did not finish in time.*never resumed the workflow/);
    expect(manual.resumePending).toBeUndefined();
    expect(manual.decision?.action).toBe('approve');
    expect(await decide(stack, enquiry!.enquiryId, { action: 'approve', sendSms: true })).toMatchObject({ status: 409, body: { currentStatus: 'needs_manual' } });
    await stack.processSmsOutbox();
    expect(stack.smsSent()).toHaveLength(0);
  });
});
