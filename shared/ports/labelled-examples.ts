import type { LabelledExample } from '../domain/retraining/labelled-example.ts';

export type { LabelledExample };

/**
 * Agent-labelled examples for retraining, in the data plane (a KMS-encrypted S3 prefix on AWS, files under
 * `.local-data` locally). Redacted text only. Each collection run adds one batch; batches are never rewritten.
 */
export interface LabelledExampleStore {
  /** Every stored example, from every batch. */
  all(): Promise<LabelledExample[]>;
  /** Stores one collection run's new examples; fails rather than overwrite an existing batch. */
  addBatch(batchId: string, examples: LabelledExample[]): Promise<void>;
}
