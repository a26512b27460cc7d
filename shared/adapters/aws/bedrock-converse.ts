import type { BedrockRuntimeClient, ConverseCommand, ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';

/** Faults that pass with time: throttling and a briefly unavailable service or model. */
const RETRYABLE_ERRORS = new Set(['ThrottlingException', 'TooManyRequestsException', 'ServiceUnavailableException', 'ModelNotReadyException']);

/** Bedrock cannot be used now (throttling exhausted, service down, misconfigured): callers fall back to local. */
export class BedrockUnavailable extends Error {
  override readonly name = 'BedrockUnavailable';
  constructor(
    readonly errorName: string,
    options: { cause: unknown },
  ) {
    super(`Bedrock unavailable: ${errorName}`, options);
  }
}

/** Full-jitter exponential backoff: spreads retries of many throttled workers instead of synchronising them. */
export function backoffDelayMs(retry: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

export interface ConverseRetryOptions {
  maxThrottleRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onThrottled?: (retry: number, delayMs: number) => void;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One Converse call; retryable faults retried with bounded jittered backoff, anything else (or exhaustion) is BedrockUnavailable. */
export async function converseWithRetry(
  bedrock: BedrockRuntimeClient,
  command: ConverseCommand,
  options: ConverseRetryOptions = {},
): Promise<ConverseCommandOutput> {
  const maxRetries = options.maxThrottleRetries ?? 3;
  for (let retry = 0; ; retry += 1) {
    try {
      return await bedrock.send(command);
    } catch (error) {
      const name = (error as Error).name;
      if (!RETRYABLE_ERRORS.has(name) || retry >= maxRetries) throw new BedrockUnavailable(name, { cause: error });
      const delayMs = backoffDelayMs(retry + 1, options.backoffBaseMs ?? 250, options.backoffCapMs ?? 4000, options.random ?? Math.random);
      options.onThrottled?.(retry + 1, delayMs);
      await (options.sleep ?? defaultSleep)(delayMs);
    }
  }
}
