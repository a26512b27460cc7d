import { createHash } from 'node:crypto';
import type { Enquiry } from '../enquiry.ts';
import type { Language } from '../../vocabulary/languages.ts';
import type { DepartmentId, TopicId } from '../../vocabulary/topics.ts';
import { counterDistrictOf, counterIncrementsFor, type Outcome, type OutcomeEvent, type TopicCounterRow } from './counters.ts';

/**
 * # Counting outcomes exactly once, at a cost that does not grow
 *
 * The first design kept a `seen` set of enquiry ids on the day × topic × department × language item and
 * added to it with the increments in one conditional UpdateItem. DynamoDB bills a write by the size of
 * the whole item, so the n-th outcome of a key cost ~25·n bytes (about 250 write units at n = 10 000) and
 * near n = 16 000 the item passed the 400 KB limit and counting stopped: exactly on surge days.
 *
 * Now each outcome is two small writes in one transaction (TransactWriteItems on AWS):
 *
 * 1. a **counted marker** `COUNTED#<marker id>`, put only if absent (`attribute_not_exists`): the
 *    idempotency key. A retried or duplicated RecordOutcome finds it and the whole transaction is
 *    cancelled, so nothing is added twice; a crash before the transaction commits leaves nothing, so
 *    nothing is lost. The marker holds no personal data: a hash of the enquiry id and its expiry time.
 * 2. an ADD of the increments to a **sharded hour counter**: Hong Kong day × hour × COUNTER_DIMENSIONS ×
 *    shard. Its size is bounded by the number of fields (a few hundred bytes), whatever the count.
 *
 * Both items stay under 1 KB, so every outcome costs the same: 2 items × 1 write unit × 2 (transactional
 * writes cost double) = 4 write units, at the 1st outcome of a key or the 100 000th (`npm run bench --
 * --only counters` measures the bytes). Shards spread a surge over COUNTER_SHARDS items, because two
 * transactions touching one item at the same moment conflict (one is cancelled with TransactionConflict
 * and retried). Reports sum the shards (`aggregateCounters`).
 *
 * Markers expire (DynamoDB TTL) COUNTED_MARKER_RETENTION_DAYS after the enquiry was received: longer than
 * a Standard Step Functions execution can live (one year), so no retry of the workflow that received the
 * enquiry can outlive its marker.
 */

/**
 * Storage shards per hour counter. A typhoon day of 100 000 outcomes of one topic peaks at perhaps 10 a
 * second; over 8 shards each item sees ~1.25 a second, so two transactions rarely meet on one item
 * (each holds it for some milliseconds), and a report reads at most 8 items per busy hour and key.
 */
export const COUNTER_SHARDS = 8;
/** Longer than the 1-year maximum life of a Standard Step Functions execution (see above). */
export const COUNTED_MARKER_RETENTION_DAYS = 400;

const SECONDS_PER_DAY = 86_400;
const OUTCOME_OF_ACTION: Record<string, Outcome> = { approve: 'approved', edit: 'edited', reject: 'rejected' };

/** Everything a store needs to count one enquiry's outcome once. */
export interface CountingPlan {
  /** Idempotency key of the outcome: hex SHA-256 of the enquiry id (128 bits), never the id itself. */
  markerId: string;
  /** Epoch seconds after which the marker may be deleted (DynamoDB TTL). */
  markerExpiresAt: number;
  /** Which of COUNTER_SHARDS items of the hour counter takes the increments (from the same hash). */
  shard: number;
  /** The increments, keyed by day, hour and dimensions. */
  increments: TopicCounterRow;
}

/**
 * What RecordOutcome counts for a finished enquiry, or undefined when it has no countable outcome yet.
 * Reports count the agent-confirmed topic and department; the AI's topic is kept for correction figures.
 */
export function outcomeEventOf(enquiry: Enquiry): OutcomeEvent | undefined {
  const outcome = enquiry.status === 'needs_manual' ? 'needs_manual' : OUTCOME_OF_ACTION[enquiry.decision?.action ?? ''];
  if (!outcome || !enquiry.topic) return undefined;
  const confirmed = enquiry.decision?.topic;
  return {
    enquiryId: enquiry.enquiryId,
    receivedAt: enquiry.receivedAt,
    topic: (confirmed?.topic ?? enquiry.topic.topic) as TopicId,
    department: (confirmed?.department ?? enquiry.topic.department) as DepartmentId,
    language: (enquiry.language ?? enquiry.topic.language) as Language,
    district: counterDistrictOf(enquiry.location),
    outcome,
    degraded: enquiry.degraded ?? false,
    smsSent: enquiry.decision?.sendSms ?? false,
    ...(enquiry.decision ? { decidedAt: enquiry.decision.decidedAt, aiTopic: enquiry.topic.topic as TopicId } : {}),
    ...(confirmed?.crossDepartmental ? { crossDepartmental: true } : {}),
  };
}

/** The marker id and shard of an enquiry: deterministic, so a retry targets the same items. */
export function countedMarkerOf(enquiryId: string): { markerId: string; shard: number } {
  const digest = createHash('sha256').update(`counted-outcome:${enquiryId}`).digest('hex');
  return { markerId: digest.slice(0, 32), shard: Number.parseInt(digest.slice(32, 40), 16) % COUNTER_SHARDS };
}

/** The plan for counting an outcome event (pure). */
export function countingPlanFor(event: OutcomeEvent): CountingPlan {
  const increments = counterIncrementsFor(event);
  const receivedSeconds = Math.floor(Date.parse(event.receivedAt) / 1000);
  return {
    ...countedMarkerOf(event.enquiryId),
    markerExpiresAt: receivedSeconds + COUNTED_MARKER_RETENTION_DAYS * SECONDS_PER_DAY,
    increments,
  };
}
