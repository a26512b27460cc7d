/**
 * `npm start`: the whole pipeline on this machine. Boots the local stack, feeds the sample events through
 * the real intake path and the synthesized state machine, prints each enquiry's progress and a summary.
 * `--once` exits after the summary (0 when every sample reached its expected status); otherwise it keeps
 * running until Ctrl-C. `--verbose` shows the functions' structured logs.
 */
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: { once: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } },
  allowPositionals: false,
});
// Before the handlers' modules load: Powertools reads its log level once, at import.
process.env.POWERTOOLS_LOG_LEVEL ??= args.verbose ? 'INFO' : 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { startLocalStack } = await import('./stack.ts');
const { loadSamples } = await import('./samples.ts');
const { enquiryIdFor } = await import('../shared/domain/enquiry.ts');
const { IntakeMessageSchema } = await import('../events/intake.ts');

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
const stack = await startLocalStack({
  onStateEntered: (execution, state) => console.log(`${elapsed()}  ${execution.name}  → ${state}`),
});
console.log(`${elapsed()}  ready: DynamoDB API at ${stack.dynamo.endpoint}, state machine with ${Object.keys(stack.definition.States).length} states`);

const samples = loadSamples();
for (const sample of samples) stack.intakeQueue.send(sample.body);
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
const dlq = stack.intakeDlq.peek();
console.log(`\n${samples.length} samples, ${samples.length - unexpected} as expected, ${unexpected} unexpected; intake DLQ holds ${dlq.length}.`);
for (const message of dlq) console.log(`  DLQ: ${message.attributes['validationError']}`);

const shutdown = async (code: number) => {
  await stack.close();
  process.exit(code);
};
if (args.once) {
  await shutdown(unexpected === 0 ? 0 : 1);
} else {
  console.log('\nThe local stack keeps running. Press Ctrl-C to stop.');
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
}
