/**
 * Report counters: any interleaving of duplicate and retried outcome records counts each enquiry once.
 *
 * Written against the ports only: `OutcomeRecorder.record(enquiry)` (what RecordOutcome calls, however often
 * Step Functions retries it) and `CounterSource.rows(from, to)` (all a report reads). The adapter under test is
 * chosen in `countersOn` below, one line, over a real DynamoDB API (dynalite) where conditional writes are
 * evaluated for real. The expected counts are computed here from the enquiries, not by the adapter's code.
 */
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../../local/dynamo.ts';
import { DynamoOutcomeCounters } from '../../../shared/adapters/aws/dynamo-outcome-counters.ts';
import type { Enquiry } from '../../../shared/domain/enquiry.ts';
import type { EnquiryStatus } from '../../../shared/vocabulary/enquiry-statuses.ts';
import type { OutcomeRecorder } from '../../../shared/domain/steps/outcome.ts';
import type { CounterSource } from '../../../shared/ports/reports.ts';
import { PROPERTY_RUNS, propertyOptions, propertyTimeout } from './runs.ts';

/** The counters adapter behind the two ports (the only line that names an implementation). */
const countersOn = (dynamo: LocalDynamo, table: string): OutcomeRecorder & CounterSource => new DynamoOutcomeCounters(dynamo.client, table);

let dynamo: LocalDynamo;
let counters: OutcomeRecorder & CounterSource;
beforeAll(async () => {
  dynamo = await startLocalDynamo('assist-counters-property');
  counters = countersOn(dynamo, await dynamo.createTable('assist-counters-property-counters'));
});
afterAll(async () => {
  await dynamo?.close();
});

const TOPICS = [
  ['water_seepage', 'FEHD'],
  ['water_seepage', 'BD'],
  ['noise_nuisance', 'EPD'],
  ['blocked_drain_flooding', 'DSD'],
] as const;
const LANGUAGES = ['zh-HK', 'en-US', 'zh-CN'] as const;
const LOCATIONS = ['kwun-tong', 'sha-tin', 'ambiguous', 'unknown', 'absent'] as const;
/** The district a location is counted under, as the brief states it (not the adapter's code): found → id, else unknown. */
const expectedDistrict = (location: Spec['location']) => (location === 'kwun-tong' || location === 'sha-tin' ? location : 'unknown');
function locationOf(location: Spec['location']): Pick<Enquiry, 'location'> {
  if (location === 'absent') return {};
  if (location === 'unknown') return { location: { status: 'unknown' } };
  if (location === 'ambiguous') return { location: { status: 'ambiguous', candidates: ['kwun-tong', 'wong-tai-sin'], place: { en: 'Lung Cheung Road', zh: '龍翔道', kind: 'street' } } };
  return { location: { status: 'found', district: location, place: { en: 'Ngau Tau Kok Road', zh: '牛頭角道', kind: 'street' } } };
}

/** Each generated case gets days of its own, so cases never see each other's rows. */
let nextDay = Date.UTC(2001, 0, 1);
const MS_PER_DAY = 86_400_000;
const hongKongDayOf = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

interface Spec {
  topicIndex: number;
  language: (typeof LANGUAGES)[number];
  action: 'approve' | 'edit' | 'reject' | 'manual';
  /** Hours after the case's first day (HK midnight) the enquiry arrived: several land on the same day and row. */
  hour: number;
  /** The agent corrected the AI's topic to this one (index), or kept it. */
  correctedFrom: number | undefined;
  /** Deliveries of its outcome: 1 is the normal run, more are retries and duplicated deliveries. */
  deliveries: number;
  /** Where it is about: a found district, a place in two districts, none named, or no location at all. */
  location: (typeof LOCATIONS)[number];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  topicIndex: fc.integer({ min: 0, max: TOPICS.length - 1 }),
  language: fc.constantFrom(...LANGUAGES),
  action: fc.constantFrom('approve', 'edit', 'reject', 'manual'),
  hour: fc.integer({ min: 0, max: 47 }),
  correctedFrom: fc.option(fc.integer({ min: 0, max: TOPICS.length - 1 }), { nil: undefined }),
  deliveries: fc.integer({ min: 1, max: 4 }),
  location: fc.constantFrom(...LOCATIONS),
});

/** The statuses an enquiry may have when RecordOutcome (or a retry of it) reads it, for each outcome. */
const STATUSES_SEEN: Record<Spec['action'], EnquiryStatus[]> = {
  approve: ['approved', 'closed', 'sms_queued', 'sms_sent'],
  edit: ['edited', 'closed', 'sms_queued', 'sms_sent'],
  reject: ['rejected', 'closed'],
  manual: ['needs_manual'],
};

function enquiryOf(id: string, item: Spec, firstDay: number, status: EnquiryStatus): Enquiry {
  const receivedAt = new Date(firstDay - 8 * 3_600_000 + item.hour * 3_600_000 + 60_000).toISOString();
  const [topic, department] = TOPICS[item.topicIndex]!;
  const [aiTopic, aiDepartment] = TOPICS[item.correctedFrom ?? item.topicIndex]!;
  const decidedAt = new Date(Date.parse(receivedAt) + 37 * 60_000).toISOString();
  return {
    enquiryId: id,
    sourceId: `src-${id}`,
    channel: 'web',
    status,
    smsConsent: true,
    hasAudio: false,
    receivedAt,
    createdAt: receivedAt,
    updatedAt: decidedAt,
    correlationId: `corr-${id}`,
    language: item.language,
    ...locationOf(item.location),
    topic: { topic: aiTopic, department: aiDepartment, urgency: 'routine', confidence: 0.9, language: item.language, rationale: '', source: 'local' },
    ...(item.action === 'manual'
      ? { manualReason: 'a step failed' }
      : {
          decision: {
            decisionId: `dec-${id}`,
            action: item.action,
            agentId: 'agent-1',
            decidedAt,
            sendSms: item.action !== 'reject',
            editDistance: 0,
            minutesToDecision: 37,
            ...(item.action === 'reject' ? { reason: 'duplicate' } : { finalText: 'reply' }),
            topic: { topic, department, alsoInvolves: [], crossDepartmental: false, aiTopic, aiDepartment, topicCorrected: aiTopic !== topic, departmentChanged: aiDepartment !== department },
          },
        }),
  };
}

const counted = (rows: { received: number; approved: number; edited: number; rejected: number; needsManual: number }[]) =>
  rows.reduce((sum, row) => ({ received: sum.received + row.received, approved: sum.approved + row.approved, edited: sum.edited + row.edited, rejected: sum.rejected + row.rejected, needsManual: sum.needsManual + row.needsManual }), {
    received: 0,
    approved: 0,
    edited: 0,
    rejected: 0,
    needsManual: 0,
  });

// Each case writes to DynamoDB: a smaller default keeps `npm test` fast; PROPERTY_RUNS sets the full size.
const counterOptions = { ...propertyOptions, numRuns: process.env['PROPERTY_RUNS'] ? PROPERTY_RUNS : 25 };

describe('report counters through the OutcomeRecorder and CounterSource ports', () => {
  test.prop(
    [
      fc.array(spec, { minLength: 1, maxLength: 6 }),
      // The order deliveries arrive in, and which of them run at the same time.
      fc.infiniteStream(fc.nat()),
      fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
    ],
    counterOptions,
  )('any interleaving of duplicate and retried outcome records counts each enquiry once', async (specs, order, batchSizes) => {
    const firstDay = nextDay;
    nextDay += 3 * MS_PER_DAY;
    const runId = Math.random().toString(36).slice(2, 10).toUpperCase();
    const ids = specs.map((_, i) => `ENQ-${new Date(firstDay).toISOString().slice(0, 10).replaceAll('-', '')}-${runId}${String(i).padStart(4, '0')}`);

    // Every delivery of every enquiry, as the status it had when that delivery read it; then shuffled.
    const deliveries = specs.flatMap((item, i) => Array.from({ length: item.deliveries }, (_, n) => enquiryOf(ids[i]!, item, firstDay, STATUSES_SEEN[item.action][n % STATUSES_SEEN[item.action].length]!)));
    const iterator = order[Symbol.iterator]();
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = iterator.next().value! % (i + 1);
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    // Run them in batches: each batch concurrently (parallel retries racing), batches one after another.
    const results: boolean[] = [];
    for (let at = 0, b = 0; at < deliveries.length; b++) {
      const size = batchSizes[b % batchSizes.length]!;
      const batch = deliveries.slice(at, at + size);
      at += size;
      results.push(...(await Promise.all(batch.map((enquiry) => counters.record(enquiry)))).map((result) => result.counted));
    }

    // Each enquiry was counted by exactly one of its deliveries.
    expect(results.filter(Boolean)).toHaveLength(specs.length);

    const from = new Date(firstDay).toISOString().slice(0, 10);
    const to = new Date(firstDay + 2 * MS_PER_DAY).toISOString().slice(0, 10);
    const rows = await counters.rows(from, to);
    // Per row key (HK day × agent-confirmed topic × department × language × district), computed from the enquiries here.
    const expected = new Map<string, { received: number; approved: number; edited: number; rejected: number; needsManual: number }>();
    specs.forEach((item, i) => {
      const enquiry = enquiryOf(ids[i]!, item, firstDay, STATUSES_SEEN[item.action][0]!);
      const [topic, department] = item.action === 'manual' ? TOPICS[item.correctedFrom ?? item.topicIndex]! : TOPICS[item.topicIndex]!;
      const key = `${hongKongDayOf(enquiry.receivedAt)}#${topic}#${department}#${item.language}#${expectedDistrict(item.location)}`;
      const row = expected.get(key) ?? { received: 0, approved: 0, edited: 0, rejected: 0, needsManual: 0 };
      row.received++;
      if (item.action === 'approve') row.approved++;
      if (item.action === 'edit') row.edited++;
      if (item.action === 'reject') row.rejected++;
      if (item.action === 'manual') row.needsManual++;
      expected.set(key, row);
    });
    // Rows are per Hong Kong hour (and shard): sum them per day key, as reports do.
    const actual = new Map<string, ReturnType<typeof counted>>();
    for (const row of rows) {
      const key = `${row.day}#${row.topic}#${row.department}#${row.language}#${row.district}`;
      actual.set(key, counted([...(actual.has(key) ? [actual.get(key)!] : []), row]));
    }
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
    expect(counted(rows).received).toBe(specs.length);
    // District-level only: the places named in the enquiries never reach a counter.
    expect(JSON.stringify(rows)).not.toMatch(/牛頭角|龍翔道|Ngau Tau Kok|Lung Cheung/);
  }, Math.max(propertyTimeout, counterOptions.numRuns * 300)); // ~0.1 s a case against dynalite
});
