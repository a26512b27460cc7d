/**
 * US$ per enquiry, itemised, for a written enquiry and a 60-second voicemail. Token counts come from the
 * prompts the code really builds for the sample enquiries (redacted, classified, grounded); Lambda time
 * from the measured local step durations; Step Functions transitions from the synthesized definition's
 * path. Prices are configuration (bench/prices.json), list prices that must be checked before quoting.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { z } from 'zod';
import { MB_PER_VCPU, memoryFor } from '../cdk/lib/function-sizing.ts';
import { KNOWLEDGE_DIR, SAMPLES_DIR } from '../local/paths.ts';
import { loadSamples } from '../local/samples.ts';
import { FileKnowledgeBase } from '../shared/adapters/in-process/file-knowledge-base.ts';
import { LocalTopicClassifier } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { smsComposerFrom } from '../shared/adapters/in-process/knowledge-views.ts';
import { loadConfig } from '../shared/config.ts';
import { DEFAULT_DRAFTER_SETTINGS, draftConverseInput } from '../shared/adapters/aws/bedrock-reply-drafter.ts';
import { groundingFor } from '../shared/domain/drafting/grounding.ts';
import { analyseSms } from '../shared/domain/sms/encoding.ts';
import type { DepartmentId, TopicId, Urgency } from '../shared/vocabulary/topics.ts';
import type { DraftRequest } from '../shared/ports/reply-drafter.ts';
import { heldOutPredictions } from './classifier.ts';
import { errorMessage, round, sig, type BenchOptions, type Cell, type Scale, type Table } from './lib.ts';
import { loadAnalysis, localStepTimings, type Analysis, type LocalStepTimings } from './local-steps.ts';
import { findExport, importFromRepo } from './optional.ts';
import { approximateTokens } from './tokens.ts';
import { statesOnPath, workflowDefinition } from './workflow-path.ts';

const PricesSchema = z.object({
  asOf: z.string(),
  transcribe: z.object({ perMinute: z.number() }),
  bedrock: z.object({ modelId: z.string(), inputPer1kTokens: z.number(), outputPer1kTokens: z.number() }),
  lambda: z.object({ perGbSecondArm64: z.number(), perRequest: z.number() }),
  stepFunctions: z.object({ perStateTransition: z.number() }),
  sqs: z.object({ perRequest: z.number() }),
  sms: z.object({ perSegmentToHongKong: z.number() }),
  assumptions: z.object({
    bedrockClassifyLatencyMs: z.number(),
    bedrockDraftLatencyMs: z.number(),
    unmeasuredStepMs: z.number(),
    voicemailSeconds: z.number(),
    smsShareOfReplies: z.number(),
    classificationRationaleWords: z.number(),
  }),
});
export type Prices = z.infer<typeof PricesSchema>;

export const PRICES_FILE = fileURLToPath(new URL('./prices.json', import.meta.url));
export const loadPrices = (file = PRICES_FILE): Prices => PricesSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

// ---------------------------------------------------------------------------------------------------
// Tokens from the real prompts
// ---------------------------------------------------------------------------------------------------

interface SampleText {
  channel: 'written' | 'voicemail';
  text: string;
}

/** Written sample texts and the recorded voicemail transcripts (Transcribe output format). */
export function sampleTexts(): SampleText[] {
  const written = loadSamples()
    .map((s) => JSON.parse(s.body) as { kind?: string; text?: string })
    .filter((b) => b.kind === 'written' && typeof b.text === 'string')
    .map((b) => ({ channel: 'written' as const, text: b.text ?? '' }));
  const dir = join(SAMPLES_DIR, 'transcripts');
  const voicemail = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { results?: { transcripts?: { transcript?: string }[] } })
    .map((t) => ({ channel: 'voicemail' as const, text: t.results?.transcripts?.[0]?.transcript ?? '' }))
    .filter((t) => t.text);
  return [...written, ...voicemail];
}

export interface PromptTokens {
  channel: SampleText['channel'];
  classifyInput: number | null;
  classifyOutput: number | null;
  draftInput: number;
  draftOutput: number;
  smsSegments: number;
  /** The local classifier's confidence reached the accept threshold: Bedrock would not be asked. */
  acceptedLocally: boolean;
}

type ClassificationPrompts = { system: (taxonomy: unknown) => string; user: (text: string) => string; toolSchema: () => unknown };

/** The Bedrock classifier's prompt builders, once classification-prompt.ts exists. */
async function classificationPrompts(): Promise<ClassificationPrompts | string> {
  try {
    const module = await importFromRepo('shared/domain/classification/classification-prompt.ts');
    const system = findExport(module, /^classificationSystemPrompt$/);
    const user = findExport(module, /^classificationUserMessage$/);
    const toolSchema = findExport(module, /^classifyToolJsonSchema$/);
    if (!system || !user || !toolSchema) return 'classification-prompt.ts lacks the expected builders';
    return { system: system.value as unknown as ClassificationPrompts['system'], user: user.value as unknown as ClassificationPrompts['user'], toolSchema: toolSchema.value as unknown as ClassificationPrompts['toolSchema'] };
  } catch (error) {
    return errorMessage(error);
  }
}

/** The text a Converse request spends input tokens on: system prompt, messages and tool definitions. */
function converseText(input: ConverseCommandInput): string {
  const system = (input.system ?? []).map((block) => block.text ?? '').join('\n');
  const messages = (input.messages ?? []).flatMap((message) => message.content ?? []).map((block) => block.text ?? '').join('\n');
  const tools = (input.toolConfig?.tools ?? []).map((tool) => JSON.stringify({ name: tool.toolSpec?.name, description: tool.toolSpec?.description, inputSchema: tool.toolSpec?.inputSchema?.json }));
  return [system, messages, ...tools].join('\n');
}

const words = (n: number) => Array.from({ length: n }, () => 'word').join(' ');

async function promptTokens(sample: SampleText, analysis: Analysis, prompts: ClassificationPrompts | string, prices: Prices, threshold: number): Promise<PromptTokens> {
  const knowledgeBase = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
  const redacted = analysis.redactor.redact(sample.text).text;
  const topic = await analysis.classifier.classify({ text: redacted });
  const request: DraftRequest = {
    enquiryId: 'ENQ-20261124-ABCDEFGHJKMN',
    redactedText: redacted,
    topic: topic.topic as TopicId,
    department: topic.department as DepartmentId,
    urgency: topic.urgency as Urgency,
    language: topic.language,
  };
  // The first attempt's Converse request as BedrockReplyDrafter builds it with its default settings.
  const grounding = groundingFor(knowledgeBase, request, DEFAULT_DRAFTER_SETTINGS.groundingLimit);
  const draftInput = approximateTokens(converseText(draftConverseInput(request, grounding, [], { modelId: prices.bedrock.modelId })));
  // The model's reply is sized like the local drafter's reply to the same enquiry, as submit_draft input.
  const draft = await analysis.drafter.draft(request);
  const draftOutput = approximateTokens(JSON.stringify({ text: draft.text, citedArticleIds: draft.citedArticleIds }));
  const taxonomy: unknown = JSON.parse(readFileSync(join(KNOWLEDGE_DIR, 'taxonomy.json'), 'utf8'));
  const classify =
    typeof prompts === 'string'
      ? { input: null, output: null }
      : {
          input: approximateTokens(prompts.system(taxonomy) + prompts.user(redacted) + JSON.stringify(prompts.toolSchema())),
          output: approximateTokens(JSON.stringify({ ...topic, rationale: words(prices.assumptions.classificationRationaleWords) })),
        };
  return {
    channel: sample.channel,
    classifyInput: classify.input,
    classifyOutput: classify.output,
    draftInput,
    draftOutput,
    // The SMS is the knowledge base's short follow-up template (DraftDeps.composeSms), not the whole reply.
    smsSegments: analyseSms(smsComposerFrom(knowledgeBase)({ enquiryId: request.enquiryId, topic: request.topic, department: request.department, language: request.language })).segments,
    acceptedLocally: analysis.real && topic.confidence >= threshold,
  };
}

// ---------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------

export interface CostLine {
  item: string;
  quantity: number | null;
  unit: string;
  usd: number | null;
  /** Shown for comparison, not part of the total (e.g. the Lambda sizes before issue 22). */
  comparison?: true;
}

/** CDK's memory sizes on main before issue 22 (all 512 MB but classify and retrain): priced next to today's. */
export const MEMORY_BEFORE_ISSUE_22_MB: Readonly<Record<string, number>> = { classify: 1024, retrain: 2048 };
const memoryBefore = (folder: string): number => MEMORY_BEFORE_ISSUE_22_MB[folder] ?? 512;

/**
 * Billed milliseconds of one invocation at `memoryMb`: the measured local time ran on one full core and is
 * CPU-bound work, which Lambda runs on memoryMb / 1 769 of a vCPU below 1 769 MB (so it takes longer, and
 * costs about the same at any size); waiting (Bedrock) takes as long at any size, so it costs in proportion
 * to memory. Lambda bills whole milliseconds.
 */
export function billedMs(cpuMs: number, waitMs: number, memoryMb: number): number {
  return Math.ceil(cpuMs * Math.max(1, MB_PER_VCPU / memoryMb) + waitMs);
}

const gbSecondsOf = (steps: readonly LambdaStep[], memory: (folder: string) => number): number =>
  steps.reduce((sum, s) => sum + (billedMs(s.cpuMs, s.waitMs, memory(s.folder)) / 1000) * (memory(s.folder) / 1024), 0);

interface LambdaStep {
  folder: string;
  cpuMs: number;
  waitMs: number;
}

export interface ScenarioCost {
  scenario: 'written' | 'voicemail';
  lines: CostLine[];
  totalUsd: number;
  /** Total when the reply also goes out by SMS. */
  totalWithSmsUsd: number;
}

export interface CostData {
  prices: Prices;
  threshold: number;
  acceptShare: number | null;
  localFirst: LocalFirst | null;
  classifierSource: string;
  stepSource: string;
  transitions: { written: number; voicemail: number; writtenWithSms: number } | { error: string };
  tokens: PromptTokens[];
  scenarios: ScenarioCost[];
  localFirstSavingUsd: number | null;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

function transitionsFromDefinition(): CostData['transitions'] {
  try {
    const definition = workflowDefinition();
    const count = (hasAudio: boolean, sendSms: boolean) => statesOnPath(definition, { hasAudio, review: { action: 'approve', sendSms } }).length;
    return { written: count(false, false), voicemail: count(true, false), writtenWithSms: count(false, true) };
  } catch (error) {
    return { error: `the CDK app does not synthesize right now (${errorMessage(error).slice(0, 120)})` };
  }
}

/** Warm median of a measured step, else the configured assumption; Bedrock wait added where the step calls it. */
function stepMs(timings: LocalStepTimings | undefined, step: string, fallback: number): number {
  const measured = timings?.steps.find((s) => s.step === step)?.warmMs;
  return measured !== undefined && Number.isFinite(measured) ? measured : fallback;
}

interface ScenarioInputs {
  prices: Prices;
  timings: LocalStepTimings | undefined;
  tokens: PromptTokens[];
  transitions: CostData['transitions'];
  acceptShare: number | null;
}

function lambdaLines(scenario: ScenarioCost['scenario'], inputs: ScenarioInputs, askedShare: number): CostLine[] {
  const { prices, timings } = inputs;
  const a = prices.assumptions;
  const step = (folder: string, waitMs = 0): LambdaStep => ({ folder, cpuMs: stepMs(timings, folder, a.unmeasuredStepMs), waitMs });
  const functions: LambdaStep[] = [
    step('intake'),
    step('redact'),
    step('classify', askedShare * a.bedrockClassifyLatencyMs),
    step('group-incident'), // two keyed reads and one small transaction (unmeasured step)
    step('draft', a.bedrockDraftLatencyMs),
    step('await-review'),
    step('review-api'), // the decision (unmeasured step)
    step('record-outcome'),
    ...(scenario === 'voicemail' ? [step('start-transcription'), step('transcription-complete')] : []),
  ];
  const gbSeconds = gbSecondsOf(functions, memoryFor);
  const gbSecondsBefore = gbSecondsOf(functions, memoryBefore);
  return [
    { item: 'Lambda compute (arm64, memory per function: cdk/lib/function-sizing.ts; incl. assumed Bedrock wait)', quantity: sig(gbSeconds, 3), unit: 'GB-s', usd: gbSeconds * prices.lambda.perGbSecondArm64 },
    {
      item: 'for comparison: Lambda compute at the sizes before issue 22 (512 MB, classify 1 024), same durations',
      quantity: sig(gbSecondsBefore, 3),
      unit: 'GB-s',
      usd: gbSecondsBefore * prices.lambda.perGbSecondArm64,
      comparison: true,
    },
    { item: 'Lambda invocations', quantity: functions.length, unit: 'requests', usd: functions.length * prices.lambda.perRequest },
  ];
}

function scenarioCost(scenario: ScenarioCost['scenario'], inputs: ScenarioInputs): ScenarioCost {
  const { prices, tokens, transitions, acceptShare } = inputs;
  const mine = tokens.filter((t) => t.channel === scenario);
  const askedShare = acceptShare === null ? 1 : 1 - acceptShare;
  const classifyIn = mine.every((t) => t.classifyInput !== null) ? mean(mine.map((t) => t.classifyInput ?? 0)) : null;
  const classifyOut = mine.every((t) => t.classifyOutput !== null) ? mean(mine.map((t) => t.classifyOutput ?? 0)) : null;
  const draftIn = mean(mine.map((t) => t.draftInput));
  const draftOut = mean(mine.map((t) => t.draftOutput));
  const segments = mean(mine.map((t) => t.smsSegments));
  const stateCount = 'error' in transitions ? null : scenario === 'voicemail' ? transitions.voicemail : transitions.written;
  const per1k = (tokens: number | null, price: number) => (tokens === null ? null : (tokens / 1000) * price);
  const lines: CostLine[] = [
    ...(scenario === 'voicemail'
      ? [{ item: `Transcribe (${prices.assumptions.voicemailSeconds} s voicemail)`, quantity: prices.assumptions.voicemailSeconds / 60, unit: 'min', usd: (prices.assumptions.voicemailSeconds / 60) * prices.transcribe.perMinute }]
      : []),
    { item: `Bedrock classify input (× ${round(askedShare, 2)} asked)`, quantity: classifyIn === null ? null : round(classifyIn * askedShare, 0), unit: 'tokens', usd: mulOrNull(per1k(classifyIn, prices.bedrock.inputPer1kTokens), askedShare) },
    { item: `Bedrock classify output (× ${round(askedShare, 2)} asked)`, quantity: classifyOut === null ? null : round(classifyOut * askedShare, 0), unit: 'tokens', usd: mulOrNull(per1k(classifyOut, prices.bedrock.outputPer1kTokens), askedShare) },
    { item: 'Bedrock draft input', quantity: round(draftIn, 0), unit: 'tokens', usd: (draftIn / 1000) * prices.bedrock.inputPer1kTokens },
    { item: 'Bedrock draft output', quantity: round(draftOut, 0), unit: 'tokens', usd: (draftOut / 1000) * prices.bedrock.outputPer1kTokens },
    ...lambdaLines(scenario, inputs, askedShare),
    { item: 'Step Functions Standard (happy path, no SMS)', quantity: stateCount, unit: 'transitions', usd: stateCount === null ? null : stateCount * prices.stepFunctions.perStateTransition },
    { item: 'SQS intake (send, receive, delete)', quantity: 3, unit: 'requests', usd: 3 * prices.sqs.perRequest },
  ];
  const totalUsd = lines.reduce((sum, line) => sum + (line.comparison ? 0 : (line.usd ?? 0)), 0);
  const smsExtra = smsExtraUsd(prices, segments, transitions);
  return { scenario, lines: [...lines, { item: 'if sent by SMS: segments + sms-outbox SQS + QueueSms/send-sms', quantity: round(segments, 1), unit: 'segments', usd: smsExtra }], totalUsd, totalWithSmsUsd: totalUsd + smsExtra };
}

const mulOrNull = (value: number | null, factor: number) => (value === null ? null : value * factor);

function smsExtraUsd(prices: Prices, segments: number, transitions: CostData['transitions']): number {
  const extraTransitions = 'error' in transitions ? 0 : transitions.writtenWithSms - transitions.written;
  const smsSteps = ['queue-sms', 'send-sms'].map((folder) => ({ folder, cpuMs: prices.assumptions.unmeasuredStepMs, waitMs: 0 }));
  const lambda = 2 * prices.lambda.perRequest + gbSecondsOf(smsSteps, memoryFor) * prices.lambda.perGbSecondArm64;
  return segments * prices.sms.perSegmentToHongKong + 3 * prices.sqs.perRequest + extraTransitions * prices.stepFunctions.perStateTransition + lambda;
}

interface LocalFirst {
  share: number;
  /** Accuracy of the enquiries accepted locally (what the saving risks). */
  acceptedAccuracy: number | null;
  basis: string;
}

/**
 * Share the local classifier accepts at the threshold, on held-out examples (a model trained on 80% of the
 * taxonomy, confidences on the other 20%); the sample enquiries when that cannot run (tiny scale).
 */
async function localFirstOf(analysis: Analysis, threshold: number, tokens: PromptTokens[], scale: Scale): Promise<LocalFirst | null> {
  if (!analysis.real) return null;
  if (scale !== 'tiny') {
    const held = await heldOutPredictions().catch(() => []);
    const accepted = held.filter((p) => p.confidence >= threshold);
    if (held.length) {
      const acceptedAccuracy = accepted.length ? accepted.filter((p) => p.gold === p.predicted).length / accepted.length : null;
      return { share: accepted.length / held.length, acceptedAccuracy, basis: `${held.length} held-out taxonomy examples` };
    }
  }
  return { share: tokens.filter((t) => t.acceptedLocally).length / Math.max(1, tokens.length), acceptedAccuracy: null, basis: `${tokens.length} sample enquiries` };
}

export async function benchCost(options: BenchOptions): Promise<{ tables: Table[]; data: CostData }> {
  const prices = loadPrices();
  const threshold = loadConfig({}).CLASSIFIER_ACCEPT_CONFIDENCE ?? (await LocalTopicClassifier.load(KNOWLEDGE_DIR)).acceptThreshold;
  const analysis = await loadAnalysis();
  const prompts = await classificationPrompts();
  const texts = sampleTexts();
  const tokens: PromptTokens[] = [];
  for (const sample of options.scale === 'tiny' ? texts.slice(0, 2).concat(texts.filter((t) => t.channel === 'voicemail').slice(0, 1)) : texts) {
    tokens.push(await promptTokens(sample, analysis, prompts, prices, threshold));
  }
  const timings = await localStepTimings(options.scale).catch(() => undefined);
  const transitions = transitionsFromDefinition();
  const localFirst = await localFirstOf(analysis, threshold, tokens, options.scale);
  const acceptShare = localFirst?.share ?? null;
  const inputs: ScenarioInputs = { prices, timings, tokens, transitions, acceptShare };
  const scenarios = [scenarioCost('written', inputs), scenarioCost('voicemail', inputs)];
  const classifyAll = scenarioCost('written', { ...inputs, acceptShare: 0 });
  const classifyCost = (s: ScenarioCost) => s.lines.filter((l) => l.item.startsWith('Bedrock classify')).reduce((sum, l) => sum + (l.usd ?? 0), 0);
  const localFirstSavingUsd = acceptShare === null || typeof prompts === 'string' ? null : classifyCost(classifyAll) - classifyCost(scenarios[0] as ScenarioCost);
  const data: CostData = {
    prices,
    threshold,
    acceptShare: acceptShare === null ? null : round(acceptShare, 3),
    localFirst,
    classifierSource: analysis.source,
    stepSource: timings ? `measured warm medians (${timings.classifierSource})` : 'assumed',
    transitions,
    tokens,
    scenarios,
    localFirstSavingUsd,
  };
  return { tables: [costTable(data, typeof prompts === 'string' ? prompts : undefined)], data };
}

const usd = (value: number | null): Cell => (value === null ? null : `$${sig(value, 3)}`);

function costTable(data: CostData, promptsMissing: string | undefined): Table {
  const [written, voicemail] = data.scenarios as [ScenarioCost, ScenarioCost];
  const items = [...new Set([...voicemail.lines, ...written.lines].map((l) => l.item))];
  const cells = (s: ScenarioCost, item: string): Cell[] => {
    const line = s.lines.find((l) => l.item === item);
    return line ? [line.quantity === null ? null : `${line.quantity} ${line.unit}`, usd(line.usd)] : [null, null];
  };
  const rows: Cell[][] = items.map((item) => [item, ...cells(written, item), ...cells(voicemail, item)]);
  rows.push(['**total per enquiry (no SMS)**', null, usd(written.totalUsd), null, usd(voicemail.totalUsd)]);
  rows.push(['**total per enquiry (reply also by SMS)**', null, usd(written.totalWithSmsUsd), null, usd(voicemail.totalWithSmsUsd)]);
  const transitions = 'error' in data.transitions ? `Step Functions transitions not counted: ${data.transitions.error}` : `transitions walked on the synthesized definition: written ${data.transitions.written}, voicemail ${data.transitions.voicemail}, +${data.transitions.writtenWithSms - data.transitions.written} with SMS`;
  return {
    title: `Cost per enquiry (US$, ${data.prices.asOf})`,
    columns: ['item', 'written qty', 'written US$', '60 s voicemail qty', 'voicemail US$'],
    rows,
    notes: [
      `tokens: real prompts built by drafting-prompt.ts / classification-prompt.ts for ${data.tokens.length} sample enquiries (redacted, classified by ${data.classifierSource}), counted as CJK char = 1 token, other text = chars/4`,
      data.acceptShare === null
        ? `local-first saving: not available yet (${promptsMissing ?? 'the local classifier is not there'})`
        : `local-first: the local classifier accepts ${round(100 * data.acceptShare, 1)}% at confidence >= ${data.threshold} (${data.localFirst?.basis ?? ''}${data.localFirst?.acceptedAccuracy == null ? '' : `, ${round(100 * data.localFirst.acceptedAccuracy, 1)}% of those correct`}); saving ${usd(data.localFirstSavingUsd)} per written enquiry vs asking Bedrock every time`,
      promptsMissing ? `Bedrock classification tokens: not available yet (${promptsMissing})` : 'classification output sized as the TopicResult tool call with a 20-word rationale',
      transitions,
      `Lambda memory per function from cdk/lib/function-sizing.ts (chosen from measured cold-init RSS: at least twice it); billed time = measured local time as CPU-bound work on memory/${MB_PER_VCPU} of a vCPU below ${MB_PER_VCPU} MB (costs the same at any size) + waits (cost in proportion to memory): the steps that mostly wait (draft on Bedrock) now cost less at 256 MB, CPU-bound steps the same`,
      `Lambda durations: ${data.stepSource}; Bedrock waits (classify ${data.prices.assumptions.bedrockClassifyLatencyMs} ms, draft ${data.prices.assumptions.bedrockDraftLatencyMs} ms) and unmeasured steps (${data.prices.assumptions.unmeasuredStepMs} ms) are assumptions from prices.json`,
      'not modelled: DynamoDB, S3, KMS, CloudWatch Logs/X-Ray, API Gateway, Cognito, data transfer',
    ],
  };
}
