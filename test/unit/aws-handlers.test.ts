import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand as GetItemCommand, PutCommand as PutItemCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConflictException, StartTranscriptionJobCommand, TranscribeClient } from '@aws-sdk/client-transcribe';
import type { Context, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { readFileSync } from 'node:fs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSamples } from '../../local/samples.ts';

// The handlers' composition roots read these at import, as in Lambda.
Object.assign(process.env, {
  ENQUIRY_TABLE_NAME: 'assist-enquiries',
  RESTRICTED_TABLE_NAME: 'assist-restricted',
  CALLER_HASH_KEY_ID: 'arn:aws:kms:ap-east-1:123456789012:key/caller-hash',
  STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:123456789012:stateMachine:EnquiryWorkflow',
  INTAKE_DLQ_URL: 'https://sqs.ap-east-1.amazonaws.com/123456789012/intake-dlq',
  TRANSCRIPTS_BUCKET: 'assist-transcripts',
  TRANSCRIPTS_KEY_ARN: 'arn:aws:kms:ap-east-1:123456789012:key/0000',
  TRANSCRIBE_VOCABULARY_ZH_HK: 'assist-1823-zh-HK',
  AWS_REGION: 'ap-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
});

// The store talks through the document client, so that is the client to mock.
const dynamo = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sqs = mockClient(SQSClient);
const transcribe = mockClient(TranscribeClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

const samples = loadSamples();
const bodyOf = (file: string) => samples.find((s) => s.file === file)!.body;
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: `r-${i}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-east-1:123456789012:intake',
    awsRegion: 'ap-east-1',
  })),
});

type Handler = (event: unknown, context: Context) => Promise<unknown>;
let intake: Handler;
let startTranscription: Handler;
let transcriptionComplete: Handler;

beforeAll(async () => {
  intake = (await import('../../functions/intake/handler.ts')).handler as Handler;
  startTranscription = (await import('../../functions/start-transcription/handler.ts')).handler as Handler;
  transcriptionComplete = (await import('../../functions/transcription-complete/handler.ts')).handler as Handler;
});

beforeEach(() => {
  for (const mock of [dynamo, sfn, sqs, transcribe, s3, kms]) mock.reset();
  kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(0xab) });
});

describe('intake handler (AWS adapters)', () => {
  it('creates the enquiry with a conditional write and starts the execution named by its id', async () => {
    dynamo.on(PutItemCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x' });
    const result = await intake(sqsEvent(bodyOf('written-en-noise.json')), context);
    expect(result).toEqual({ batchItemFailures: [] });
    const puts = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input);
    const meta = puts.find((p) => p.ConditionExpression === 'attribute_not_exists(pk)')?.Item;
    expect(meta?.['sk']).toBe('META');
    // Indexed under the KMS HMAC of the caller's number, computed with the caller-hash key; the number is not on the item.
    expect(meta?.['callerHash']).toBe('ab'.repeat(32));
    expect(JSON.stringify(meta)).not.toContain('91234567');
    const mac = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(mac).toMatchObject({ KeyId: process.env.CALLER_HASH_KEY_ID, MacAlgorithm: 'HMAC_SHA_256' });
    expect(new TextDecoder().decode(mac.Message)).toBe('+85291234567');
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.name).toMatch(/^ENQ-20261124-/);
    expect(JSON.parse(start.input!)).toEqual({ enquiryId: start.name, correlationId: 'm-0', hasAudio: false });
    expect(start.input).not.toContain('9123'); // no personal data in execution input
  });

  it('counts ExecutionAlreadyExists on a redelivery as success', async () => {
    dynamo.on(PutItemCommand).resolves({});
    dynamo
      .on(PutItemCommand, { ConditionExpression: 'attribute_not_exists(pk)' })
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(GetItemCommand).resolves({
      Item: ({ pk: 'ENQ#x', sk: 'META', enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', status: 'drafted', hasAudio: false, correlationId: 'c' }),
    });
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    expect(await intake(sqsEvent(bodyOf('written-en-noise.json')), context)).toEqual({ batchItemFailures: [] });
  });

  it('dead-letters an invalid record with the reason and reports only the transient failure for retry', async () => {
    dynamo.on(PutItemCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({});
    sfn.on(StartExecutionCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).resolves({});
    const invalid = JSON.stringify({ ...JSON.parse(bodyOf('voicemail-en-road.json')), callerNumber: '12345' });
    const result = await intake(sqsEvent(bodyOf('written-en-noise.json'), invalid, bodyOf('written-zhhk-housing.json')), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const dlq = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(dlq.QueueUrl).toBe(process.env.INTAKE_DLQ_URL);
    expect(dlq.MessageBody).toBe(invalid);
    expect(dlq.MessageAttributes?.['validationError']?.StringValue).toBe('callerNumber: must be an E.164 phone number such as +85291234567');
  });
});

describe('transcription handlers (AWS adapters)', () => {
  const enquiryId = 'ENQ-20261124-ABCDEFGHJKMN';
  const enquiry = (status: string, extra: Record<string, unknown> = {}) =>
    ({ pk: `ENQ#${enquiryId}`, sk: 'META', enquiryId, status, updatedAt: '2026-11-24T00:00:00Z', receivedAt: '2026-11-24T00:00:00Z', languageHint: 'en-US', hasAudio: true, ...extra });

  it('starts a Transcribe job with language identification, vocabulary, encrypted output and the hint first', async () => {
    dynamo.on(GetItemCommand, { Key: ({ pk: `ENQ#${enquiryId}`, sk: 'META' }) }).resolves({ Item: enquiry('received') });
    dynamo
      .on(GetItemCommand, { TableName: 'assist-restricted', Key: ({ pk: `CONTACT#${enquiryId}` }) })
      .resolves({ Item: ({ pk: `CONTACT#${enquiryId}`, enquiryId, audio: { bucket: 'voicemail-bucket', key: 'voicemail/2026/11/24/call-1.wav' } }) });
    dynamo.on(PutItemCommand).resolves({});
    transcribe.on(StartTranscriptionJobCommand).resolves({});
    await startTranscription({ enquiryId, correlationId: 'c-1', taskToken: 'token-1' }, context);
    expect(transcribe.commandCalls(StartTranscriptionJobCommand)[0]!.args[0].input).toEqual({
      TranscriptionJobName: `enq-${enquiryId}`,
      Media: { MediaFileUri: 's3://voicemail-bucket/voicemail/2026/11/24/call-1.wav' },
      IdentifyLanguage: true,
      LanguageOptions: ['en-US', 'zh-HK', 'zh-CN'],
      LanguageIdSettings: { 'zh-HK': { VocabularyName: 'assist-1823-zh-HK' } },
      OutputBucketName: 'assist-transcripts',
      OutputKey: `transcripts/enq-${enquiryId}.json`,
      OutputEncryptionKMSKeyId: 'arn:aws:kms:ap-east-1:123456789012:key/0000',
    });
    // The token is parked in the restricted table first; the enquiry itself never holds it.
    const [token, stored] = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input);
    expect(token).toMatchObject({ TableName: 'assist-restricted', Item: { pk: `TASK#${enquiryId}`, taskToken: 'token-1' } });
    expect(stored).toMatchObject({ TableName: 'assist-enquiries', Item: { status: 'transcribing' } });
    expect(stored!.Item).not.toHaveProperty('taskToken');
  });

  it('treats an existing job with the same name as already started', async () => {
    dynamo.on(GetItemCommand, { Key: ({ pk: `ENQ#${enquiryId}`, sk: 'META' }) }).resolves({ Item: enquiry('transcribing') });
    dynamo.on(GetItemCommand, { Key: ({ pk: `CONTACT#${enquiryId}` }) }).resolves({ Item: ({ enquiryId, audio: { bucket: 'b-b', key: 'k.wav' } }) });
    dynamo.on(PutItemCommand).resolves({});
    transcribe.on(StartTranscriptionJobCommand).rejects(new ConflictException({ message: 'exists', $metadata: {} }));
    await expect(startTranscription({ enquiryId, correlationId: 'c-1', taskToken: 'token-2' }, context)).resolves.toEqual({
      jobName: `enq-${enquiryId}`,
    });
  });

  it('reads the finished transcript and sends task success with the identified language', async () => {
    dynamo.on(GetItemCommand, { Key: ({ pk: `ENQ#${enquiryId}`, sk: 'META' }) }).resolves({ Item: enquiry('transcribing') });
    dynamo.on(GetItemCommand, { TableName: 'assist-restricted', Key: ({ pk: `TASK#${enquiryId}` }) }).resolves({ Item: { pk: `TASK#${enquiryId}`, taskToken: 'token-3' } });
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
    const output = readFileSync(new URL('../../events/samples/transcripts/call-8f2e61.json', import.meta.url), 'utf8');
    // Only transformToString is read; a full SDK stream is not needed to exercise the adapter.
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => output } as never });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const event = JSON.parse(readFileSync(new URL('../../events/aws/eventbridge-transcribe-job-state-change.json', import.meta.url), 'utf8'));
    event.detail.TranscriptionJobName = `enq-${enquiryId}`;
    await transcriptionComplete(event, context);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'assist-transcripts', Key: `transcripts/enq-${enquiryId}.json` });
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input).toEqual({
      taskToken: 'token-3',
      output: JSON.stringify({ language: 'zh-HK', lowConfidence: false }),
    });
    // The raw transcript goes to the contact record; the used token is cleared.
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({ TableName: 'assist-restricted', Key: { pk: `CONTACT#${enquiryId}` } });
    const cleared = dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input).find((input) => input.TableName === 'assist-restricted');
    // Cleared: no token left, and the item itself expires (DynamoDB TTL) after RETENTION.taskTokenDays.
    expect(cleared?.Item).toEqual({ pk: `TASK#${enquiryId}`, updatedAt: expect.any(String), expiresAt: expect.any(Number) });
  });

  it('sends task failure with Transcribe\'s reason when the job failed', async () => {
    dynamo.on(GetItemCommand, { Key: ({ pk: `ENQ#${enquiryId}`, sk: 'META' }) }).resolves({ Item: enquiry('transcribing') });
    dynamo.on(GetItemCommand, { Key: ({ pk: `TASK#${enquiryId}` }) }).resolves({ Item: { pk: `TASK#${enquiryId}`, taskToken: 'token-4' } });
    sfn.on(SendTaskFailureCommand).resolves({});
    await transcriptionComplete(
      {
        source: 'aws.transcribe',
        'detail-type': 'Transcribe Job State Change',
        detail: { TranscriptionJobName: `enq-${enquiryId}`, TranscriptionJobStatus: 'FAILED', FailureReason: 'Unsupported audio format' },
      },
      context,
    );
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]!.args[0].input).toEqual({
      taskToken: 'token-4',
      error: 'TranscriptionFailed',
      cause: 'Unsupported audio format',
    });
  });
});
