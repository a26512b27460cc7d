/**
 * Keyed hash (HMAC-SHA-256) of a caller's phone number: how the system finds a caller's enquiries and
 * honours their opt-out without storing the number in clear where a hash serves. On AWS the key never
 * leaves KMS (an HMAC_256 key, `kms:GenerateMac`); locally it is a secret of the local stack.
 */
export interface CallerHasher {
  /** Lower-case hex of HMAC-SHA-256 over the E.164 number; the same number always gives the same hash. */
  hash(e164: string): Promise<string>;
}
