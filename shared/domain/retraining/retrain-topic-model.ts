import { createHash } from 'node:crypto';
import type { Clock } from '../../ports/clock.ts';
import type { EnquiryStore } from '../../ports/enquiry-store.ts';
import type { LabelledExampleStore } from '../../ports/labelled-examples.ts';
import type { PersonalDataRedactor } from '../../ports/personal-data-redactor.ts';
import { ModelVersionExistsError, type TopicModelStore } from '../../ports/topic-models.ts';
import { evaluateRouting, type RoutingExample } from '../classification/evaluate.ts';
import type { LocalTopicModel, TopicTrainingExample } from '../classification/local-topic-model.ts';
import type { Language } from '../../vocabulary/languages.ts';
import { exampleKey, labelledExampleFrom, latestPerEnquiry, splitNewestHeldOut, type LabelledExample, type SkipReason } from './labelled-example.ts';
import { nextVersion, SHIPPED, type ModelCard, type StoredModel } from './model-registry.ts';
import { DEFAULT_GATE_RULES, promotionGate, type GateDecision, type GateRules, type GoldFigures, type ModelComparison } from './promotion-gate.ts';
import { promoteVersion, servingModel } from './model-versions.ts';

/*
 * Learning from agents' corrections (weekly on AWS, `npm run assist -- retrain` locally):
 *   1. collect: decided enquiries since the newest stored example (less an hour, for decisions recorded out of
 *      order) become labelled examples, redacted again, stored as one batch;
 *   2. split: the newest 20% of the agent-labelled examples the serving model has not trained on are held out;
 *   3. train a candidate on the knowledge layer's examples plus the other agent examples (source `agents`);
 *   4. compare candidate and serving model on the frozen gold set and the held-out examples, apply the gate;
 *   5. store the candidate as the next version (promoted or not, with its card) and promote it if the gate says so.
 */

/** The knowledge layer as retraining needs it (the composition root builds it from the layer's files). */
export interface TopicModelTrainer {
  /** Identifies the layer; stored models record it and are not loaded on another layer. */
  layerDigest: string;
  knowledgeExamples: number;
  topics: ReadonlySet<string>;
  departmentOf(topic: string): string;
  /** The model shipped in the layer: served when nothing is promoted, and the floor of the gate. */
  shipped(): Promise<LocalTopicModel>;
  /** Trains on the layer's examples plus these. */
  train(agentExamples: TopicTrainingExample[]): LocalTopicModel;
  load(stored: StoredModel): LocalTopicModel;
}

export interface RetrainDeps {
  /** Where decisions are read from; absent when only stored examples are used (a local run without a store). */
  decided?: Pick<EnquiryStore, 'decidedSince'>;
  examples: LabelledExampleStore;
  models: TopicModelStore;
  redactor: PersonalDataRedactor;
  trainer: TopicModelTrainer;
  /** The frozen gold set: enquiries by an independent writer, never trained on. */
  gold: readonly RoutingExample[];
  clock: Clock;
  rules?: GateRules;
  /** Who promotes, in the pointer's log (`retrain:scheduled`, `retrain:cli`). */
  actor: string;
  /** Measures training time (injectable for tests). */
  now?: () => number;
}

export interface RetrainOptions {
  /** Collect from this instant instead of the newest stored example. */
  since?: string;
  /** Compare and print, but store nothing (no examples, no version, no promotion). */
  dryRun?: boolean;
}

export interface CollectionSummary {
  since: string;
  read: number;
  added: number;
  alreadyStored: number;
  skipped: Partial<Record<SkipReason, number>>;
  /** Personal data the second redaction pass still found (should stay 0; counted, never logged as text). */
  reRedactedEntities: number;
  stored: number;
}

export type RetrainResult = {
  collection: CollectionSummary;
  /** The version serving before the run. */
  current: string;
  /** Serving after the run. */
  serving: string;
  agentExamples: number;
  heldOut: number;
} & (
  | { outcome: 'promoted' | 'refused'; version: string | null; comparison: ModelComparison; decision: GateDecision; trainingMs: number }
  | { outcome: 'not_enough_new_examples'; reason: string }
);

const COLLECTION_OVERLAP_MS = 3600_000;
const EPOCH = '1970-01-01T00:00:00.000Z';

/** Step 1: turns decisions not yet stored into labelled examples (redacted again) and stores them as one batch. */
export async function collectLabelledExamples(deps: Pick<RetrainDeps, 'decided' | 'examples' | 'redactor' | 'trainer' | 'clock'>, options: RetrainOptions = {}): Promise<{ summary: CollectionSummary; examples: LabelledExample[] }> {
  const stored = await deps.examples.all();
  const newest = stored.reduce((max, e) => Math.max(max, Date.parse(e.decidedAt)), Number.NEGATIVE_INFINITY);
  const since = options.since ?? (Number.isFinite(newest) ? new Date(newest - COLLECTION_OVERLAP_MS).toISOString() : EPOCH);
  const known = new Set(stored.map(exampleKey));
  const summary: CollectionSummary = { since, read: 0, added: 0, alreadyStored: 0, skipped: {}, reRedactedEntities: 0, stored: stored.length };
  const added: LabelledExample[] = [];
  if (deps.decided) {
    for await (const decided of deps.decided.decidedSince(since)) {
      summary.read += 1;
      if (known.has(exampleKey(decided))) {
        summary.alreadyStored += 1;
        continue;
      }
      const result = labelledExampleFrom(decided, deps.redactor, deps.trainer.topics);
      if ('skipped' in result) {
        summary.skipped[result.skipped] = (summary.skipped[result.skipped] ?? 0) + 1;
        continue;
      }
      summary.reRedactedEntities += result.reRedacted;
      known.add(exampleKey(result.example));
      added.push(result.example);
    }
  }
  summary.added = added.length;
  if (added.length > 0 && !options.dryRun) {
    // Named by time and content: two runs never write the same batch, a repeated write of one is refused.
    const digest = createHash('sha256').update(added.map(exampleKey).join('\n')).digest('hex').slice(0, 12);
    await deps.examples.addBatch(`${deps.clock.now().toISOString().replace(/[:.]/g, '-')}-${digest}`, added);
  }
  summary.stored = stored.length + added.length;
  return { summary, examples: latestPerEnquiry([...stored, ...added]) };
}

function goldFigures(model: LocalTopicModel, gold: readonly RoutingExample[], departmentOf: (topic: string) => string): GoldFigures {
  const report = evaluateRouting((text, language) => model.classify(text, language), gold, departmentOf, model.acceptThreshold);
  return { topicAccuracy: report.topicAccuracy, departmentAccuracy: report.departmentAccuracy, confidentWrong: report.departmentConfidentWrong };
}

const trainingExample = (e: LabelledExample): TopicTrainingExample => ({ text: e.text, label: e.label, source: e.source });

/** Steps 1 to 5 (see the top of this file). */
export async function retrainTopicModel(deps: RetrainDeps, options: RetrainOptions = {}): Promise<RetrainResult> {
  const rules = deps.rules ?? DEFAULT_GATE_RULES;
  const now = deps.now ?? (() => performance.now());
  const { summary: collection, examples } = await collectLabelledExamples(deps, options);
  const usable = examples.filter((e) => deps.trainer.topics.has(e.label));

  const serving = await servingModel(deps.models, deps.trainer.layerDigest, (stored) => deps.trainer.load(stored));
  const shipped = await deps.trainer.shipped();
  const current = 'model' in serving ? { version: serving.version, model: serving.model, seenThrough: serving.card?.trainedThrough ?? undefined } : { version: SHIPPED, model: shipped, seenThrough: undefined };
  const { training, heldOut } = splitNewestHeldOut(usable, current.seenThrough ? { seenThrough: current.seenThrough } : {});
  const base = { collection, current: current.version, serving: current.version, agentExamples: usable.length, heldOut: heldOut.length };
  if (heldOut.length < rules.minHeldOut) {
    return {
      ...base,
      outcome: 'not_enough_new_examples',
      reason:
        `${heldOut.length} new agent-labelled enquiries to hold out${current.version === SHIPPED ? '' : ` since ${current.version} was trained`}; ` +
        `at least ${rules.minHeldOut} are needed to show a candidate is better (${usable.length} agent-labelled in all)`,
    };
  }

  const started = now();
  const candidate = deps.trainer.train(training.map(trainingExample));
  const trainingMs = now() - started;

  const versions = await deps.models.versions();
  let version = nextVersion(versions);
  const departmentOf = (topic: string) => deps.trainer.departmentOf(topic);
  let fixed = 0;
  let broken = 0;
  let currentCorrect = 0;
  let candidateCorrect = 0;
  for (const example of heldOut) {
    const language = (example.language ?? undefined) as Language | undefined;
    const byCurrent = current.model.classify(example.text, language).topic === example.label;
    const byCandidate = candidate.classify(example.text, language).topic === example.label;
    currentCorrect += byCurrent ? 1 : 0;
    candidateCorrect += byCandidate ? 1 : 0;
    fixed += byCandidate && !byCurrent ? 1 : 0;
    broken += byCurrent && !byCandidate ? 1 : 0;
  }
  const comparison: ModelComparison = {
    currentVersion: current.version,
    candidateVersion: version,
    gold: {
      examples: deps.gold.length,
      current: goldFigures(current.model, deps.gold, departmentOf),
      candidate: goldFigures(candidate, deps.gold, departmentOf),
      ...(current.version === SHIPPED ? {} : { floor: goldFigures(shipped, deps.gold, departmentOf) }),
    },
    heldOut: { examples: heldOut.length, currentCorrect, candidateCorrect, fixed, broken },
  };
  const decision = promotionGate(comparison, rules);
  const outcome = decision.promote ? ('promoted' as const) : ('refused' as const);
  if (options.dryRun) return { ...base, outcome, version: null, comparison, decision, trainingMs };

  const trainedThrough = training.length ? (training[training.length - 1] as LabelledExample).decidedAt : null;
  for (let attempt = 0; ; attempt += 1) {
    const card: ModelCard = {
      version,
      createdAt: deps.clock.now().toISOString(),
      layerDigest: deps.trainer.layerDigest,
      knowledgeExamples: deps.trainer.knowledgeExamples,
      agentExamples: training.length,
      agentCorrections: training.filter((e) => e.topicCorrected).length,
      trainedThrough,
      comparedWith: current.version,
      gold: comparison.gold,
      heldOut: comparison.heldOut,
      gate: { promote: decision.promote, reasons: decision.reasons, pValue: decision.pValue },
    };
    try {
      await deps.models.create({ version, layerDigest: deps.trainer.layerDigest, model: candidate.toJSON() }, card);
      break;
    } catch (error) {
      if (!(error instanceof ModelVersionExistsError) || attempt >= 3) throw error;
      version = nextVersion([...versions, version, ...(await deps.models.versions())]);
      comparison.candidateVersion = version;
    }
  }
  if (!decision.promote) return { ...base, outcome, version, comparison, decision, trainingMs };
  const promoted = await promoteVersion(deps.models, version, {
    by: deps.actor,
    reason: `gate passed against ${current.version}: held out ${currentCorrect}→${candidateCorrect} of ${heldOut.length}, p=${decision.pValue.toPrecision(2)}`,
    layerDigest: deps.trainer.layerDigest,
    clock: deps.clock,
  });
  return { ...base, serving: promoted.to, outcome, version, comparison, decision, trainingMs };
}
