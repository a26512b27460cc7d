import { z } from 'zod';

/**
 * What starts a retrain run: EventBridge Scheduler's weekly `{ schedule: 'weekly' }`, or an operator's
 * on-demand invocation (`since` to re-collect from an instant, `dryRun` to compare without storing anything).
 */
export const RetrainEventSchema = z.strictObject({
  schedule: z.literal('weekly').optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  dryRun: z.boolean().optional(),
});
export type RetrainEvent = z.infer<typeof RetrainEventSchema>;
