import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Clock } from '#ports/clock.ts';
import type { EnquiryStore } from '#ports/enquiry-store.ts';
import { logger, metrics } from '#powertools';

/** Page size for counting the manual queue; the count is capped so a huge backlog cannot slow the monitor. */
const MAX_COUNTED = 1000;

/**
 * Every few minutes: how old is the oldest draft waiting for an agent, and how many enquiries wait for
 * manual handling. CloudWatch alarms on both (README: Operations).
 */
export async function handleBacklogMonitor(deps: { store: EnquiryStore; clock: Clock }) {
  const now = deps.clock.now().getTime();
  const oldest = (await deps.store.listByStatus('awaiting_review', { limit: 1 })).items[0];
  const oldestMinutes = oldest ? Math.max(0, Math.round((now - Date.parse(oldest.receivedAt)) / 60_000)) : 0;
  let needsManual = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listByStatus('needs_manual', { limit: 100, ...(cursor ? { cursor } : {}) });
    needsManual += page.items.length;
    cursor = page.cursor;
  } while (cursor && needsManual < MAX_COUNTED);
  metrics.addMetric('OldestAwaitingReviewMinutes', MetricUnit.Count, oldestMinutes);
  metrics.addMetric('NeedsManualBacklog', MetricUnit.Count, needsManual);
  logger.info('review backlog measured', { oldestMinutes, needsManual });
  return { oldestMinutes, needsManual };
}
