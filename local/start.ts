/**
 * `npm start`: the whole pipeline on this machine. Boots the local stack, feeds the sample events through
 * the real intake path and the synthesized state machine, prints each enquiry's progress and a summary.
 * `--once` exits after the summary (0 when every sample reached its expected status); otherwise it keeps
 * running until Ctrl-C, serving the review console at http://localhost:3000 (`--port N` or PORT to change).
 * `--verbose` shows the functions' structured logs.
 */
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '3000' },
  },
  allowPositionals: false,
});
// Before the handlers' modules load: Powertools reads its log level once, at import.
process.env.POWERTOOLS_LOG_LEVEL ??= args.verbose ? 'INFO' : 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { startLocalStack } = await import('./stack.ts');
const { loadSamples, restampSamples } = await import('./samples.ts');
const { enquiryIdFor } = await import('../shared/domain/enquiry.ts');
const { IntakeMessageSchema } = await import('../events/intake-message.ts');
const { seedDemoHistory } = await import('./demo-history.ts');
const { demoBurstMessages } = await import('./demo-incident.ts');
const { DISTRICTS } = await import('../shared/vocabulary/districts.ts');
const { publishTopicReport, scheduledPeriod } = await import('../shared/domain/reports/produce-report.ts');
const { FileReportStore, InMemorySpikeNotifier } = await import('./stand-ins/local-report-outputs.ts');
const { topicNamesFrom } = await import('../shared/adapters/in-process/knowledge-views.ts');
const { districtLabel, spikeSubject } = await import('../shared/domain/reports/spike-text.ts');
const { FileKnowledgeBase } = await import('../shared/adapters/in-process/file-knowledge-base.ts');
const { startConsoleServer } = await import('./server.ts');
const { KNOWLEDGE_DIR, REPO_ROOT } = await import('./paths.ts');
const { join } = await import('node:path');
const { mkdirSync, rmSync } = await import('node:fs');

async function waitUntilParked(enquiryIds: string[], timeoutMs = 60_000): Promise<void> {
  const parked = new Set(['awaiting_review', 'needs_manual', 'closed', 'sms_sent', 'sms_failed']);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const statuses = await Promise.all(enquiryIds.map(async (id) => (await stack.store.get(id))?.status));
    const running = stack.runtime.allExecutions().filter((e) => e.status === 'RUNNING').length;
    if (statuses.every((s) => s && parked.has(s)) || running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`.padStart(6);
console.log('1823 Assist: starting the local stack (dynalite, synthesized EnquiryWorkflow, local adapters)…');
// A fresh local store every run (the report CLI reads it afterwards): re-running never meets stale enquiries.
const dataDir = join(REPO_ROOT, '.local-data', 'dynamo');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
// Models retrained from agents' corrections (`npm run assist -- retrain`) live next to it; the promoted one classifies.
const { FileTopicModelStore } = await import('./stand-ins/file-retraining-stores.ts');
// The local stand-in of the KMS HMAC key: kept beside the store so `npm run assist -- privacy …` finds the same hashes.
const { LocalCallerHasher, LOCAL_CALLER_HASH_KEY_FILE } = await import('./stand-ins/local-caller-hasher.ts');
const stack = await startLocalStack({
  dataDir,
  callerHasher: LocalCallerHasher.fromFile(join(REPO_ROOT, LOCAL_CALLER_HASH_KEY_FILE)),
  topicModels: new FileTopicModelStore(join(REPO_ROOT, '.local-data')),
  onStateEntered: (execution, state) => console.log(`${elapsed()}  ${execution.name}  → ${state}`),
});
console.log(`${elapsed()}  ready: DynamoDB API at ${stack.dynamo.endpoint}, state machine with ${Object.keys(stack.definition.States).length} states`);

// Received over the last hours rather than on the files' fixed dates, so the console shows today's work.
const samples = restampSamples(loadSamples(), new Date());
for (const sample of samples) stack.intakeQueue.send(sample.body);
// Plus a SYNTHETIC burst (several callers, one burst main on Kwun Tong Road) so an incident shows.
for (const body of demoBurstMessages(new Date())) stack.intakeQueue.send(body);
await stack.processIntake();
// Each execution runs until it parks for an agent's review (or is handed to agents by hand).
await waitUntilParked(stack.runtime.allExecutions().map((e) => e.name));

console.log('\nSummary');
let unexpected = 0;
for (const sample of samples) {
  const enquiryId = enquiryIdFor(IntakeMessageSchema.parse(JSON.parse(sample.body)));
  const enquiry = await stack.store.get(enquiryId);
  const status = enquiry?.status ?? 'missing';
  const ok = status === sample.expectedStatus;
  if (!ok) unexpected += 1;
  const topic = enquiry?.topic ? `${enquiry.topic.topic} (${enquiry.topic.confidence.toFixed(2)})` : '';
  console.log(
    `${ok ? '✔' : '✘'} ${sample.file.padEnd(34)} ${enquiryId}  ${(enquiry?.language ?? '').padEnd(5)}  ${status.padEnd(12)}  ${topic}${enquiry?.manualReason ?? ''}`,
  );
}
// Incidents: reports of one topic at one place within 6 hours (the synthetic burst, and any sample that joins it).
const { openIncidentsAt } = await import('../shared/domain/incidents/report.ts');
const incidentsNow = await openIncidentsAt(stack.incidents, new Date());
console.log(`\nOpen incidents: ${incidentsNow.incidents.length === 0 ? 'none (enquiries are grouped once classification finds one district and a named place)' : ''}`);
for (const incident of incidentsNow.incidents) {
  console.log(`  ${incident.topic.padEnd(20)} ${incident.place.en} (${DISTRICTS[incident.district].en})  ${incident.reports} reports`);
}
const dlq = stack.intakeDlq.peek();
console.log(`\n${samples.length} samples, ${samples.length - unexpected} as expected, ${unexpected} unexpected; intake DLQ holds ${dlq.length}.`);
for (const message of dlq) console.log(`  DLQ: ${message.attributes['validationError']}`);

// Supervisors' view: today's daily report (yesterday's enquiries) over 60 days of seeded synthetic history.
const history = await seedDemoHistory({ client: stack.dynamo.client, tableName: stack.countersTableName }, new Date());
const reportsDir = join(REPO_ROOT, '.local-data');
const spikes = new InMemorySpikeNotifier();
const topicNames = topicNamesFrom(await FileKnowledgeBase.load(KNOWLEDGE_DIR));
const daily = await publishTopicReport(scheduledPeriod('daily', new Date()), {
  counters: stack.counters,
  store: new FileReportStore(reportsDir),
  notifier: spikes,
  clock: { now: () => new Date() },
  topicNames,
  incidents: stack.incidents,
});
const { report } = daily;
console.log(`\nToday's topic report (${report.period.from}, SYNTHETIC history ${history.from}..${history.to} plus local outcomes)`);
console.log(`  ${report.totals.count} enquiries (${report.totals.changePct === null ? 'n/a' : `${report.totals.changePct > 0 ? '+' : ''}${report.totals.changePct.toFixed(0)}%`} vs previous day)`);
for (const row of report.byTopic.slice(0, 5)) console.log(`  ${row.topic.padEnd(28)} ${String(row.count).padStart(5)}  (prev ${row.previousCount})`);
for (const spike of report.spikes) {
  console.log(`  SPIKE ${spike.topic}: ${spike.count} vs ${spike.expected.toFixed(1)} expected, p=${spike.pValue.toExponential(1)}`);
}
const busiestDistricts = report.districts.byDistrict.filter((row) => row.district !== 'unknown').sort((a, b) => b.count - a.count).slice(0, 3);
console.log(
  `  by district: ${busiestDistricts.map((row) => `${districtLabel(row.district)} ${row.count}`).join(', ')}; ` +
    `${((report.districts.locatedShare ?? 0) * 100).toFixed(0)}% with a known district`,
);
for (const spike of report.districtSpikes) {
  console.log(`  DISTRICT SPIKE ${spikeSubject(spike, topicNames)}: ${spike.count} vs ${spike.expected.toFixed(1)} expected, p=${spike.pValue.toExponential(1)}`);
}
const { corrections } = report;
if (corrections.decided > 0) {
  const top = corrections.topConfusions[0];
  console.log(
    `  agents corrected the AI topic of ${corrections.corrected} of ${corrections.decided} decided (${((corrections.correctionRate ?? 0) * 100).toFixed(1)}%)` +
      (top ? `; most often ${top.aiTopic} → ${top.agentTopic} (${top.count})` : ''),
  );
}
console.log(`  files: ${daily.keys.map((key) => join('.local-data', key)).join(', ')}`);

let server: Awaited<ReturnType<typeof startConsoleServer>> | undefined;
const shutdown = async (code: number) => {
  await server?.close();
  await stack.close();
  process.exit(code);
};
if (args.once) {
  await shutdown(unexpected === 0 ? 0 : 1);
} else {
  server = await startConsoleServer({ stack, port: Number(args.port) });
  console.log(`\nReview console: ${server.url}  (dev sign-in as an agent or a supervisor)`);
  console.log('The local stack keeps running. Press Ctrl-C to stop.');
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
}
