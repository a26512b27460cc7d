/**
 * Typed errors. Their `name` is what the state machine's Retry/Catch match on, so keep names stable.
 */

/** One problem with one field of an incoming message. `field` is a dotted path, e.g. `contact.phone`. */
export interface FieldProblem {
  field: string;
  problem: string;
}

/** Bad input: never retried; the message goes to a DLQ or error record with these problems. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.problem}`).join('; '));
  }
}

/** A fault worth retrying (throttling, timeouts, conflicts). */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
