/**
 * Incident grouping at 1 000, 10 000 and 100 000 enquiries a day, through the real adapter
 * (DynamoIncidentStore on dynalite, TransactWriteItems from local/dynamo-transactions.ts). What it shows:
 * the DynamoDB requests and the time per enquiry do not grow with the day's volume, because a report reads
 * two keyed items (its key's bucket and the previous one) and writes one small transaction (and, joining an
 * incident, moves its last report forward with one UpdateItem), whatever else the table holds. Requests are counted at the SDK (the client the adapter sends through); the local
 * transaction emulation's own reads and writes are not DynamoDB requests and are left out.
 *
 * The day: enquiries spread over 24 hours; 60% have a found district and place (the rest are not grouped
 * and cost nothing); their keys are drawn from 2 000 topic × place keys with a Zipf-like skew (a few busy
 * places, many quiet ones), plus one burst of 50 reports of one key within an hour.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { startLocalDynamo } from '../local/dynamo.ts';
import { DynamoIncidentStore } from '../shared/adapters/aws/dynamo-incident-store.ts';
import type { IncidentKey } from '../shared/domain/incidents/incident.ts';
import { seededRandom } from '../shared/domain/random.ts';
import { DISTRICT_IDS } from '../shared/vocabulary/districts.ts';
import { round, sig, timed, type BenchOptions, type Scale, type Table } from './lib.ts';

const SIZES: Record<Scale, number[]> = { tiny: [300], quick: [1_000, 10_000], full: [1_000, 10_000, 100_000] };
/** Groupings in flight at once (GroupIncident Lambdas in a busy hour). */
const CONCURRENCY = 16;
const KEYS = 2_000;
const LOCATED_SHARE = 0.6;
const DAY_START = Date.parse('2026-11-24T00:00:00+08:00');
const TOPICS = ['water_main_burst', 'road_damage', 'blocked_drain_flooding', 'street_light_fault', 'traffic_signal_fault', 'tree_risk', 'street_cleanliness', 'refuse_collection'];

export interface GroupingPoint {
  enquiriesPerDay: number;
  grouped: number;
  incidents: number;
  largestIncident: number;
  /** DynamoDB requests per grouped enquiry, as the adapter sent them. */
  getItemPerEnquiry: number;
  transactionsPerEnquiry: number;
  transactionItemsPerEnquiry: number;
  /** Single-item writes outside the transaction (moving an incident's last report forward). */
  updateItemPerEnquiry: number;
  /** Read units (strongly consistent GetItem of an item under 4 KB: 1) and write units (2 per transactional item under 1 KB). */
  readUnitsPerEnquiry: number;
  writeUnitsPerEnquiry: number;
  microsecondsPerEnquiry: number;
  seconds: number;
}

function keyOf(index: number): IncidentKey {
  return {
    topic: TOPICS[index % TOPICS.length]!,
    district: DISTRICT_IDS[index % DISTRICT_IDS.length]!,
    place: { en: `Bench Street ${index}`, zh: `測試街${index}`, kind: 'street' },
  };
}

/** The day's located reports: key index and time, in arrival order. */
function dayOf(enquiries: number, seed: number): { enquiryId: string; receivedAt: string; key: IncidentKey }[] {
  const random = seededRandom(seed);
  const located = Math.round(enquiries * LOCATED_SHARE);
  const reports = Array.from({ length: located }, (_, n) => {
    // Zipf-like: index ~ KEYS^u, so low indexes (busy places) come up far more often.
    const index = Math.min(KEYS - 1, Math.floor(Math.pow(KEYS, random())) - 1);
    return { n, index, at: DAY_START + Math.floor(random() * 86_400_000) };
  });
  // One burst: 50 reports of key 0 within an hour from 14:00.
  for (let i = 0; i < Math.min(50, reports.length); i += 1) {
    reports[i] = { n: i, index: 0, at: DAY_START + 14 * 3_600_000 + Math.floor(random() * 3_600_000) };
  }
  reports.sort((a, b) => a.at - b.at);
  return reports.map((r) => ({
    enquiryId: `ENQ-20261124-${r.n.toString(32).toUpperCase().padStart(12, '0')}`,
    receivedAt: new Date(r.at).toISOString(),
    key: keyOf(r.index),
  }));
}

async function measure(enquiriesPerDay: number): Promise<GroupingPoint> {
  const dynamo = await startLocalDynamo(`grouping-bench-${enquiriesPerDay}`);
  try {
    const counts = { get: 0, transactions: 0, items: 0, updates: 0, other: 0 };
    const inTransaction = new AsyncLocalStorage<boolean>();
    // Counted before the local transaction emulation (build step): only what the adapter sends.
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (inTransaction.getStore()) return next(args);
        if (context.commandName === 'GetItemCommand') counts.get += 1;
        else if (context.commandName === 'UpdateItemCommand' || context.commandName === 'PutItemCommand') counts.updates += 1;
        else if (context.commandName !== 'TransactWriteItemsCommand') counts.other += 1;
        if (context.commandName === 'TransactWriteItemsCommand') {
          counts.transactions += 1;
          counts.items += ((args.input as { TransactItems?: unknown[] }).TransactItems ?? []).length;
          return inTransaction.run(true, () => next(args));
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    const store = new DynamoIncidentStore(dynamo.client, dynamo.tableName);
    const reports = dayOf(enquiriesPerDay, enquiriesPerDay);
    const incidents = new Map<string, number>();
    const queue = [...reports];
    const run = await timed(() =>
      Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let report = queue.shift(); report; report = queue.shift()) {
            const result = await store.group(report);
            incidents.set(result.incidentId, (incidents.get(result.incidentId) ?? 0) + 1);
          }
        }),
      ),
    );
    const grouped = reports.length;
    if (counts.other > 0) throw new Error(`grouping sent ${counts.other} requests other than GetItem, PutItem, UpdateItem and TransactWriteItems`);
    return {
      enquiriesPerDay,
      grouped,
      incidents: incidents.size,
      largestIncident: Math.max(...incidents.values()),
      getItemPerEnquiry: sig(counts.get / grouped, 3),
      transactionsPerEnquiry: sig(counts.transactions / grouped, 3),
      transactionItemsPerEnquiry: sig(counts.items / grouped, 3),
      updateItemPerEnquiry: sig(counts.updates / grouped, 3),
      readUnitsPerEnquiry: sig(counts.get / grouped, 3),
      writeUnitsPerEnquiry: sig((2 * counts.items + counts.updates) / grouped, 3),
      microsecondsPerEnquiry: round((1000 * run.ms) / grouped, 0),
      seconds: round(run.ms / 1000, 1),
    };
  } finally {
    await dynamo.close();
  }
}

export async function benchGrouping(options: BenchOptions): Promise<{ tables: Table[]; data: { points: GroupingPoint[]; concurrency: number; keys: number } }> {
  const points: GroupingPoint[] = [];
  for (const size of SIZES[options.scale]) {
    process.stderr.write(`  grouping ${size.toLocaleString('en')} enquiries a day…\n`);
    points.push(await measure(size));
  }
  return {
    tables: [
      {
        title: 'Incident grouping: cost per grouped enquiry by daily volume (DynamoIncidentStore on dynalite)',
        columns: ['enquiries / day', 'grouped', 'incidents', 'largest', 'GetItem / enq', 'transactions / enq', 'items / enq', 'UpdateItem / enq', 'RCU / enq', 'WCU / enq', 'µs / enq (local)', 'seconds'],
        rows: points.map((p) => [
          p.enquiriesPerDay.toLocaleString('en'),
          p.grouped.toLocaleString('en'),
          p.incidents.toLocaleString('en'),
          p.largestIncident,
          p.getItemPerEnquiry,
          p.transactionsPerEnquiry,
          p.transactionItemsPerEnquiry,
          p.updateItemPerEnquiry,
          p.readUnitsPerEnquiry,
          p.writeUnitsPerEnquiry,
          p.microsecondsPerEnquiry,
          p.seconds,
        ]),
        notes: [
          `${CONCURRENCY} groupings in flight; ${LOCATED_SHARE * 100}% of enquiries located (only those are grouped); ${KEYS} topic × place keys, Zipf-like; one burst of 50 reports in an hour`,
          'requests as the adapter sends them: 2 GetItem + 1 TransactWriteItems of 3–4 items + 1 UpdateItem on a join; a third GetItem for the first report of a bucket; more only when a race makes it read again',
          'units: 1 RCU per strongly consistent GetItem (items < 4 KB), 2 WCU per transactional item and 1 per UpdateItem (items < 1 KB); µs: local dynalite wall time / grouped enquiry on a shared, loaded machine',
        ],
      },
    ],
    data: { points, concurrency: CONCURRENCY, keys: KEYS },
  };
}
