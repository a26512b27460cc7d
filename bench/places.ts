/**
 * Place → district speed (`npm run bench -- --only places`): building the gazetteer's index (once per cold start
 * of classify) and locating one enquiry, against masking the same text (what classification already pays per
 * enquiry, with the index approach locating shares). Texts: the labelled place mentions, redacted as in production.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadGazetteer } from '../shared/adapters/in-process/gazetteer-file.ts';
import { normaliseEnquiryText } from '../shared/domain/classification/normalise.ts';
import { maskPlaces } from '../shared/domain/classification/places.ts';
import { gazetteerFromTsv, gazetteerNames, publicPlaceNames } from '../shared/domain/location/gazetteer.ts';
import { locatePlace } from '../shared/domain/location/locate.ts';
import { createRedactor } from '../shared/domain/redaction/index.ts';
import { PLACE_MENTIONS_FILE } from '../local/eval-places.ts';
import { KNOWLEDGE_DIR } from '../local/paths.ts';
import { median, percentile, round, type BenchOptions, type Table } from './lib.ts';

export interface PlacesData {
  places: number;
  indexMs: number;
  locateP50Us: number;
  locateP99Us: number;
  maskP50Us: number;
  ratioToMask: number;
}

const ROUNDS: Record<BenchOptions['scale'], number> = { tiny: 1, quick: 5, full: 20 };

export async function benchPlaces(options: BenchOptions): Promise<{ tables: Table[]; data: PlacesData }> {
  const gazetteer = await loadGazetteer(KNOWLEDGE_DIR);
  const redactor = createRedactor({ publicPlaces: publicPlaceNames(gazetteer) });
  const texts = readFileSync(PLACE_MENTIONS_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => redactor.redact((JSON.parse(line) as { text: string }).text).text);
  // A fresh copy is a fresh index (indexes are cached per gazetteer array), as at a cold start.
  const fresh = gazetteerFromTsv(readFileSync(`${KNOWLEDGE_DIR}/glossary/places-hk.tsv`, 'utf8'));
  // The script converters are built once per process whatever uses them first (classification does anyway).
  normaliseEnquiryText('測試测试');
  const indexStarted = performance.now();
  locatePlace('', fresh);
  const indexMs = performance.now() - indexStarted;
  const names = gazetteerNames(gazetteer).map(normaliseEnquiryText);
  const locate: number[] = [];
  const mask: number[] = [];
  for (let round = 0; round < ROUNDS[options.scale]; round++) {
    for (const text of texts) {
      let started = performance.now();
      locatePlace(text, gazetteer);
      locate.push((performance.now() - started) * 1000);
      const normalised = normaliseEnquiryText(text);
      started = performance.now();
      maskPlaces(normalised, names);
      mask.push((performance.now() - started) * 1000);
    }
  }
  const data: PlacesData = {
    places: gazetteer.length,
    indexMs: round(indexMs),
    locateP50Us: round(median(locate)),
    locateP99Us: round(percentile(locate, 0.99)),
    maskP50Us: round(median(mask)),
    ratioToMask: round(median(locate) / median(mask), 2),
  };
  return {
    tables: [
      {
        title: 'Place → district',
        columns: ['gazetteer places', 'index build (ms, converters warm)', 'locate p50 (µs)', 'locate p99 (µs)', 'mask p50 (µs)', 'locate / mask'],
        rows: [[data.places, data.indexMs, data.locateP50Us, data.locateP99Us, data.maskP50Us, data.ratioToMask]],
        notes: [`${texts.length} redacted place mentions × ${ROUNDS[options.scale]} rounds; locate includes script conversion of the text, mask does not (its text is already normalised).`],
      },
    ],
    data,
  };
}
