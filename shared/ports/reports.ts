import type { Spike } from '../domain/reports/spikes.ts';
import type { TopicCounterRow } from '../domain/reports/counters.ts';

/** Aggregate counters: the only thing reports read. */
export interface CounterSource {
  rows(from: string, to: string): Promise<TopicCounterRow[]>;
}

/** Where rendered reports go (the KMS-encrypted reports bucket, or a local folder). */
export interface ReportStore {
  put(key: string, body: string, contentType: string): Promise<void>;
}

/** Tells supervisors about spikes, topic and district × topic (an encrypted SNS topic, or the local console). */
export interface SpikeNotifier {
  notify(spikes: Spike[], period: { from: string; to: string }): Promise<void>;
}
