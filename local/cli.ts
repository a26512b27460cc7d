/**
 * `npm run assist -- <command>`: the operator CLI over the same domain code the Lambdas run.
 *   redact [--json]   text on stdin → redacted text (or { text, entities })
 *   classify [--model shipped|promoted]
 *                     one enquiry per line on stdin → one JSON topic result per line (local classifier: the shipped
 *                     model, or the version promoted under .local-data/models), with where it is about: district
 *                     (or the candidates, when ambiguous) and the gazetteer's place, as the classify step stores them
 *   eval --train TRAIN.jsonl --test TEST.jsonl [--oos-label LABEL] [--json]
 *                     trains the local classifier on any {"text","label"} JSONL and reports its quality,
 *                     calibration included (ECE, accuracy by confidence band, coverage at the accept threshold)
 *   eval --test TEST.jsonl [--json] [--model shipped|promoted]
 *                     the hotline's shipped model on labelled enquiries it never saw: topic, department and
 *                     case-type accuracy, calibration, confident-wrong routing
 *   eval-places [--json] [--errors]
 *                     place → district on test/eval/data/place-mentions.jsonl (redacted first, as the workflow does):
 *                     accuracy on found places, precision/recall of ambiguous and unknown; --errors lists the misses
 *   report --from YYYY-MM-DD --to YYYY-MM-DD [--granularity day|week] [--format json|csv|html|district-csv] [--out FILE]
 *                     the topic report from the local store `npm start` leaves in .local-data
 *   train-model       trains the local topic model and writes it into the knowledge layer (model/topic-model.bin)
 *   retrain [--dry-run] [--since ISO] [--json] [--data-dir DIR] [--knowledge DIR]
 *                     learning from agents' corrections: collects decided enquiries from the local store `npm start`
 *                     leaves (as labelled examples, redacted again, in .local-data/examples), trains a candidate on the
 *                     layer's examples plus those, compares it with the serving model on the frozen gold set and the
 *                     newest held-out agent examples, prints the comparison, and promotes it only through the gate
 *   model list | promote <version> [--reason TEXT] | rollback [--reason TEXT] [--data-dir DIR]
 *                     the topic model versions under .local-data/models: list them with their figures, promote one
 *                     (an operator's override of the gate), or restore the previously promoted one
 *   privacy export --number +852… [--format json|html] [--out FILE] [--as NAME]
 *   privacy erase --number +852… [--as NAME]
 *   privacy sweep [--at ISO]
 *                     callers' data requests on the local store `npm start` leaves: export everything held for a number
 *                     (found through the keyed-hash index; JSON or the readable HTML summary), erase the raw contact data
 *                     of its settled enquiries, or delete what DynamoDB TTL would have deleted by --at (default now).
 *                     Every export and erasure is audited (actor cli:<NAME or the OS user>, time, the number's hash)
 *   gen-taxonomy      regenerates shared/vocabulary/taxonomy.generated.ts (topic/department ids, routes) from taxonomy.json
 *   gen-script-phrases regenerates shared/domain/drafting/st-phrases.generated.ts (the Simplified→Traditional phrase rules kept)
 *   build-glossary    rebuilds the layer's glossary/zh-en.tsv from CC-CEDICT and glossary/cantonese-hk.tsv
 *   openapi           the review API's OpenAPI 3.1 document (committed as events/openapi.json)
 *   help
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportQuerySchema } from '../events/reports.ts';
import { parseOrThrow } from '../shared/domain/validation.ts';
import { buildReport, renderReport } from '../shared/domain/reports/produce-report.ts';
import { DynamoOutcomeCounters } from '../shared/adapters/aws/dynamo-outcome-counters.ts';
import { topicNamesFrom } from '../shared/adapters/in-process/knowledge-views.ts';
import { startLocalDynamo } from './dynamo.ts';
import {
  GLOSSARY_FILE,
  loadGazetteer,
  loadGlossary,
  loadTaxonomyAndExamples,
  LocalTopicClassifier,
  shippedModelFile,
  TOPIC_MODEL_FILE,
  trainTopicModel,
} from '../shared/adapters/in-process/local-topic-classifier.ts';
import { buildGlossary, glossaryFile } from './build-glossary.ts';
import { evaluateClassifier, evaluateRouting, formatCalibration, parseLabelledJsonl, parseRoutingJsonl } from '../shared/domain/classification/evaluate.ts';
import { TOPIC_DEPARTMENT, type TopicId } from '../shared/vocabulary/topics.ts';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import { FileKnowledgeBase } from '../shared/adapters/in-process/file-knowledge-base.ts';
import { KNOWLEDGE_DIR, REPO_ROOT } from './paths.ts';
import { reviewApiOpenApi } from '../events/openapi.ts';
import { departmentsAllowedFor } from '../shared/domain/classification/taxonomy.ts';
import { writePhrasesModule } from './gen-script-phrases.ts';
import { writeTaxonomyModule } from './gen-taxonomy.ts';
import { DynamoEnquiryStore } from '../shared/adapters/aws/dynamo-enquiry-store.ts';
import { FileLabelledExampleStore, FileTopicModelStore } from './stand-ins/file-retraining-stores.ts';
import { layerTrainer, loadGoldSet } from '../shared/adapters/in-process/local-topic-classifier.ts';
import { retrainTopicModel } from '../shared/domain/retraining/retrain-topic-model.ts';
import { listVersions, promoteVersion, rollbackVersion } from '../shared/domain/retraining/model-versions.ts';
import { formatComparison } from '../shared/domain/retraining/promotion-gate.ts';
import { systemClock } from '../shared/ports/clock.ts';
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { DataAccessRequestSchema, ErasureRequestSchema } from '../events/privacy.ts';
import { DynamoPrivacyRecords } from '../shared/adapters/aws/dynamo-privacy-records.ts';
import { LOCAL_CALLER_HASH_KEY_FILE, LocalCallerHasher } from './stand-ins/local-caller-hasher.ts';
import { renderExportHtml } from '../shared/domain/privacy/export-html.ts';
import { eraseCallerContactData, exportCallerData, type PrivacyDeps } from '../shared/domain/privacy/requests.ts';
import { sweepExpired } from './retention-sweeper.ts';
import { evaluatePlaces, formatPlaceEvaluation } from './eval-places.ts';
import { locatePlace } from '../shared/domain/location/locate.ts';

const [command = 'help', ...rest] = process.argv.slice(2);
const flag = (name: string) => rest.includes(`--${name}`);
const option = (name: string) => {
  const i = rest.indexOf(`--${name}`);
  return i >= 0 ? rest[i + 1] : undefined;
};

async function main(): Promise<number> {
  switch (command) {
    case 'redact': {
      const knowledge = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
      const redactor = createRedactor({ publicNumbers: knowledge.publicContactNumbers() });
      const result = redactor.redact(readFileSync(0, 'utf8'));
      process.stdout.write(flag('json') ? `${JSON.stringify(result)}\n` : result.text);
      return 0;
    }
    case 'classify': {
      const classifier = await servingClassifier();
      const gazetteer = await loadGazetteer(KNOWLEDGE_DIR);
      for (const line of readFileSync(0, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const result = await classifier.classify({ text: line });
        const location = locatePlace(line, gazetteer);
        // One JSON line per enquiry: topic, case type, department (and the others the taxonomy allows), the top
        // three candidates, and whether the local model accepted its answer or left it unsure for an agent.
        const departments = departmentsAllowedFor(classifier.taxonomy, result.topic);
        process.stdout.write(`${JSON.stringify({ decision: result.accepted ? 'accepted' : 'unsure', ...result, departments, location })}\n`);
      }
      return 0;
    }
    case 'eval': {
      const trainPath = option('train');
      const testPath = option('test');
      if (!testPath) {
        console.error('usage: npm run assist -- eval [--train TRAIN.jsonl] --test TEST.jsonl [--oos-label LABEL] [--json]');
        return 2;
      }
      const pct = (x: number | undefined | null) => (x === undefined || x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
      if (!trainPath) {
        const classifier = await servingClassifier();
        const examples = parseRoutingJsonl(readFileSync(testPath, 'utf8'), testPath);
        const report = evaluateRouting((text, language) => classifier.classifySync(text, language), examples, (topic) => TOPIC_DEPARTMENT[topic as TopicId] ?? 'unknown', classifier.acceptThreshold);
        if (flag('json')) {
          process.stdout.write(`${JSON.stringify(report)}\n`);
          return 0;
        }
        console.log(`${classifier.version === 'shipped' ? 'shipped model' : `promoted ${classifier.version}`} on ${report.examples} enquiries: topic ${pct(report.topicAccuracy)}, department ${pct(report.departmentAccuracy)}, case type ${pct(report.caseTypeAccuracy)}`);
        for (const line of formatCalibration(report.calibration, 'enquiries')) console.log(line);
        console.log(`accepted but routed to the wrong department: ${pct(report.departmentConfidentWrong)} of all`);
        return 0;
      }
      const oosLabel = option('oos-label');
      const report = evaluateClassifier(parseLabelledJsonl(readFileSync(trainPath, 'utf8'), trainPath), parseLabelledJsonl(readFileSync(testPath, 'utf8'), testPath), {
        ...(oosLabel ? { oosLabel } : {}),
        // The glossary is general Chinese/English vocabulary, so it serves any labelled set.
        training: { glossary: await loadGlossary(KNOWLEDGE_DIR) },
      });
      if (flag('json')) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return 0;
      }
      console.log(`trained on ${report.trainExamples} examples (${report.labels} labels), tested on ${report.testExamples}`);
      console.log(`accuracy ${pct(report.accuracy)}  macro-F1 ${pct(report.macroF1)}`);
      if (oosLabel) console.log(`in-scope accuracy ${pct(report.inScopeAccuracy)}  out-of-scope recall ${pct(report.oosRecall)}  precision ${pct(report.oosPrecision)}`);
      for (const line of formatCalibration(report.calibration)) console.log(line);
      console.log(`training ${report.trainingMs.toFixed(0)} ms; prediction p50 ${report.latencyP50Ms.toFixed(3)} ms, p99 ${report.latencyP99Ms.toFixed(3)} ms`);
      return 0;
    }
    case 'eval-places': {
      const report = await evaluatePlaces();
      if (flag('json')) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return 0;
      }
      for (const line of formatPlaceEvaluation(report)) console.log(line);
      if (flag('errors')) for (const error of report.errors) console.log(`  ${error.id} expected ${error.expected}, got ${error.got}: ${error.text}`);
      return 0;
    }
    case 'report': {
      const query = parseOrThrow(ReportQuerySchema, {
        from: option('from'),
        to: option('to'),
        ...(option('granularity') ? { granularity: option('granularity') } : {}),
        ...(option('format') ? { format: option('format') } : {}),
      });
      const dataDir = join(REPO_ROOT, '.local-data', 'dynamo');
      if (!existsSync(dataDir)) {
        console.error('no local store yet: run `npm start` (it leaves its data in .local-data) and try again');
        return 1;
      }
      const dynamo = await startLocalDynamo(undefined, { path: dataDir }).catch((error: Error) => {
        throw new Error(`cannot open the local store (${error.message}); stop a running \`npm start\` first`);
      });
      try {
        const counters = new DynamoOutcomeCounters(dynamo.client, await dynamo.createTable('assist-report-counters'));
        const report = await buildReport(query, counters);
        const knowledge = await FileKnowledgeBase.load(KNOWLEDGE_DIR);
        const { body } = renderReport(report, query.format, { topicNames: topicNamesFrom(knowledge), generatedAt: new Date().toISOString() });
        const out = option('out');
        if (out) {
          writeFileSync(out, body);
          console.error(`wrote ${query.format} report ${query.from}..${query.to} (${report.totals.count} enquiries, ${report.spikes.length} spikes) to ${out}`);
        } else process.stdout.write(body);
      } finally {
        await dynamo.close();
      }
      return 0;
    }
    case 'privacy':
      return privacy();
    case 'train-model': {
      const knowledge = await loadTaxonomyAndExamples(KNOWLEDGE_DIR);
      const started = performance.now();
      const model = trainTopicModel(knowledge);
      const file = await shippedModelFile(knowledge, model, KNOWLEDGE_DIR);
      writeFileSync(join(KNOWLEDGE_DIR, TOPIC_MODEL_FILE), file);
      console.error(`trained on ${knowledge.examples.length} examples in ${(performance.now() - started).toFixed(0)} ms; wrote ${TOPIC_MODEL_FILE} (${(file.length / 1e6).toFixed(1)} MB)`);
      return 0;
    }
    case 'retrain':
      return retrain();
    case 'model':
      return model();
    case 'gen-taxonomy': {
      console.error(`wrote ${writeTaxonomyModule()}; retrain the topic model if topics changed: npm run assist -- train-model`);
      return 0;
    }
    case 'gen-script-phrases': {
      console.error(`wrote ${writePhrasesModule()}; retrain the topic model if conversions changed: npm run assist -- train-model`);
      return 0;
    }
    case 'build-glossary': {
      const supplementPath = join(KNOWLEDGE_DIR, 'glossary', 'cantonese-hk.tsv');
      const glossary = buildGlossary(readFileSync(supplementPath, 'utf8'), 'glossary/cantonese-hk.tsv');
      writeFileSync(join(KNOWLEDGE_DIR, GLOSSARY_FILE), glossaryFile(glossary));
      console.error(`wrote ${GLOSSARY_FILE} (${glossary.size} words); retrain the topic model: npm run assist -- train-model`);
      return 0;
    }
    case 'openapi':
      process.stdout.write(`${JSON.stringify(reviewApiOpenApi(), null, 2)}\n`);
      return 0;
    case 'help':
      console.log(
        'usage: npm run assist -- <redact [--json] | classify | eval [--train T] --test T [--oos-label L] [--json] | report --from D --to D [--granularity day|week] [--format json|csv|html|district-csv] [--out FILE] | train-model | retrain [--dry-run] [--since ISO] [--json] | model list|promote <version>|rollback [--reason TEXT] | gen-taxonomy | gen-script-phrases | build-glossary | openapi | help>',
      );
      return 0;
    default:
      console.error(`unknown command "${command}"; try: npm run assist -- help`);
      return 2;
  }
}

/** The local data plane: `.local-data` (or --data-dir), as `npm start` and the report command use it. */
const dataDir = () => option('data-dir') ?? join(REPO_ROOT, '.local-data');

/** The shipped model, or with `--model promoted` the version promoted under .local-data/models (what npm start loads). */
async function servingClassifier(): Promise<LocalTopicClassifier> {
  const which = option('model') ?? 'shipped';
  if (which !== 'shipped' && which !== 'promoted') throw new Error('--model must be shipped or promoted');
  const classifier = await LocalTopicClassifier.load(KNOWLEDGE_DIR, which === 'promoted' ? { models: new FileTopicModelStore(dataDir()) } : {});
  if (which === 'promoted') console.error(`model: ${classifier.version}${classifier.fallback ? ` (${classifier.fallback})` : ''}`);
  return classifier;
}
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function retrain(): Promise<number> {
  const knowledgeDir = option('knowledge') ?? KNOWLEDGE_DIR;
  const since = option('since');
  const storeDir = join(dataDir(), 'dynamo');
  // Decisions come from the local store `npm start` leaves; without one, only the examples already collected.
  const dynamo = existsSync(storeDir)
    ? await startLocalDynamo(undefined, { path: storeDir }).catch((error: Error) => {
        throw new Error(`cannot open the local store (${error.message}); stop a running \`npm start\` first`);
      })
    : undefined;
  if (!dynamo) console.error(`no local store in ${storeDir}: using the labelled examples already collected`);
  try {
    const knowledge = await FileKnowledgeBase.load(knowledgeDir);
    console.error('retraining: collecting decisions, then (with enough new ones) training a candidate for 15-60 s…');
    const result = await retrainTopicModel(
      {
        ...(dynamo ? { decided: new DynamoEnquiryStore(dynamo.client, dynamo.tableName) } : {}),
        examples: new FileLabelledExampleStore(dataDir()),
        models: new FileTopicModelStore(dataDir()),
        redactor: createRedactor({ publicNumbers: knowledge.publicContactNumbers() }),
        trainer: await layerTrainer(knowledgeDir),
        gold: await loadGoldSet(knowledgeDir),
        clock: systemClock,
        actor: 'retrain:cli',
      },
      { ...(since ? { since } : {}), ...(flag('dry-run') ? { dryRun: true } : {}) },
    );
    if (flag('json')) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const c = result.collection;
    const skipped = Object.entries(c.skipped).map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`);
    console.log(
      `collected since ${c.since}: ${c.read} decided, ${c.added} new labelled examples${c.alreadyStored ? `, ${c.alreadyStored} already stored` : ''}` +
        `${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}; ${c.stored} stored in all` +
        (c.reRedactedEntities ? `; the second redaction pass replaced ${c.reRedactedEntities} more` : ''),
    );
    if (result.outcome === 'not_enough_new_examples') {
      console.log(`not retrained: ${result.reason}. ${result.serving} keeps serving.`);
      return 0;
    }
    console.log(`candidate trained on the layer's examples plus ${result.agentExamples - result.heldOut} agent examples in ${(result.trainingMs / 1000).toFixed(1)} s; ${result.heldOut} held out`);
    for (const line of formatComparison(result.comparison, result.decision)) console.log(line);
    if (flag('dry-run')) console.log('dry run: nothing stored');
    else console.log(`stored ${result.version}; serving: ${result.serving}${result.outcome === 'promoted' ? ' (npm start and classify --model promoted load it)' : ''}`);
    return 0;
  } finally {
    await dynamo?.close();
  }
}

async function model(): Promise<number> {
  const [action, version] = rest.filter((arg, i) => !arg.startsWith('--') && !rest[i - 1]?.startsWith('--'));
  const store = new FileTopicModelStore(dataDir());
  const by = 'operator:cli';
  switch (action) {
    case 'list': {
      const { versions, pointer, serving } = await listVersions(store);
      const layerDigest = (await layerTrainer(option('knowledge') ?? KNOWLEDGE_DIR)).layerDigest;
      console.log(`serving: ${serving}${serving === 'shipped' ? ' (the model in the knowledge layer)' : ''}`);
      for (const { version: v, card } of versions) {
        const mark = v === serving ? '*' : pointer.previous.some((p) => p.version === v) ? 'p' : ' ';
        if (!card) {
          console.log(`${mark} ${v}  (no card)`);
          continue;
        }
        const gold = card.gold.candidate;
        console.log(
          `${mark} ${v}  ${card.createdAt}  trained on ${card.knowledgeExamples} + ${card.agentExamples} agent examples (${card.agentCorrections} corrections)` +
            `  gold topic ${pct(gold.topicAccuracy)} dept ${pct(gold.departmentAccuracy)} confident-wrong ${pct(gold.confidentWrong)}` +
            `  held-out ${card.heldOut.currentCorrect}→${card.heldOut.candidateCorrect}/${card.heldOut.examples} vs ${card.comparedWith}` +
            `  gate: ${card.gate.promote ? 'passed' : 'refused'}${card.layerDigest === layerDigest ? '' : '  (built on another knowledge layer: not loadable)'}`,
        );
      }
      console.log(`  shipped  the knowledge layer's model (the floor)`);
      for (const entry of pointer.log.slice(0, 5)) console.log(`log: ${entry.at} ${entry.by} ${entry.action} ${entry.from} → ${entry.to}: ${entry.reason}`);
      if (versions.length === 0) console.log('no retrained versions yet: npm run assist -- retrain');
      return 0;
    }
    case 'promote': {
      if (!version) {
        console.error('usage: npm run assist -- model promote <version> [--reason TEXT]');
        return 2;
      }
      const card = await store.card(version);
      const layerDigest = (await layerTrainer(option('knowledge') ?? KNOWLEDGE_DIR)).layerDigest;
      const moved = await promoteVersion(store, version, { by, reason: option('reason') ?? 'promoted by an operator', layerDigest, clock: systemClock });
      if (card && !card.gate.promote) console.error(`note: the gate refused ${version} (${card.gate.reasons.join('; ')}); promoted on the operator's word`);
      console.log(`serving: ${moved.to} (was ${moved.from})`);
      return 0;
    }
    case 'rollback': {
      const moved = await rollbackVersion(store, { by, reason: option('reason') ?? 'rolled back by an operator', clock: systemClock });
      console.log(`serving: ${moved.to} (was ${moved.from})`);
      return 0;
    }
    default:
      console.error('usage: npm run assist -- model list | promote <version> [--reason TEXT] | rollback [--reason TEXT] [--data-dir DIR]');
      return 2;
  }
}

/** `privacy export|erase|sweep` on the local store, through the same domain code as the privacy API. */
async function privacy(): Promise<number> {
  const [action] = rest.filter((arg, i) => !arg.startsWith('--') && !rest[i - 1]?.startsWith('--'));
  const usage = 'usage: npm run assist -- privacy export --number +852… [--format json|html] [--out FILE] [--as NAME] | erase --number +852… [--as NAME] | sweep [--at ISO]';
  if (action !== 'export' && action !== 'erase' && action !== 'sweep') {
    console.error(action ? `unknown privacy action "${action}"\n${usage}` : usage);
    return 2;
  }
  // Validated before the store is opened: a malformed number is refused naming the field.
  const request =
    action === 'export'
      ? parseOrThrow(DataAccessRequestSchema, { number: option('number'), ...(option('format') ? { format: option('format') } : {}) })
      : action === 'erase'
        ? { ...parseOrThrow(ErasureRequestSchema, { number: option('number') }), format: 'json' as const }
        : undefined;
  const at = option('at');
  if (at !== undefined && Number.isNaN(Date.parse(at))) throw new Error('--at: must be an ISO 8601 instant');
  const clock = at ? { now: () => new Date(at) } : systemClock;
  const storeDir = join(dataDir(), 'dynamo');
  if (!existsSync(storeDir)) {
    console.error('no local store yet: run `npm start` (it leaves its data in .local-data) and try again');
    return 1;
  }
  const dynamo = await startLocalDynamo(undefined, { path: storeDir }).catch((error: Error) => {
    throw new Error(`cannot open the local store (${error.message}); stop a running \`npm start\` first`);
  });
  try {
    if (!request) {
      const tables = [dynamo.tableName, dynamo.restrictedTableName, await dynamo.createTable('assist-sms-control')];
      const deleted = await sweepExpired(dynamo.client, tables, clock);
      console.log(`deleted what TTL would have by ${clock.now().toISOString()}: ${Object.entries(deleted).map(([table, n]) => `${table} ${n}`).join(', ')}`);
      return 0;
    }
    const deps: PrivacyDeps = {
      records: new DynamoPrivacyRecords(dynamo.client, dynamo.tableName, dynamo.restrictedTableName),
      store: new DynamoEnquiryStore(dynamo.client, dynamo.tableName, dynamo.restrictedTableName),
      hasher: LocalCallerHasher.fromFile(join(REPO_ROOT, LOCAL_CALLER_HASH_KEY_FILE)),
      clock,
      newRequestId: randomUUID,
    };
    const actor = `cli:${option('as') ?? userInfo().username}`;
    if (action === 'erase') {
      const result = await eraseCallerContactData({ number: request.number, actor }, deps);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      console.error(`request ${result.requestId}: raw contact data erased from ${result.erased.length} settled enquiries, ${result.skipped.length} left (see skipped); audited`);
      return 0;
    }
    const data = await exportCallerData({ number: request.number, actor }, deps);
    const body = request.format === 'html' ? renderExportHtml(data) : `${JSON.stringify(data, null, 2)}\n`;
    const out = option('out');
    if (out) writeFileSync(out, body, { mode: 0o600 });
    else process.stdout.write(body);
    console.error(`request ${data.requestId}: ${data.enquiries.length} enquiries exported as ${request.format}${out ? ` to ${out}` : ''}; audited`);
    return 0;
  } finally {
    await dynamo.close();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // Operator-facing: the message names the field or the problem; no stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
