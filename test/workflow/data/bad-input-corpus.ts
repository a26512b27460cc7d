/**
 * Bad-input corpus: malformed, hostile and boundary inputs for every entry point, each with the field the
 * error must name. Shared by test/workflow/bad-input.test.ts (and usable by docs and fuzzing).
 *
 * "Invalid UTF-8" for a JSON SQS body: SQS only carries valid Unicode text, so raw invalid byte sequences
 * never reach the intake consumer. What can arrive is (a) a JSON `\uD800`-style escape that decodes to a lone
 * UTF-16 surrogate: not a Unicode scalar value, cannot be encoded as UTF-8 (it would be silently turned
 * into U+FFFD when stored or texted), so it is INVALID and must be rejected naming the field; and (b) U+FFFD
 * left by a producer's bad decode: a valid character we cannot tell from a literal one, so it is ACCEPTED
 * as data. Where bytes do arrive (a base64-encoded HTTP API body), bytes that are not UTF-8 are invalid.
 */

export interface RejectCase {
  name: string;
  /** The message exactly as delivered (SQS body / HTTP body / SNS Message). */
  body: string;
  /** The field the error must name (dotted path; `(body)` for undecodable input, `(message)` for the whole). */
  field: string;
  /** Optional: a fragment the problem text must contain. */
  problem?: string;
}

const written = {
  kind: 'written',
  messageId: 'bad-0000',
  channel: 'web',
  text: 'The street light outside my building has been off for a week.',
  contact: { phone: '+85291234567' },
  smsConsent: true,
  receivedAt: '2026-11-24T09:15:00+08:00',
};
const voicemail = {
  kind: 'voicemail',
  callId: 'call-bad000',
  audio: { bucket: 'local-voicemail', key: 'voicemail/2026/11/24/call-bad000.wav' },
  callerNumber: '+85295556666',
  smsConsent: true,
  receivedAt: '2026-11-24T04:05:30Z',
};

let serial = 0;
/** A written message with a unique id (so every case body is distinct), with fields replaced or removed. */
function w(patch: Record<string, unknown>, remove: string[] = []): string {
  serial += 1;
  const message: Record<string, unknown> = { ...written, messageId: `bad-${String(serial).padStart(4, '0')}`, ...patch };
  for (const key of remove) delete message[key];
  return JSON.stringify(message);
}
function v(patch: Record<string, unknown>, remove: string[] = []): string {
  serial += 1;
  const message: Record<string, unknown> = { ...voicemail, callId: `call-bad${String(serial).padStart(3, '0')}`, ...patch };
  for (const key of remove) delete message[key];
  return JSON.stringify(message);
}

/** Intake queue messages that must go to the intake DLQ with `validationError` naming the field. */
export const REJECTED_INTAKE: RejectCase[] = [
  { name: 'body that is not JSON', body: '{"kind":"written",', field: '(body)', problem: 'is not valid JSON' },
  { name: 'empty body', body: '', field: '(body)' },
  { name: 'JSON null', body: 'null', field: '(message)' },
  { name: 'JSON array', body: '[{"kind":"written"}]', field: '(message)' },
  { name: 'JSON string', body: '"please call me back"', field: '(message)' },
  { name: 'kind missing', body: w({}, ['kind']), field: 'kind' },
  { name: 'unknown kind', body: w({ kind: 'fax' }), field: 'kind' },
  { name: 'kind of the wrong type', body: w({ kind: 1 }), field: 'kind' },
  { name: 'messageId missing', body: w({}, ['messageId']), field: 'messageId' },
  { name: 'messageId with a path', body: w({ messageId: '../../etc/passwd' }), field: 'messageId' },
  { name: 'messageId too short', body: w({ messageId: 'a1' }), field: 'messageId' },
  { name: 'messageId of the wrong type', body: w({ messageId: 123456789 }), field: 'messageId' },
  { name: 'unknown channel', body: w({ channel: 'fax' }), field: 'channel' },
  { name: 'text missing', body: w({}, ['text']), field: 'text' },
  { name: 'text of the wrong type', body: w({ text: 42 }), field: 'text' },
  { name: 'text only whitespace', body: w({ text: ' \n\t ' }), field: 'text', problem: 'must not be empty' },
  { name: 'text over 5000 characters', body: w({ text: 'a'.repeat(5001) }), field: 'text', problem: 'at most 5000' },
  { name: 'oversized payload (200 KB of text)', body: w({ text: '噪音'.repeat(100_000) }), field: 'text' },
  { name: 'text with a lone surrogate (invalid UTF-8 once encoded)', body: w({ text: 'My water pipe \ud800 is leaking badly.' }), field: 'text' },
  { name: 'contact missing', body: w({}, ['contact']), field: 'contact' },
  { name: 'contact with neither phone nor email', body: w({ contact: {} }), field: 'contact', problem: 'phone or an email' },
  { name: 'phone without the plus', body: w({ contact: { phone: '85291234567' } }), field: 'contact.phone', problem: 'E.164' },
  { name: 'local phone number', body: w({ contact: { phone: '91234567' } }), field: 'contact.phone' },
  { name: 'phone with spaces', body: w({ contact: { phone: '+852 9123 4567' } }), field: 'contact.phone' },
  { name: 'phone with a zero country code', body: w({ contact: { phone: '+085291234567' } }), field: 'contact.phone' },
  { name: 'phone too long', body: w({ contact: { phone: '+8529123456789012' } }), field: 'contact.phone' },
  { name: 'phone as a number', body: w({ contact: { phone: 85291234567 } }), field: 'contact.phone' },
  { name: 'phone with letters', body: w({ contact: { phone: '+852CALLME1' } }), field: 'contact.phone' },
  { name: 'email that is not an email', body: w({ contact: { email: 'peter at example' } }), field: 'contact.email' },
  { name: 'extra field in contact', body: w({ contact: { phone: '+85291234567', name: 'Peter' } }), field: 'contact.name', problem: 'is not a known field' },
  { name: 'smsConsent as a string', body: w({ smsConsent: 'yes' }), field: 'smsConsent', problem: 'must be a boolean' },
  { name: 'smsConsent missing', body: w({}, ['smsConsent']), field: 'smsConsent', problem: 'is required' },
  { name: 'receivedAt not a timestamp', body: w({ receivedAt: 'yesterday' }), field: 'receivedAt' },
  { name: 'receivedAt without a time zone', body: w({ receivedAt: '2026-11-24T09:15:00' }), field: 'receivedAt' },
  { name: 'unknown languageHint', body: w({ languageHint: 'fr-FR' }), field: 'languageHint' },
  { name: 'extra top-level field', body: w({ priority: 'urgent' }), field: 'priority', problem: 'is not a known field' },
  { name: '__proto__ key (prototype pollution attempt)', body: w({}).replace('{', '{"__proto__":{"isAdmin":true},'), field: '__proto__', problem: 'is not a known field' },
  { name: 'voicemail without callerNumber', body: v({}, ['callerNumber']), field: 'callerNumber', problem: 'is required' },
  { name: 'voicemail with a short callerNumber', body: v({ callerNumber: '12345' }), field: 'callerNumber' },
  { name: 'voicemail with a bad callId', body: v({ callId: 'call id with spaces' }), field: 'callId' },
  { name: 'voicemail without audio', body: v({}, ['audio']), field: 'audio' },
  { name: 'voicemail with an invalid bucket name', body: v({ audio: { bucket: 'Bad_Bucket', key: 'a.wav' } }), field: 'audio.bucket' },
  { name: 'voicemail with an empty audio key', body: v({ audio: { bucket: 'local-voicemail', key: '' } }), field: 'audio.key' },
  { name: 'voicemail audio with an extra field', body: v({ audio: { bucket: 'local-voicemail', key: 'a.wav', acl: 'public-read' } }), field: 'audio.acl' },
  { name: 'voicemail carrying written text', body: v({ text: 'hello' }), field: 'text', problem: 'is not a known field' },
];

/** EventBridge "Transcribe Job State Change" events that must be refused with a ValidationError naming the field. */
const jobEvent = { source: 'aws.transcribe', 'detail-type': 'Transcribe Job State Change', detail: { TranscriptionJobName: 'enq-ENQ-20261124-AAAAAAAAAAAA', TranscriptionJobStatus: 'COMPLETED' } };
export const REJECTED_TRANSCRIBE_EVENTS: { name: string; event: unknown; field: string }[] = [
  { name: 'detail missing', event: { source: jobEvent.source, 'detail-type': jobEvent['detail-type'] }, field: 'detail' },
  { name: 'detail null', event: { ...jobEvent, detail: null }, field: 'detail' },
  { name: 'job name this system did not start', event: { ...jobEvent, detail: { ...jobEvent.detail, TranscriptionJobName: 'someone-elses-job' } }, field: 'detail.TranscriptionJobName' },
  { name: 'job name of the wrong type', event: { ...jobEvent, detail: { ...jobEvent.detail, TranscriptionJobName: 42 } }, field: 'detail.TranscriptionJobName' },
  { name: 'unknown job status', event: { ...jobEvent, detail: { ...jobEvent.detail, TranscriptionJobStatus: 'IN_PROGRESS' } }, field: 'detail.TranscriptionJobStatus' },
  { name: 'job status missing', event: { ...jobEvent, detail: { TranscriptionJobName: jobEvent.detail.TranscriptionJobName } }, field: 'detail.TranscriptionJobStatus' },
  { name: 'event from another source', event: { ...jobEvent, source: 'aws.s3' }, field: 'source' },
  { name: 'another detail-type', event: { ...jobEvent, 'detail-type': 'Object Created' }, field: 'detail-type' },
  { name: 'event that is not an object', event: 'COMPLETED', field: '(message)' },
];

const longText = (n: number) => 'x'.repeat(n);
/** POST /enquiries/{id}/decision bodies that must be answered 400 naming the field (enquiry id is valid). */
export const REJECTED_DECISIONS: RejectCase[] = [
  { name: 'body that is not JSON', body: '{"action":', field: '(body)' },
  { name: 'empty body', body: '', field: '(body)' },
  { name: 'JSON null', body: 'null', field: '(message)' },
  { name: 'JSON array', body: '[]', field: '(message)' },
  { name: 'unknown action', body: JSON.stringify({ action: 'escalate' }), field: 'action' },
  { name: 'action missing', body: JSON.stringify({ sendSms: false }), field: 'action' },
  { name: 'edit text over 2000 characters', body: JSON.stringify({ action: 'edit', text: longText(2001) }), field: 'text', problem: 'at most 2000' },
  { name: 'edit without text', body: JSON.stringify({ action: 'edit' }), field: 'text' },
  { name: 'text with approve', body: JSON.stringify({ action: 'approve', text: 'changed' }), field: 'text' },
  { name: 'sendSms as a string', body: JSON.stringify({ action: 'approve', sendSms: 'yes' }), field: 'sendSms', problem: 'must be a boolean' },
  { name: 'sendSms as a number', body: JSON.stringify({ action: 'approve', sendSms: 1 }), field: 'sendSms' },
  { name: 'reject without a reason', body: JSON.stringify({ action: 'reject' }), field: 'reason' },
  { name: 'reason over 500 characters', body: JSON.stringify({ action: 'reject', reason: longText(501) }), field: 'reason' },
  { name: 'reject with sendSms', body: JSON.stringify({ action: 'reject', reason: 'dup', sendSms: true }), field: 'sendSms' },
  { name: 'smsText without sendSms', body: JSON.stringify({ action: 'approve', smsText: 'hi' }), field: 'smsText' },
  { name: 'smsText over 1000 characters', body: JSON.stringify({ action: 'approve', sendSms: true, smsText: longText(1001) }), field: 'smsText' },
  { name: 'a task token smuggled in the body', body: JSON.stringify({ action: 'approve', taskToken: 'local:AwaitAgentReview:forged' }), field: 'taskToken', problem: 'is not a known field' },
  { name: 'an agent id smuggled in the body', body: JSON.stringify({ action: 'approve', agentId: 'supervisor-1' }), field: 'agentId', problem: 'is not a known field' },
  // Topic confirmation (the target enquiry is about refuse collection, routed to FEHD only).
  { name: 'unknown topic', body: JSON.stringify({ action: 'approve', topic: 'alien_sighting' }), field: 'topic', problem: 'must be one of' },
  { name: 'topic as a number', body: JSON.stringify({ action: 'approve', topic: 7 }), field: 'topic' },
  { name: 'topic as its display name', body: JSON.stringify({ action: 'approve', topic: 'Street light faults' }), field: 'topic' },
  { name: 'unknown department', body: JSON.stringify({ action: 'approve', department: 'PierD' }), field: 'department', problem: 'must be one of' },
  { name: 'department in lower case', body: JSON.stringify({ action: 'approve', department: 'hyd' }), field: 'department' },
  { name: 'department the topic does not allow', body: JSON.stringify({ action: 'approve', department: 'HyD' }), field: 'department', problem: 'allowed: FEHD' },
  { name: 'department the corrected topic does not allow', body: JSON.stringify({ action: 'edit', text: 'x', topic: 'road_damage', department: 'WSD' }), field: 'department', problem: 'not a department for road_damage' },
  { name: 'alsoInvolves as a string', body: JSON.stringify({ action: 'approve', alsoInvolves: 'TD' }), field: 'alsoInvolves' },
  { name: 'alsoInvolves with an unknown department', body: JSON.stringify({ action: 'approve', alsoInvolves: ['TD', 'PierD'] }), field: 'alsoInvolves.1' },
  { name: 'alsoInvolves listing a department twice', body: JSON.stringify({ action: 'approve', alsoInvolves: ['TD', 'TD'] }), field: 'alsoInvolves', problem: 'twice' },
  { name: 'alsoInvolves with six departments', body: JSON.stringify({ action: 'approve', alsoInvolves: ['TD', 'HKPF', 'DSD', 'LandsD', 'BD', 'EPD'] }), field: 'alsoInvolves', problem: 'at most 5' },
  { name: 'alsoInvolves repeating the department', body: JSON.stringify({ action: 'approve', alsoInvolves: ['FEHD'] }), field: 'alsoInvolves', problem: 'must not repeat' },
  { name: 'draftId that is not a draft id', body: JSON.stringify({ action: 'approve', draftId: 'latest' }), field: 'draftId' },
  { name: 'draftId as a number', body: JSON.stringify({ action: 'approve', draftId: 2 }), field: 'draftId' },
];

/** POST /enquiries/{id}/topic bodies (correct the topic and redraft) that must be answered 400 naming the field. */
export const REJECTED_TOPIC_CORRECTIONS: RejectCase[] = [
  { name: 'body that is not JSON', body: '{"topic":', field: '(body)' },
  { name: 'empty body', body: '', field: '(body)' },
  { name: 'JSON null', body: 'null', field: '(message)' },
  { name: 'topic missing', body: JSON.stringify({ department: 'HyD' }), field: 'topic' },
  { name: 'unknown topic', body: JSON.stringify({ topic: 'alien_sighting' }), field: 'topic' },
  { name: 'topic null', body: JSON.stringify({ topic: null }), field: 'topic' },
  { name: 'unknown department', body: JSON.stringify({ topic: 'road_damage', department: 'PierD' }), field: 'department' },
  { name: 'department the topic does not allow', body: JSON.stringify({ topic: 'road_damage', department: 'FEHD' }), field: 'department', problem: 'allowed: HyD' },
  { name: 'alsoInvolves with an unknown department', body: JSON.stringify({ topic: 'road_damage', alsoInvolves: ['PierD'] }), field: 'alsoInvolves.0' },
  { name: 'alsoInvolves listing a department twice', body: JSON.stringify({ topic: 'road_damage', alsoInvolves: ['TD', 'TD'] }), field: 'alsoInvolves' },
  { name: 'alsoInvolves repeating the department', body: JSON.stringify({ topic: 'road_damage', alsoInvolves: ['HyD'] }), field: 'alsoInvolves' },
  { name: 'draftId that is not a draft id', body: JSON.stringify({ topic: 'road_damage', draftId: 'D0' }), field: 'draftId' },
  { name: 'a decision action in a correction', body: JSON.stringify({ topic: 'road_damage', action: 'approve' }), field: 'action', problem: 'is not a known field' },
  { name: 'a task token smuggled in the body', body: JSON.stringify({ topic: 'road_damage', taskToken: 'local:AwaitAgentReview:forged' }), field: 'taskToken', problem: 'is not a known field' },
  { name: 'draft text smuggled in the body', body: JSON.stringify({ topic: 'road_damage', text: 'Call 1234 5678 now' }), field: 'text', problem: 'is not a known field' },
];

/** Path ids that must be answered 400 naming `id`. */
export const REJECTED_IDS: { name: string; id: string }[] = [
  { name: 'a word', id: 'nope' },
  { name: 'a lower-case id', id: 'enq-20261124-abcdefghjkmn' },
  { name: 'a path traversal', id: '../../admin' },
  { name: 'an injection attempt', id: "ENQ-20261124-AAAAAAAAAAAA' OR '1'='1" },
  { name: 'a 513-character id', id: `ENQ-20261124-${'A'.repeat(500)}` },
];

/** GET /enquiries query strings that must be answered 400 naming the field. */
export const REJECTED_LIST_QUERIES: { name: string; query: Record<string, string>; field: string }[] = [
  { name: 'unknown status', query: { status: 'deleted' }, field: 'status' },
  { name: 'unknown topic', query: { topic: 'alien_sighting' }, field: 'topic' },
  { name: 'unknown language', query: { language: 'fr-FR' }, field: 'language' },
  { name: 'limit zero', query: { limit: '0' }, field: 'limit' },
  { name: 'limit over 100', query: { limit: '1000' }, field: 'limit' },
  { name: 'limit not a number', query: { limit: 'all' }, field: 'limit' },
  { name: 'cursor over 2048 characters', query: { cursor: longText(2049) }, field: 'cursor' },
  { name: 'cursor that is not one we issued', query: { cursor: 'not-a-cursor' }, field: 'cursor' },
  { name: 'unknown query parameter', query: { sort: 'desc' }, field: 'sort' },
];

/** GET /reports/topics query strings (supervisor) that must be answered 400 naming the field. */
export const REJECTED_REPORT_QUERIES: { name: string; query: Record<string, string>; field: string }[] = [
  { name: 'from missing', query: { to: '2026-11-24' }, field: 'from' },
  { name: 'to missing', query: { from: '2026-11-01' }, field: 'to' },
  { name: 'from with slashes', query: { from: '2026/11/01', to: '2026-11-24' }, field: 'from' },
  { name: 'from without zero padding', query: { from: '2026-11-1', to: '2026-11-24' }, field: 'from' },
  { name: 'to with month 13', query: { from: '2026-11-01', to: '2026-13-01' }, field: 'to' },
  { name: 'from on 30 February', query: { from: '2026-02-30', to: '2026-03-10' }, field: 'from' },
  { name: 'to before from', query: { from: '2026-11-24', to: '2026-11-01' }, field: 'to' },
  { name: 'more than 92 days', query: { from: '2026-01-01', to: '2026-04-03' }, field: 'to' },
  { name: 'unknown granularity', query: { from: '2026-11-01', to: '2026-11-24', granularity: 'month' }, field: 'granularity' },
  { name: 'unknown format', query: { from: '2026-11-01', to: '2026-11-24', format: 'pdf' }, field: 'format' },
  { name: 'unknown parameter', query: { from: '2026-11-01', to: '2026-11-24', topic: 'x' }, field: 'topic' },
];

const inbound = { originationNumber: '+85291234567', destinationNumber: '+85250001823', messageBody: 'STOP', inboundMessageId: 'in-0001' };
const without = (key: keyof typeof inbound) => Object.fromEntries(Object.entries(inbound).filter(([k]) => k !== key));
/** Inbound SMS notifications (the SNS Message) that must fail naming the field. */
export const REJECTED_INBOUND_SMS: RejectCase[] = [
  { name: 'originationNumber missing', body: JSON.stringify(without('originationNumber')), field: 'originationNumber' },
  { name: 'originationNumber without the plus', body: JSON.stringify({ ...inbound, originationNumber: '85291234567' }), field: 'originationNumber' },
  { name: 'originationNumber with spaces', body: JSON.stringify({ ...inbound, originationNumber: '+852 9123 4567' }), field: 'originationNumber' },
  { name: 'originationNumber that is a word', body: JSON.stringify({ ...inbound, originationNumber: 'STOP' }), field: 'originationNumber' },
  { name: 'messageBody missing', body: JSON.stringify(without('messageBody')), field: 'messageBody' },
  { name: 'messageBody of the wrong type', body: JSON.stringify({ ...inbound, messageBody: 7 }), field: 'messageBody' },
  { name: 'inboundMessageId missing', body: JSON.stringify(without('inboundMessageId')), field: 'inboundMessageId' },
  { name: 'destinationNumber empty', body: JSON.stringify({ ...inbound, destinationNumber: '' }), field: 'destinationNumber' },
  { name: 'Message that is not JSON', body: 'STOP', field: '(body)' },
];

/** Step payloads the state machine could never send; the handler must refuse them naming the field. */
export const REJECTED_STEP_PAYLOADS: { name: string; step: string; payload: unknown; field: string }[] = [
  { name: 'empty payload', step: 'RedactPersonalData', payload: {}, field: 'enquiryId' },
  { name: 'malformed enquiry id', step: 'ClassifyTopic', payload: { enquiryId: 'ENQ-1', correlationId: 'c-1' }, field: 'enquiryId' },
  { name: 'enquiryId missing', step: 'GroupIncident', payload: { correlationId: 'c-1' }, field: 'enquiryId' },
  { name: 'correlationId missing', step: 'DraftReply', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA' }, field: 'correlationId' },
  { name: 'correlationId over 128 characters', step: 'RedactPersonalData', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', correlationId: longText(129) }, field: 'correlationId' },
  { name: 'taskToken missing', step: 'AwaitAgentReview', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', correlationId: 'c-1' }, field: 'taskToken' },
  { name: 'empty taskToken', step: 'StartTranscription', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', correlationId: 'c-1', taskToken: '' }, field: 'taskToken' },
  { name: 'failure missing', step: 'NeedsManualHandling', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', correlationId: 'c-1' }, field: 'failure' },
  { name: 'failure.Error of the wrong type', step: 'NeedsManualHandling', payload: { enquiryId: 'ENQ-20261124-AAAAAAAAAAAA', correlationId: 'c-1', failure: { Error: 1 } }, field: 'failure.Error' },
  { name: 'enquiryId as a number', step: 'QueueSms', payload: { enquiryId: 20261124, correlationId: 'c-1' }, field: 'enquiryId' },
  { name: 'null payload', step: 'RecordOutcome', payload: null, field: '(message)' },
];

/** sms-outbox messages that must be refused naming the field (and end in the sms-outbox DLQ). */
export const REJECTED_SMS_OUTBOX: { name: string; patch: Record<string, unknown>; field: string }[] = [
  { name: 'local number as destination', patch: { to: '91234567' }, field: 'to' },
  { name: 'decisionId too short', patch: { decisionId: 'd1' }, field: 'decisionId' },
  { name: 'blank text', patch: { text: '   ' }, field: 'text' },
  { name: 'unknown urgency', patch: { urgency: 'asap' }, field: 'urgency' },
];
