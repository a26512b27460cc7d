import * as z from 'zod/mini';

/**
 * What starts a retrain run: EventBridge Scheduler's weekly `{ schedule: 'weekly' }`, or an operator's
 * on-demand invocation (`since` to re-collect from an instant, `dryRun` to compare without storing anything).
 */
export const RetrainEventSchema = z.strictObject({
  schedule: z.optional(z.literal('weekly')),
  since: z.optional(z.iso.datetime({ offset: true })),
  dryRun: z.optional(z.boolean()),
});
export type RetrainEvent = z.infer<typeof RetrainEventSchema>;
