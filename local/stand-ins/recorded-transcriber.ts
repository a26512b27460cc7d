import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { TranscribeOutputSchema, type TranscribeJobStateChange, type TranscribeOutput } from '../../events/transcribe.ts';
import { parseOrThrow } from '../../shared/domain/validation.ts';
import type { TranscriptionJobRequest, Transcriber } from '../../shared/ports/transcriber.ts';

export const NO_LOCAL_RECOGNISER = 'no local speech recogniser: run with AWS or provide a transcript';

/**
 * Local stand-in for Amazon Transcribe: for audio `…/<name>.wav` it serves the recorded Transcribe output
 * `<recordingsDir>/<name>.json` (the real output format) and, like EventBridge, reports the job's end
 * asynchronously to `onJobEnded`. Audio without a recording fails the job with a clear reason.
 */
export class RecordedTranscriber implements Transcriber {
  private readonly jobs = new Map<string, { recording: string; output?: TranscribeOutput }>();

  constructor(
    private readonly recordingsDir: string,
    private readonly onJobEnded: (event: TranscribeJobStateChange) => void,
  ) {}

  async startJob(request: TranscriptionJobRequest): Promise<{ alreadyStarted: boolean }> {
    if (this.jobs.has(request.jobName)) return { alreadyStarted: true };
    const recording = join(this.recordingsDir, `${basename(request.audio.key, extname(request.audio.key))}.json`);
    this.jobs.set(request.jobName, { recording });
    let event: TranscribeJobStateChange;
    try {
      const parsed = parseOrThrow(TranscribeOutputSchema, JSON.parse(await readFile(recording, 'utf8')));
      this.jobs.set(request.jobName, { recording, output: { ...parsed, jobName: request.jobName } });
      event = jobEvent(request.jobName, 'COMPLETED');
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      event = jobEvent(request.jobName, 'FAILED', missing ? NO_LOCAL_RECOGNISER : `recorded transcript is invalid: ${(error as Error).message}`);
    }
    // Delivered later, as EventBridge would: the caller's task must already be parked when it arrives.
    setImmediate(() => this.onJobEnded(event));
    return { alreadyStarted: false };
  }

  async readOutput(jobName: string): Promise<TranscribeOutput> {
    const output = this.jobs.get(jobName)?.output;
    if (!output) throw new Error(`no completed transcription job named ${jobName}`);
    return output;
  }
}

function jobEvent(jobName: string, status: 'COMPLETED' | 'FAILED', failureReason?: string): TranscribeJobStateChange {
  return {
    source: 'aws.transcribe',
    'detail-type': 'Transcribe Job State Change',
    detail: { TranscriptionJobName: jobName, TranscriptionJobStatus: status, ...(failureReason ? { FailureReason: failureReason } : {}) },
  };
}
