/** The SMS provider (AWS End User Messaging SMS, or the local outbox file). */
export interface SmsSender {
  /**
   * Hands one SMS to the provider. Throws TransientError when a retry may succeed (throttling, 5xx) and
   * SmsPermanentError when it never will (invalid request, access denied, opted out at the carrier).
   */
  send(to: string, text: string, options?: SmsSendOptions): Promise<{ messageId: string }>;
}

export interface SmsSendOptions {
  /** Phone number, sender id or pool (id or ARN) to send from; the provider default when absent. */
  originationIdentity?: string;
  /** Configuration set carrying delivery-event destinations. */
  configurationSet?: string;
}

/** Numbers that replied STOP/停止 (and later START/開始). Numbers are E.164. */
export interface OptOutRegistry {
  isOptedOut(number: string): Promise<boolean>;
  /** `at` is an ISO timestamp; `source` says where the opt-out came from (e.g. the inbound message id). */
  optOut(number: string, at: string, source: string): Promise<void>;
  optIn(number: string, at: string): Promise<void>;
}

export type LedgerClaim = 'claimed' | 'already_sent' | 'in_progress' | 'outcome_unknown';

/**
 * The idempotency record of follow-up SMS, keyed by enquiry id + decision id: at most one send per key,
 * even with SQS redelivery, retries and concurrent deliveries.
 */
export interface SentSmsLedger {
  /**
   * Atomically takes the right to send. 'claimed': go ahead; 'already_sent': it went out before;
   * 'in_progress': another delivery holds a fresh claim; 'outcome_unknown': an earlier send got an
   * ambiguous answer (markOutcomeUnknown), or its claim is older than any live send (the delivery crashed
   * mid-send). Whether that SMS went out is unknown (the provider has no idempotency token), so such a
   * claim is never taken over: at most once.
   */
  claim(key: string, at: string): Promise<LedgerClaim>;
  markSent(key: string, messageId: string, at: string): Promise<void>;
  /** After an ambiguous provider answer: the claim stays, and later claims get 'outcome_unknown' at once. */
  markOutcomeUnknown(key: string, at: string): Promise<void>;
  /** Gives an in-progress claim back after a send that did not happen; never undoes a 'sent' record. */
  release(key: string): Promise<void>;
}
