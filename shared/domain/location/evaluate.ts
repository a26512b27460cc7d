import * as z from 'zod/mini';
import { DISTRICT_IDS, type DistrictId, type EnquiryLocation } from '#vocabulary/districts.ts';
import { LANGUAGES } from '../../vocabulary/languages.ts';
import { parseJsonlOrThrow } from '../validation.ts';

/*
 * Quality of place → district on a labelled set of caller sentences (test/eval/data/place-mentions.jsonl,
 * behind `npm run assist -- eval-places` and the eval test). Found places are scored by accuracy; ambiguous and
 * unknown are reported separately, as precision and recall of that status, because their errors differ: a wrong
 * district misleads a supervisor, an unknown only leaves a gap.
 */

const District = z.enum(DISTRICT_IDS as [DistrictId, ...DistrictId[]]);

const PlaceMentionSchema = z.discriminatedUnion('status', [
  z.object({ id: z.string(), text: z.string().check(z.minLength(1)), language: z.enum(LANGUAGES), style: z.string(), status: z.literal('found'), district: District }),
  z.object({
    id: z.string(),
    text: z.string().check(z.minLength(1)),
    language: z.enum(LANGUAGES),
    style: z.string(),
    status: z.literal('ambiguous'),
    candidates: z.array(District).check(z.minLength(2)),
  }),
  z.object({ id: z.string(), text: z.string().check(z.minLength(1)), language: z.enum(LANGUAGES), style: z.string(), status: z.literal('unknown') }),
]);
export type PlaceMention = z.infer<typeof PlaceMentionSchema>;

export function parsePlaceMentions(jsonl: string, source = 'place-mentions'): PlaceMention[] {
  return parseJsonlOrThrow(PlaceMentionSchema, jsonl, source);
}

export interface StatusFigures {
  labelled: number;
  predicted: number;
  precision: number | null;
  recall: number | null;
}

export interface PlaceEvaluation {
  mentions: number;
  /** Found mentions located in the labelled district. */
  foundAccuracy: number;
  foundLabelled: number;
  /** Mentions (any label) located in a district other than the labelled one: the misleading error. */
  wrongDistrict: number;
  ambiguous: StatusFigures & { /** Correctly ambiguous mentions whose candidates are exactly the labelled ones. */ candidatesExact: number | null };
  unknown: StatusFigures;
  /** Found accuracy by language. */
  foundAccuracyByLanguage: Record<string, { accuracy: number; mentions: number }>;
  errors: { id: string; text: string; expected: string; got: string }[];
}

function describe(location: Pick<EnquiryLocation, 'status' | 'district' | 'candidates'>): string {
  if (location.status === 'found') return `found ${location.district}`;
  if (location.status === 'ambiguous') return `ambiguous ${(location.candidates ?? []).join(',')}`;
  return 'unknown';
}

const ratio = (hits: number, total: number) => (total === 0 ? null : hits / total);

/** Locates every mention with `locate` and scores it against its label. */
export function evaluatePlaceMentions(mentions: readonly PlaceMention[], locate: (text: string) => EnquiryLocation): PlaceEvaluation {
  const results = mentions.map((mention) => ({ mention, got: locate(mention.text) }));
  const found = results.filter(({ mention }) => mention.status === 'found');
  const correct = ({ mention, got }: (typeof results)[number]) =>
    mention.status === 'found'
      ? got.status === 'found' && got.district === mention.district
      : mention.status === 'ambiguous'
        ? got.status === 'ambiguous'
        : got.status === 'unknown';
  const figures = (status: 'ambiguous' | 'unknown'): StatusFigures => {
    const labelled = results.filter(({ mention }) => mention.status === status).length;
    const predicted = results.filter(({ got }) => got.status === status).length;
    const both = results.filter(({ mention, got }) => mention.status === status && got.status === status).length;
    return { labelled, predicted, precision: ratio(both, predicted), recall: ratio(both, labelled) };
  };
  const ambiguousHits = results.filter(({ mention, got }) => mention.status === 'ambiguous' && got.status === 'ambiguous');
  const candidatesExact = ambiguousHits.filter(({ mention, got }) => mention.status === 'ambiguous' && [...mention.candidates].sort().join() === [...(got.candidates ?? [])].sort().join()).length;
  const byLanguage: PlaceEvaluation['foundAccuracyByLanguage'] = {};
  for (const language of new Set(found.map(({ mention }) => mention.language))) {
    const subset = found.filter(({ mention }) => mention.language === language);
    byLanguage[language] = { accuracy: subset.filter(correct).length / subset.length, mentions: subset.length };
  }
  return {
    mentions: mentions.length,
    foundAccuracy: found.length === 0 ? 0 : found.filter(correct).length / found.length,
    foundLabelled: found.length,
    wrongDistrict: results.filter(({ mention, got }) => got.status === 'found' && !(mention.status === 'found' && mention.district === got.district)).length,
    ambiguous: { ...figures('ambiguous'), candidatesExact: ratio(candidatesExact, ambiguousHits.length) },
    unknown: figures('unknown'),
    foundAccuracyByLanguage: byLanguage,
    errors: results
      .filter((result) => !correct(result))
      .map(({ mention, got }) => ({
        id: mention.id,
        text: mention.text,
        expected: describe({ status: mention.status, ...(mention.status === 'found' ? { district: mention.district } : {}), ...(mention.status === 'ambiguous' ? { candidates: mention.candidates } : {}) }),
        got: describe(got),
      })),
  };
}

/** The report as lines for a terminal. */
export function formatPlaceEvaluation(report: PlaceEvaluation): string[] {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  return [
    `${report.mentions} place mentions`,
    `found: accuracy ${pct(report.foundAccuracy)} on ${report.foundLabelled} (${Object.entries(report.foundAccuracyByLanguage)
      .map(([language, { accuracy, mentions }]) => `${language} ${pct(accuracy)} of ${mentions}`)
      .join(', ')})`,
    `located in a wrong district: ${report.wrongDistrict}`,
    `ambiguous: precision ${pct(report.ambiguous.precision)}, recall ${pct(report.ambiguous.recall)} (${report.ambiguous.labelled} labelled, ${report.ambiguous.predicted} predicted); candidates exact ${pct(report.ambiguous.candidatesExact)}`,
    `unknown: precision ${pct(report.unknown.precision)}, recall ${pct(report.unknown.recall)} (${report.unknown.labelled} labelled, ${report.unknown.predicted} predicted)`,
  ];
}
