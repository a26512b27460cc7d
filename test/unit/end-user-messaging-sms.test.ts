import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EndUserMessagingSmsSender } from '../../shared/adapters/aws/end-user-messaging-sms.ts';
import { TransientError } from '../../shared/domain/errors.ts';
import { SmsOutcomeUnknownError, SmsPermanentError } from '../../shared/domain/sms/send.ts';

const sms = mockClient(PinpointSMSVoiceV2Client);
const POOL = 'arn:aws:sms-voice:ap-east-1:111122223333:pool/pool-0123456789abcdef0123456789abcdef';
const TEXT = '多謝您致電1823。水務署已安排人員跟進。';

beforeEach(() => sms.reset());

describe('End User Messaging SMS sender', () => {
  it('sends one transactional SendTextMessage to the number, from the configured origination identity', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'mid-0001' });
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), { originationIdentity: POOL });
    await expect(sender.send('+85291234567', TEXT, { configurationSet: 'assist-sms' })).resolves.toEqual({ messageId: 'mid-0001' });
    const calls = sms.commandCalls(SendTextMessageCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      DestinationPhoneNumber: '+85291234567',
      MessageBody: TEXT,
      OriginationIdentity: POOL,
      ConfigurationSetName: 'assist-sms',
      MessageType: 'TRANSACTIONAL',
    });
  });

  it('leaves out an unset origination identity so the account default applies', async () => {
    sms.on(SendTextMessageCommand).resolves({ MessageId: 'mid-0002' });
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}), { originationIdentity: '' });
    await sender.send('+85291234567', 'Hello');
    expect(sms.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toEqual({
      DestinationPhoneNumber: '+85291234567',
      MessageBody: 'Hello',
      MessageType: 'TRANSACTIONAL',
    });
  });

  const meta = { $metadata: {} };

  it.each([
    ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', ...meta })],
    [
      'ServiceQuotaExceededException',
      new ServiceQuotaExceededException({ message: 'Quota', Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT', ...meta }),
    ],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a DNS failure', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
  ])('maps %s (nothing was sent) to a TransientError so the message is retried', async (_label, error) => {
    sms.on(SendTextMessageCommand).rejects(error);
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}));
    const sending = sender.send('+85291234567', 'Hello');
    await expect(sending).rejects.toBeInstanceOf(TransientError);
    await expect(sending).rejects.toMatchObject({ cause: error });
  });

  it.each([
    ['InternalServerException', new InternalServerException({ message: 'Internal error', ...meta })],
    ['an HTTP 503', Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } })],
    ['a timeout waiting for the answer', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a dropped connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('maps %s (the SMS may have gone out) to SmsOutcomeUnknownError, never to a retry', async (_label, error) => {
    sms.on(SendTextMessageCommand).rejects(error);
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}));
    const sending = sender.send('+85291234567', 'Hello');
    await expect(sending).rejects.toBeInstanceOf(SmsOutcomeUnknownError);
    await expect(sending).rejects.toMatchObject({ cause: error });
  });

  it.each([
    ['ValidationException', new ValidationException({ message: 'Invalid number', Reason: 'INVALID_PARAMETER', ...meta }), 'invalid_request'],
    ['AccessDeniedException', new AccessDeniedException({ message: 'Denied', Reason: 'ACCOUNT_DISABLED', ...meta }), 'access_denied'],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'No such pool', ...meta }), 'not_found'],
    [
      'ConflictException (opted out at the carrier)',
      new ConflictException({ message: 'Opted out', Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ...meta }),
      'opted_out_at_carrier',
    ],
    ['ConflictException (other)', new ConflictException({ message: 'Conflict', Reason: 'RESOURCE_NOT_ACTIVE', ...meta }), 'rejected'],
  ])('maps %s to SmsPermanentError', async (_label, error, reason) => {
    sms.on(SendTextMessageCommand).rejects(error);
    const sender = new EndUserMessagingSmsSender(new PinpointSMSVoiceV2Client({}));
    const sending = sender.send('+85291234567', 'Hello');
    await expect(sending).rejects.toBeInstanceOf(SmsPermanentError);
    await expect(sending).rejects.toMatchObject({ name: 'SmsPermanentError', reason });
  });
});
