import { afterEach, describe, expect, it } from 'vitest';
import { loadSamples } from '../../local/samples.ts';
import type { LocalStack } from '../../local/stack.ts';
import { intakeUntil, startHarness } from './harness.ts';

const samples = loadSamples();
const bodyOf = (file: string) => samples.find((s) => s.file === file)!.body;

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('voicemail through the synthesized workflow', () => {
  it('transcribes (language identified), redacts, classifies and drafts a Cantonese voicemail in Traditional Chinese', async () => {
    stack = await startHarness();
    const [enquiry] = await intakeUntil(stack, [bodyOf('voicemail-zhhk-exhaust-fan.json')]);
    expect(enquiry?.status).toBe('awaiting_review');
    const stored = (await stack.store.get(enquiry!.enquiryId))!;
    expect(stored.transcription).toMatchObject({ jobName: `enq-${stored.enquiryId}`, language: 'zh-HK', lowConfidence: false });
    expect(stored.transcription!.durationSeconds).toBeGreaterThan(5);
    // The caller's surname and spoken phone number never reach the model or the agent's text.
    expect(stored.redactedText).toContain('[NAME]');
    expect(stored.redactedText).toContain('[PHONE]');
    expect(stored.redactedText).not.toMatch(/九一一一|黃/);
    expect(stored.topic?.topic).toBe('noise_commercial_industrial');
    expect(stored.draft?.script).toBe('zh-Hant');
    const contact = await stack.store.getContact(stored.enquiryId);
    expect(contact?.rawText).toContain('九一一一'); // the raw transcript is kept, apart, for the record
    const states = stack.runtime.execution(stored.enquiryId)!.statesEntered;
    expect(states.slice(0, 7)).toEqual(['HasAudio', 'StartTranscription', 'RedactPersonalData', 'ClassifyTopic', 'GroupIncident', 'DraftReply', 'AwaitAgentReview']);
  });

  it('hands a voicemail without a transcript to agents with the reason, losing nothing', async () => {
    stack = await startHarness();
    const [enquiry] = await intakeUntil(stack, [bodyOf('voicemail-no-transcript.json')]);
    expect(enquiry?.status).toBe('needs_manual');
    expect(enquiry?.manualReason).toBe('the voicemail could not be transcribed: no local speech recogniser: run with AWS or provide a transcript');
    expect((await stack.store.getContact(enquiry!.enquiryId))?.audio?.key).toBe('voicemail/2026/11/24/call-e9e9e9.wav');
  });
});
