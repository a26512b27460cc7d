/**
 * Every message crossing a boundary, generated near-valid (a real sample with one to three fields removed,
 * replaced by hostile values, nudged, or joined by unknown fields) and hostile (anything at all, raw bodies):
 * the boundary either accepts it or raises the project's ValidationError whose problems each name a field,
 * never any other error. Written against the boundary functions and the project's parse helpers, not zod's
 * API, so it holds whichever zod flavour the schemas use.
 */
import { fc, test } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import * as zm from 'zod/mini';
import { IntakeMessageSchema } from '../../../events/intake-message.ts';
import { ApplyIncidentReplyRequestSchema, ListIncidentsQuerySchema } from '../../../events/incidents.ts';
import { ReportQuerySchema, ScheduledReportEventSchema } from '../../../events/reports.ts';
import { RetrainEventSchema } from '../../../events/retrain.ts';
import { DecisionRequestSchema, ListEnquiriesQuerySchema, TopicCorrectionRequestSchema } from '../../../events/review-api.ts';
import { TranscribeJobStateChangeSchema, TranscribeOutputSchema } from '../../../events/transcribe.ts';
import { CallbackStepInputSchema, NeedsManualInputSchema, StepInputSchema } from '../../../events/workflow.ts';
import { newEnquiryFrom } from '../../../shared/domain/enquiry.ts';
import { ValidationError } from '../../../shared/domain/errors.ts';
import { SmsOutboxMessageSchema } from '../../../shared/domain/sms/message.ts';
import { handleInboundSms } from '../../../shared/domain/sms/send.ts';
import { parseJsonOrThrow, parseOrThrow } from '../../../shared/domain/validation.ts';
import type { OptOutRegistry } from '../../../shared/ports/sms.ts';
import { propertyOptions, propertyTimeout } from './runs.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const sample = (path: string): Record<string, unknown> => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An opt-out registry in memory: the port's behaviour, for the inbound SMS boundary. */
class MemoryOptOuts implements OptOutRegistry {
  readonly opted = new Map<string, string>();
  isOptedOut(number: string) {
    return Promise.resolve(this.opted.has(number));
  }
  optOut(number: string, at: string) {
    this.opted.set(number, at);
    return Promise.resolve();
  }
  optIn(number: string) {
    this.opted.delete(number);
    return Promise.resolve();
  }
}
const clock = { now: () => new Date('2026-11-24T09:00:00Z') };

interface Boundary {
  name: string;
  /** Real valid messages of this boundary. */
  seeds: Record<string, unknown>[];
  /** True when the message travels as JSON text (queue body, HTTP body, SNS message). */
  json: boolean;
  /** The boundary itself: resolves when accepted, throws when refused. */
  accept(input: unknown): unknown;
}

const enquiryId = 'ENQ-20261124-ABCDEFGHJKMN';
const step = { enquiryId, correlationId: 'corr-7f3a' };

const BOUNDARIES: Boundary[] = [
  {
    name: 'intake queue message',
    seeds: ['written-en-noise', 'written-zhhk-housing', 'voicemail-en-hkid', 'voicemail-zhhk-water-burst'].map((name) => sample(`events/samples/${name}.json`)),
    json: true,
    // What the intake consumer does: parse, then build the enquiry from what it accepted.
    accept: (body) => newEnquiryFrom(parseJsonOrThrow(IntakeMessageSchema, body as string), clock.now().toISOString(), 'corr-1'),
  },
  { name: 'Transcribe job state change (EventBridge)', seeds: [sample('events/aws/eventbridge-transcribe-job-state-change.json')], json: false, accept: (event) => parseOrThrow(TranscribeJobStateChangeSchema, event) },
  { name: 'Transcribe output document', seeds: [sample('events/aws/transcribe-output.zh-HK.json')], json: true, accept: (body) => parseJsonOrThrow(TranscribeOutputSchema, body as string) },
  { name: 'step payload', seeds: [step], json: false, accept: (event) => parseOrThrow(StepInputSchema, event) },
  { name: 'callback step payload', seeds: [{ ...step, taskToken: 'AQCEAAAAKgAAAAMAAAAA' }], json: false, accept: (event) => parseOrThrow(CallbackStepInputSchema, event) },
  { name: 'needs-manual payload', seeds: [{ ...step, failure: { Error: 'States.Timeout', Cause: 'review timed out' } }], json: false, accept: (event) => parseOrThrow(NeedsManualInputSchema, event) },
  {
    name: 'POST /enquiries/{id}/decision body',
    seeds: [
      { action: 'approve', sendSms: true, draftId: 'D2' },
      { action: 'edit', text: '多謝你的查詢，食環署會派員跟進。', sendSms: true, smsText: '食環署會跟進。', topic: 'water_seepage', department: 'BD', alsoInvolves: ['FEHD'] },
      { action: 'reject', reason: 'duplicate of an earlier enquiry' },
    ],
    json: true,
    accept: (body) => parseJsonOrThrow(DecisionRequestSchema, body as string),
  },
  { name: 'POST /enquiries/{id}/topic body', seeds: [{ topic: 'water_seepage', department: 'BD', alsoInvolves: ['FEHD'], draftId: 'D1' }], json: true, accept: (body) => parseJsonOrThrow(TopicCorrectionRequestSchema, body as string) },
  { name: 'GET /incidents query', seeds: [{ status: 'open', limit: '20' }], json: false, accept: (query) => parseOrThrow(ListIncidentsQuerySchema, query) },
  { name: 'POST /incidents/{id}/apply body', seeds: [{ sourceEnquiryId: enquiryId }], json: true, accept: (body) => parseJsonOrThrow(ApplyIncidentReplyRequestSchema, body as string) },
  { name: 'GET /enquiries query', seeds: [{ status: 'awaiting_review', topic: 'water_seepage', language: 'zh-HK', limit: '50', cursor: 'eyJwayI6IkVOUSJ9' }], json: false, accept: (query) => parseOrThrow(ListEnquiriesQuerySchema, query) },
  { name: 'enquiry id path parameter', seeds: [{ id: enquiryId }], json: false, accept: (path) => parseOrThrow(zm.pick(StepInputSchema, { enquiryId: true }), { enquiryId: (path as { id?: unknown } | null)?.id }) },
  { name: 'GET /reports/topics query', seeds: [{ from: '2026-11-01', to: '2026-11-24', granularity: 'week', format: 'csv' }], json: false, accept: (query) => parseOrThrow(ReportQuerySchema, query) },
  { name: 'scheduled report event', seeds: [{ schedule: 'daily' }], json: false, accept: (event) => parseOrThrow(ScheduledReportEventSchema, event) },
  { name: 'retrain event', seeds: [{ schedule: 'weekly', since: '2026-11-01T00:00:00+08:00', dryRun: true }], json: false, accept: (event) => parseOrThrow(RetrainEventSchema, event) },
  {
    name: 'inbound SMS (SNS message)',
    seeds: [{ originationNumber: '+85291234567', destinationNumber: '+85230001823', messageBody: 'STOP', inboundMessageId: 'a1b2c3', messageKeyword: 'STOP', previousPublishedMessageId: 'p9' }],
    json: true,
    // As functions/sms-inbound does: the SNS Message decoded as JSON, then the domain's inbound handling.
    accept: (body) => handleInboundSms(parseJsonOrThrow(z.unknown(), body as string), { optOuts: new MemoryOptOuts(), clock }),
  },
  {
    name: 'SMS outbox message',
    seeds: [{ enquiryId, decisionId: '5f0c6d0e-8a0b-4f7e', correlationId: 'corr-7f3a', to: '+85291234567', text: 'Your enquiry has been passed to the Buildings Department. 已轉介屋宇署。', urgency: 'routine', language: 'zh-HK' }],
    json: true,
    accept: (body) => parseJsonOrThrow(SmsOutboxMessageSchema, body as string),
  },
];

// ---------------------------------------------------------------------------------------------------
// Generators

/** Values that break naive code: wrong types, empty and huge strings, lone surrogates, prototype names. */
const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1e308, -0, '', ' ', '\u0000', '\uFEFF', '\uD800', '\uDFFF', 'NaN', 'null', '__proto__', 'constructor', 'toString', '😀', '<script>', "' OR 1=1 --", [], {}, [null], { __proto__: null } as unknown as Json),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 2_000, maxLength: 6_000 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);
/** Beyond JSON, for payloads handed over as objects (step inputs, EventBridge events, query maps). */
const hostileAnything = fc.oneof(
  hostileJson as fc.Arbitrary<unknown>,
  fc.constantFrom<unknown>(undefined, Number.NaN, Number.POSITIVE_INFINITY, Symbol('s'), () => 1, new Date(Number.NaN), new Map(), new Set([1])),
  fc.bigInt(),
  fc.anything({ maxDepth: 2, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withTypedArray: true, withSparseArray: true }),
);

type Mutation = { at: number; kind: 'replace' | 'delete' | 'addKey' | 'nudge'; value: unknown; key: string; text: string };

const mutation = (values: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom('replace', 'delete', 'addKey', 'nudge'),
    value: values,
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra', 'Kind', ''), fc.string({ maxLength: 8 })),
    text: fc.oneof(fc.constantFrom(' ', '\u0000', '\uD800', '😀', '\n', '9', 'A', '0'), fc.string({ unit: 'grapheme', maxLength: 4 })),
  });

/** Every (container, key) pair in a value, depth first: where a mutation can land. */
function slots(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  const found: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        found.push([node, index]);
        visit(child);
      });
    } else if (isPlainObject(node)) {
      // Only into plain objects: typed arrays, boxed strings, maps and dates are leaves here.
      for (const key of Object.keys(node)) {
        found.push([node, key]);
        visit(node[key]);
      }
    }
  };
  visit(value);
  return found;
}

/** Own property even for "__proto__", as JSON.parse makes it. */
const define = (target: object, key: string | number, value: unknown) => Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });

function applyMutation(root: Record<string, unknown>, change: Mutation): void {
  const all = slots(root);
  if (all.length === 0) return void define(root, change.key, change.value);
  const [container, key] = all[change.at % all.length]!;
  const current = (container as Record<string | number, unknown>)[key];
  switch (change.kind) {
    case 'replace':
      return void define(container, key, change.value);
    case 'delete':
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key as string];
      return;
    case 'addKey': {
      const target = isPlainObject(current) ? current : Array.isArray(container) ? root : container;
      return void define(target, change.key, change.value);
    }
    case 'nudge':
      // A near miss: a character added, the last one dropped, a digit more, a sign flipped.
      if (typeof current === 'string') return void define(container, key, change.at % 2 === 0 ? current + change.text : current.slice(0, -1));
      if (typeof current === 'number') return void define(container, key, change.at % 2 === 0 ? current + 1 : -current);
      if (typeof current === 'boolean') return void define(container, key, String(current));
      return void define(container, key, change.value);
  }
}

function copyOf(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value; // functions and symbols: nothing in them to mutate
  }
}

const nearValid = (boundary: Boundary) =>
  fc.tuple(fc.constantFrom(...boundary.seeds), fc.array(mutation(boundary.json ? hostileJson : hostileAnything), { minLength: 1, maxLength: 3 })).map(([seed, changes]) => {
    const message = structuredClone(seed);
    // Generated values are fast-check's (shared, replayed when shrinking): mutate copies, never them.
    for (const change of changes) applyMutation(message, { ...change, value: copyOf(change.value) });
    return message;
  });

/** Raw bodies for JSON boundaries: not JSON, truncated JSON, JSON of the wrong shape. */
const rawBody = (boundary: Boundary) =>
  fc.oneof(
    fc.string(),
    fc.constantFrom('', 'null', '[]', '"text"', '{', '{"a":1,}', '\uFEFF{}', '{"__proto__":{"polluted":1}}', 'NaN', '1e999'),
    fc.tuple(fc.constantFrom(...boundary.seeds), fc.nat()).map(([seed, cut]) => {
      const text = JSON.stringify(seed);
      return text.slice(0, cut % text.length);
    }),
  );

// ---------------------------------------------------------------------------------------------------
// The property

const asDelivered = (boundary: Boundary, message: unknown) => (boundary.json ? JSON.stringify(message) : message);

/** Accepted, or a ValidationError whose every problem names a field; anything else fails the property. */
async function acceptsOrNamesAField(boundary: Boundary, input: unknown): Promise<'accepted' | 'refused'> {
  try {
    await boundary.accept(input);
    return 'accepted';
  } catch (error) {
    expect(error, `${boundary.name} threw something other than ValidationError: ${String(error)}`).toBeInstanceOf(ValidationError);
    const { problems } = error as ValidationError;
    expect(problems.length).toBeGreaterThan(0);
    for (const { field, problem } of problems) {
      expect(field).toMatch(/\S/);
      expect(problem).toMatch(/\S/);
    }
    // A message that is an object gets its problems on named fields, not on the message as a whole.
    const message: unknown = boundary.json && typeof input === 'string' ? safeJson(input) : input;
    if (isPlainObject(message)) expect(problems.map((p) => p.field).filter((field) => field === '(message)' || field === '(body)')).toEqual([]);
    return 'refused';
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => Object.prototype.toString.call(value) === '[object Object]';
function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

describe.each(BOUNDARIES)('$name', (boundary) => {
  test('every seed is accepted (so the near-valid inputs are one mutation away from valid)', async () => {
    for (const seed of boundary.seeds) expect(await acceptsOrNamesAField(boundary, asDelivered(boundary, seed))).toBe('accepted');
  });

  test.prop([nearValid(boundary)], propertyOptions)('near-valid input: accepted, or a ValidationError naming the field', async (message) => {
    await acceptsOrNamesAField(boundary, asDelivered(boundary, message));
  }, propertyTimeout);

  test.prop([boundary.json ? rawBody(boundary) : hostileAnything], propertyOptions)('hostile input: accepted, or a ValidationError naming the field', async (input) => {
    await acceptsOrNamesAField(boundary, input);
  }, propertyTimeout);
});
