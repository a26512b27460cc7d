import type { Clock } from '../../ports/clock.ts';
import { PointerConflictError, type TopicModelStore } from '../../ports/topic-models.ts';
import {
  EMPTY_POINTER,
  isModelVersion,
  promote,
  rollback,
  servingVersion,
  SHIPPED,
  type ModelCard,
  type PromotedPointer,
  type StoredModel,
} from './model-registry.ts';

/** What serves: a promoted version, or the shipped model (with the reason when a promoted one could not be used). */
export type ServingModel<M> =
  | { version: string; model: M; card: ModelCard | undefined }
  | { version: typeof SHIPPED; fallback?: string };

/**
 * The promoted version, loaded with `load`, when there is one and it can serve: stored, built on this
 * knowledge layer (`layerDigest`) and loadable with its taxonomy. Otherwise the shipped model, with the reason
 * (ids and error names only). Errors reading the store itself are the caller's to handle.
 */
export async function servingModel<M>(store: TopicModelStore, layerDigest: string, load: (stored: StoredModel) => M): Promise<ServingModel<M>> {
  const { pointer } = await store.pointer();
  const version = servingVersion(pointer);
  if (version === SHIPPED) return { version: SHIPPED };
  const stored = await store.model(version);
  if (!stored) return { version: SHIPPED, fallback: `promoted ${version} is not stored` };
  if (stored.layerDigest !== layerDigest) return { version: SHIPPED, fallback: `promoted ${version} was built on another knowledge layer` };
  try {
    return { version, model: load(stored), card: await store.card(version) };
  } catch (error) {
    return { version: SHIPPED, fallback: `promoted ${version} cannot be loaded: ${(error as Error).message}` };
  }
}

/** Reads, changes and writes the pointer, again when another change landed in between. */
async function changePointer(store: TopicModelStore, change: (pointer: PromotedPointer) => PromotedPointer): Promise<{ before: PromotedPointer; after: PromotedPointer }> {
  for (let attempt = 0; ; attempt += 1) {
    const { pointer = EMPTY_POINTER, revision } = await store.pointer();
    const after = change(pointer);
    try {
      if (after !== pointer) await store.setPointer(after, revision);
      return { before: pointer, after };
    } catch (error) {
      if (!(error instanceof PointerConflictError) || attempt >= 2) throw error;
    }
  }
}

/**
 * Makes `version` the one classify loads (at its next cold start). Refuses versions that are not stored or
 * were built on another knowledge layer than `layerDigest` (they would not be loaded).
 */
export async function promoteVersion(
  store: TopicModelStore,
  version: string,
  options: { by: string; reason: string; layerDigest: string; clock: Clock },
): Promise<{ from: string; to: string }> {
  if (!isModelVersion(version)) throw new Error(`"${version}" is not a model version (v0001, v0002, …)`);
  const card = await store.card(version);
  if (!card) throw new Error(`model ${version} is not stored; see: model list`);
  if (card.layerDigest !== options.layerDigest) throw new Error(`model ${version} was built on another knowledge layer; classify would not load it (retrain instead)`);
  const { before, after } = await changePointer(store, (pointer) =>
    promote(pointer, { version, promotedAt: options.clock.now().toISOString(), by: options.by, reason: options.reason }),
  );
  return { from: servingVersion(before), to: servingVersion(after) };
}

/** Restores the version promoted before the current one (the shipped model when there was none). */
export async function rollbackVersion(store: TopicModelStore, options: { by: string; reason: string; clock: Clock }): Promise<{ from: string; to: string }> {
  const { before, after } = await changePointer(store, (pointer) => rollback(pointer, { at: options.clock.now().toISOString(), by: options.by, reason: options.reason }));
  return { from: servingVersion(before), to: servingVersion(after) };
}

/** Every stored version with its card (newest first) and the pointer. */
export async function listVersions(store: TopicModelStore): Promise<{ versions: { version: string; card: ModelCard | undefined }[]; pointer: PromotedPointer; serving: string }> {
  const names = (await store.versions()).filter(isModelVersion).sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)));
  const versions = await Promise.all(names.map(async (version) => ({ version, card: await store.card(version) })));
  const { pointer = EMPTY_POINTER } = await store.pointer();
  return { versions, pointer, serving: servingVersion(pointer) };
}
