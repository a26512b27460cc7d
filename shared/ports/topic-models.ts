import type { ModelCard, PromotedPointer, StoredModel } from '../domain/retraining/model-registry.ts';

export type { ModelCard, PromotedPointer, StoredModel };

/** A version with that name is already stored (another run took it): take the next one. */
export class ModelVersionExistsError extends Error {
  override readonly name = 'ModelVersionExistsError';
  constructor(readonly version: string) {
    super(`model version ${version} already exists`);
  }
}

/** The promoted pointer changed since it was read (a promotion or rollback raced): read it again. */
export class PointerConflictError extends Error {
  override readonly name = 'PointerConflictError';
  constructor() {
    super('the promoted-model pointer changed while it was being updated; try again');
  }
}

/**
 * Versioned topic models (on AWS an S3 prefix, `models/topic/v0007.json` + `v0007.card.json` and the
 * `promoted.json` pointer; locally the same files under `.local-data/models`).
 */
export interface TopicModelStore {
  /** Names of the stored versions (v0001, …), in no particular order. */
  versions(): Promise<string[]>;
  card(version: string): Promise<ModelCard | undefined>;
  model(version: string): Promise<StoredModel | undefined>;
  /** Stores a new version and its card; ModelVersionExistsError when the name is taken. */
  create(model: StoredModel, card: ModelCard): Promise<void>;
  /** The pointer and an opaque revision for `setPointer` (null when no pointer was ever written). */
  pointer(): Promise<{ pointer: PromotedPointer | undefined; revision: string | null }>;
  /** Replaces the pointer unless it changed since `revision` was read (PointerConflictError). */
  setPointer(pointer: PromotedPointer, revision: string | null): Promise<void>;
}
