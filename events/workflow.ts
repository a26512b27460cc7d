import { z } from 'zod';

/**
 * Payloads the state machine passes to its Lambda steps. They carry ids only; each step reads what it
 * needs from the Enquiry store, so no personal data ever sits in execution history.
 */
export const EnquiryIdSchema = z.string().regex(/^ENQ-\d{8}-[A-Z0-9]{12}$/, 'must be an enquiry id like ENQ-20261124-ABCDEFGHJKMN');

export const StepInputSchema = z.object({
  enquiryId: EnquiryIdSchema,
  correlationId: z.string().min(1).max(128),
});
export type StepInput = z.infer<typeof StepInputSchema>;

/** Input of a `.waitForTaskToken` step: the usual ids plus the token to resume the execution with. */
export const CallbackStepInputSchema = StepInputSchema.extend({
  taskToken: z.string().min(1).max(8192),
});
export type CallbackStepInput = z.infer<typeof CallbackStepInputSchema>;

/** Input of NeedsManualHandling: the ids plus the error a Catch captured. */
export const NeedsManualInputSchema = StepInputSchema.extend({
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }),
});
export type NeedsManualInput = z.infer<typeof NeedsManualInputSchema>;
