import * as z from 'zod/mini';

/*
 * Versioned topic models. Each retrain run stores its candidate as `v0001`, `v0002`, … (promoted or not) with
 * a small card saying what it was trained on and how it compared; a pointer names the promoted version and
 * keeps the versions promoted before it, so a rollback restores the previous one. No pointer, or a pointer
 * to no version, means the model shipped in the knowledge layer serves.
 */

export const SHIPPED = 'shipped';
const VERSION = /^v\d{4,}$/;

export const isModelVersion = (value: string): boolean => VERSION.test(value);

export function versionName(n: number): string {
  return `v${String(n).padStart(4, '0')}`;
}

/** The version after the newest of `existing`. */
export function nextVersion(existing: readonly string[]): string {
  const numbers = existing.filter(isModelVersion).map((v) => Number(v.slice(1)));
  return versionName(numbers.length ? Math.max(...numbers) + 1 : 1);
}

const GoldFiguresSchema = z.object({ topicAccuracy: z.number(), departmentAccuracy: z.number(), confidentWrong: z.number() });

/** What a version was trained on and how it compared when it was made (never personal data: counts, figures, ids). */
export const ModelCardSchema = z.object({
  version: z.string().check(z.regex(VERSION)),
  createdAt: z.string(),
  /**
   * Identifies the knowledge layer the model was built on (examples, taxonomy keywords, glossary). A model
   * built on another layer is not loaded: the layer's own shipped model serves until the next retrain.
   */
  layerDigest: z.string(),
  knowledgeExamples: z.int(),
  agentExamples: z.int(),
  agentCorrections: z.int(),
  /** Newest agent decision the model trained on: later ones can judge it. */
  trainedThrough: z.nullable(z.string()),
  comparedWith: z.string(),
  gold: z.object({ examples: z.int(), current: GoldFiguresSchema, candidate: GoldFiguresSchema, floor: z.optional(GoldFiguresSchema) }),
  heldOut: z.object({ examples: z.int(), currentCorrect: z.int(), candidateCorrect: z.int(), fixed: z.int(), broken: z.int() }),
  gate: z.object({ promote: z.boolean(), reasons: z.array(z.string()), pValue: z.number() }),
});
export type ModelCard = z.infer<typeof ModelCardSchema>;

const PromotionSchema = z.object({
  version: z.string().check(z.regex(VERSION)),
  promotedAt: z.string(),
  by: z.string(),
  reason: z.string(),
});
export type Promotion = z.infer<typeof PromotionSchema>;

/** `promoted.json`: the version in service (null: the shipped model) and the stack of earlier promotions. */
export const PromotedPointerSchema = z.object({
  current: z.nullable(PromotionSchema),
  /** Earlier promotions, most recent first; rollback returns to the first. */
  previous: z.array(PromotionSchema),
  /** Every change, newest first (bounded): who moved the pointer from what to what, and when. */
  log: z.array(z.object({ at: z.string(), by: z.string(), action: z.enum(['promote', 'rollback']), from: z.string(), to: z.string(), reason: z.string() })),
});
export type PromotedPointer = z.infer<typeof PromotedPointerSchema>;

export const EMPTY_POINTER: PromotedPointer = { current: null, previous: [], log: [] };
const LOG_LENGTH = 100;

export const servingVersion = (pointer: PromotedPointer | undefined): string => pointer?.current?.version ?? SHIPPED;

/** The pointer after promoting `version`; the one in service becomes the rollback target. */
export function promote(pointer: PromotedPointer, promotion: Promotion): PromotedPointer {
  if (pointer.current?.version === promotion.version) return pointer;
  return {
    current: promotion,
    previous: pointer.current ? [pointer.current, ...pointer.previous] : pointer.previous,
    log: [{ at: promotion.promotedAt, by: promotion.by, action: 'promote' as const, from: servingVersion(pointer), to: promotion.version, reason: promotion.reason }, ...pointer.log].slice(0, LOG_LENGTH),
  };
}

/** The pointer after a rollback: the previously promoted version serves again (the shipped model when there is none). */
export function rollback(pointer: PromotedPointer, change: { at: string; by: string; reason: string }): PromotedPointer {
  if (!pointer.current) throw new Error('nothing to roll back: the shipped model already serves');
  const [restored = null, ...rest] = pointer.previous;
  return {
    current: restored,
    previous: rest,
    log: [{ ...change, action: 'rollback' as const, from: pointer.current.version, to: restored?.version ?? SHIPPED }, ...pointer.log].slice(0, LOG_LENGTH),
  };
}

/** A stored model: the serialised LocalTopicModel and the layer it was built on. */
export const StoredModelSchema = z.object({
  version: z.string().check(z.regex(VERSION)),
  layerDigest: z.string(),
  model: z.object({ topics: z.unknown(), caseTypes: z.optional(z.unknown()) }),
});
export type StoredModel = z.infer<typeof StoredModelSchema>;
