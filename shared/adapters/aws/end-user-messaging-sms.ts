import { SendTextMessageCommand, type PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { TransientError } from '../../domain/errors.ts';
import { SmsOutcomeUnknownError, SmsPermanentError, type SmsPermanentReason } from '../../domain/sms/send.ts';
import type { SmsSender, SmsSendOptions } from '../../ports/sms.ts';

/** Refusals before any processing, which the same request may not get later: safe for the SQS retry. */
const TRANSIENT_ERRORS = new Set(['ThrottlingException', 'ServiceQuotaExceededException']);

/** Network failures where the request never reached the provider (no connection was made). */
const NOT_SENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** Refusals the same request will always get. */
const PERMANENT_ERRORS: Record<string, SmsPermanentReason> = {
  ValidationException: 'invalid_request',
  AccessDeniedException: 'access_denied',
  ResourceNotFoundException: 'not_found',
  ConflictException: 'rejected',
};

interface ProviderError {
  name?: string;
  code?: string;
  message?: string;
  Reason?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Maps an SDK error to the domain's typed errors so the consumer decides retry vs DLQ by type, not by AWS names. */
export function toSmsSendError(error: unknown): Error {
  const provider = (typeof error === 'object' && error !== null ? error : {}) as ProviderError;
  const name = provider.name ?? 'UnknownError';
  const detail = `${name}${provider.Reason ? ` (${provider.Reason})` : ''}`;
  if (TRANSIENT_ERRORS.has(name)) return new TransientError(`SMS provider is throttling: ${detail}`, { cause: error });
  if (provider.code !== undefined && NOT_SENT_NETWORK_CODES.has(provider.code)) {
    return new TransientError(`SMS provider unreachable: ${provider.code}`, { cause: error });
  }
  const permanent = PERMANENT_ERRORS[name];
  if (permanent) {
    // The carrier-level opt-out list refused the number: worth telling apart, it should join our own list.
    const reason = name === 'ConflictException' && provider.Reason === 'DESTINATION_PHONE_NUMBER_OPTED_OUT' ? 'opted_out_at_carrier' : permanent;
    return new SmsPermanentError(`SMS provider refused the message: ${detail}`, reason, { cause: error });
  }
  const status = provider.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && !provider.$retryable) {
    return new SmsPermanentError(`SMS provider refused the message: ${detail} (HTTP ${status})`, 'rejected', { cause: error });
  }
  // 5xx, timeouts, dropped connections: the provider may have accepted the SMS before failing to answer.
  return new SmsOutcomeUnknownError(`SMS provider outcome unknown: ${detail}`, { cause: error });
}

/** SmsSender over AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage). */
export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    /** Used when a call passes no options of its own (e.g. SMS_ORIGINATION_IDENTITY from config). */
    private readonly defaults: SmsSendOptions = {},
  ) {}

  async send(to: string, text: string, options: SmsSendOptions = {}): Promise<{ messageId: string }> {
    const originationIdentity = options.originationIdentity || this.defaults.originationIdentity;
    const configurationSet = options.configurationSet || this.defaults.configurationSet;
    let response;
    try {
      response = await this.client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: to,
          MessageBody: text,
          MessageType: 'TRANSACTIONAL',
          ...(originationIdentity ? { OriginationIdentity: originationIdentity } : {}),
          ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        }),
      );
    } catch (error) {
      throw toSmsSendError(error);
    }
    // Accepted without an id is odd but still accepted: failing here would make a retry send it twice.
    return { messageId: response.MessageId ?? 'unknown' };
  }
}
