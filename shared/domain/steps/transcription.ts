import type { CallbackStepInput } from '../../../events/workflow.ts';
import type { TranscribeJobStateChange } from '../../../events/transcribe.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { Transcriber } from '../../ports/transcriber.ts';
import type { WorkflowCallbacks } from '../../ports/workflow.ts';
import { ValidationError } from '../errors.ts';
import { enquiryIdFromJobName, jobNameFor, languageOptionsFor, normaliseTranscript } from '../transcription.ts';

export interface StartTranscriptionDeps {
  store: EnquiryStore;
  /** Only what this step uses: the start-transcription function loads no S3 client. */
  transcriber: Pick<Transcriber, 'startJob'>;
  clock: Clock;
}

/**
 * Parks the task token on the enquiry, then starts the Transcribe job named by the enquiry id. The token is
 * stored first so a job that finishes instantly can always find it; a retried step reuses the same job.
 */
export async function startTranscription(input: CallbackStepInput, deps: StartTranscriptionDeps): Promise<{ jobName: string }> {
  const [enquiry, contact] = await Promise.all([deps.store.get(input.enquiryId), deps.store.getContact(input.enquiryId)]);
  if (!enquiry || !contact?.audio) {
    throw new ValidationError([{ field: 'audio', problem: `enquiry ${input.enquiryId} has no voicemail audio to transcribe` }]);
  }
  const jobName = jobNameFor(input.enquiryId);
  await deps.store.changeStatus({
    enquiryId: input.enquiryId,
    expectedStatus: ['received', 'transcribing'],
    to: 'transcribing',
    actor: 'workflow',
    at: deps.clock.now().toISOString(),
    patch: { taskToken: input.taskToken },
  });
  await deps.transcriber.startJob({ jobName, audio: contact.audio, languageOptions: languageOptionsFor(enquiry.languageHint) });
  return { jobName };
}

export interface CompleteTranscriptionDeps {
  store: EnquiryStore;
  /** Only what this step uses: the transcription-complete function loads no Transcribe client. */
  transcriber: Pick<Transcriber, 'readOutput'>;
  callbacks: WorkflowCallbacks;
  clock: Clock;
}

export type CompletionOutcome = 'resumed' | 'failed' | 'ignored';

/**
 * Handles "Transcribe Job State Change": stores the raw transcript with the contact record (personal data),
 * its quality summary on the enquiry, and resumes the workflow. A failed job fails the task with the reason.
 * Events for enquiries no longer waiting (duplicates, late events after a timeout) are ignored.
 */
export async function completeTranscription(
  event: TranscribeJobStateChange,
  deps: CompleteTranscriptionDeps,
): Promise<{ outcome: CompletionOutcome; enquiryId?: string }> {
  const { TranscriptionJobName: jobName, TranscriptionJobStatus: status, FailureReason } = event.detail;
  const enquiryId = enquiryIdFromJobName(jobName);
  const enquiry = enquiryId ? await deps.store.get(enquiryId, { withTaskToken: true }) : undefined;
  const taskToken = enquiry?.taskToken;
  if (!enquiry || enquiry.status !== 'transcribing' || !taskToken) return { outcome: 'ignored', ...(enquiryId ? { enquiryId } : {}) };

  if (status === 'FAILED') {
    await deps.callbacks.fail(taskToken, 'TranscriptionFailed', FailureReason ?? 'Transcribe reported the job as failed');
    return { outcome: 'failed', enquiryId: enquiry.enquiryId };
  }
  const output = await deps.transcriber.readOutput(jobName);
  const { text, summary } = normaliseTranscript(output, enquiry.languageHint ?? 'zh-HK');
  await deps.store.updateContact(enquiry.enquiryId, { rawText: text });
  await deps.store.changeStatus({
    enquiryId: enquiry.enquiryId,
    expectedStatus: 'transcribing',
    to: 'transcribed',
    actor: 'transcribe',
    at: deps.clock.now().toISOString(),
    patch: { transcription: summary, language: summary.language, taskToken: undefined },
  });
  await deps.callbacks.succeed(taskToken, { language: summary.language, lowConfidence: summary.lowConfidence });
  return { outcome: 'resumed', enquiryId: enquiry.enquiryId };
}
