import * as z from 'zod/mini';
import { E164PhoneSchema } from './phone-number.ts';

/**
 * The privacy API (Cognito group `privacy`): a caller's data access request (PDPO DPP6) and erasure of
 * their raw contact data. The number travels in the body only: never in a path or query string, which
 * access logs and CloudFront would record.
 */

/** POST /privacy/exports */
export const DataAccessRequestSchema = z.strictObject({
  number: E164PhoneSchema,
  /** `json`: the export as data; `html`: the readable summary for the caller. */
  format: z._default(z.enum(['json', 'html']), 'json'),
});
export type DataAccessRequest = z.infer<typeof DataAccessRequestSchema>;

/** POST /privacy/erasures */
export const ErasureRequestSchema = z.strictObject({
  number: E164PhoneSchema,
});
export type ErasureRequest = z.infer<typeof ErasureRequestSchema>;
