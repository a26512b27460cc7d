import * as z from 'zod/mini';

/**
 * Payloads the state machine passes to its Lambda steps. They carry ids only; each step reads what it
 * needs from the Enquiry store, so no personal data ever sits in execution history.
 */
export const EnquiryIdSchema = z.string().check(z.regex(/^ENQ-\d{8}-[A-Z0-9]{12}$/, 'must be an enquiry id like ENQ-20261124-ABCDEFGHJKMN'));

export const StepInputSchema = z.object({
  enquiryId: EnquiryIdSchema,
  correlationId: z.string().check(z.minLength(1), z.maxLength(128)),
});
export type StepInput = z.infer<typeof StepInputSchema>;

/** Input of a `.waitForTaskToken` step: the usual ids plus the token to resume the execution with. */
export const CallbackStepInputSchema = z.extend(StepInputSchema, {
  taskToken: z.string().check(z.minLength(1), z.maxLength(8192)),
});
export type CallbackStepInput = z.infer<typeof CallbackStepInputSchema>;

/** Input of NeedsManualHandling: the ids plus the error a Catch captured. */
export const NeedsManualInputSchema = z.extend(StepInputSchema, {
  failure: z.object({ Error: z.string(), Cause: z.optional(z.string()) }),
});
export type NeedsManualInput = z.infer<typeof NeedsManualInputSchema>;
