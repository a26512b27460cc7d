import type { Enquiry } from '../../shared/domain/enquiry.ts';
import { addCounterValuesInto, aggregateCounters, counterKeyFields, counterKeyOf, emptyCounterValues, type TopicCounterRow } from '../../shared/domain/reports/counters.ts';
import { countingPlanFor, outcomeEventOf } from '../../shared/domain/reports/counting.ts';
import type { OutcomeRecorder } from '../../shared/domain/steps/outcome.ts';
import type { CounterSource } from '../../shared/ports/reports.ts';

/**
 * The report counters in process memory, behind the same ports as DynamoOutcomeCounters and following the
 * same plan (shared/domain/reports/counting.ts): a counted marker per enquiry, checked and set together
 * with the ADD to the sharded hour counter. JavaScript runs one `record` body to completion between
 * awaits, and this one has none, so marker and counter change together as a transaction would.
 * For tests and property tests that need tens of thousands of outcomes in seconds, and the bench's
 * baseline; the local stack uses dynalite.
 */
export class InMemoryOutcomeCounters implements OutcomeRecorder, CounterSource {
  /** Marker id → expiry (epoch seconds); holds no enquiry id. */
  private readonly markers = new Map<string, number>();
  /** `counterKeyOf(row)#shard` → the shard's running totals. */
  private readonly shards = new Map<string, TopicCounterRow>();

  async record(enquiry: Enquiry): Promise<{ counted: boolean }> {
    const event = outcomeEventOf(enquiry);
    if (!event) return { counted: false };
    const plan = countingPlanFor(event);
    if (this.markers.has(plan.markerId)) return { counted: false };
    const key = `${counterKeyOf(plan.increments)}#s${plan.shard}`;
    let shard = this.shards.get(key);
    if (!shard) this.shards.set(key, (shard = { ...counterKeyFields(plan.increments), ...emptyCounterValues() }));
    addCounterValuesInto(shard, plan.increments);
    this.markers.set(plan.markerId, plan.markerExpiresAt);
    return { counted: true };
  }

  async rows(from: string, to: string): Promise<TopicCounterRow[]> {
    return aggregateCounters([...this.shards.values()].filter((row) => row.day >= from && row.day <= to));
  }

  /** How many shard items and markers are held (what storage the counting costs). */
  get size(): { shards: number; markers: number } {
    return { shards: this.shards.size, markers: this.markers.size };
  }
}
