import * as z from 'zod/mini';
import { parseOrThrow } from '../validation.ts';
import { FEATURE_INDEX_SCHEME, featureNameIndex, featureNameList, featureNamesFromIndex } from './feature-names.ts';
import type { LocalTopicModelJson, ModelPartArrays, ModelPartsArrays } from './local-topic-model.ts';
import type { SerialisedModel } from './text-classifier.ts';

/*
 * The shipped topic model as one binary file (model/topic-model.bin) instead of 9.8 MB of JSON: classify
 * parsed that JSON at every cold start (~200 ms, and the string, 61 000 feature names and base64 text held in
 * memory at once). Here the large arrays are raw little-endian typed arrays after a small JSON header:
 *
 *   u32 header length | header JSON (UTF-8) | padding to 8 | blobs, each starting on an 8-byte boundary
 *
 * per classifier: feature names (UTF-8, one per line), their index (line starts and the hash table from name to
 * feature, int32: feature-names.ts, built here so a cold start does not hash 900 000 characters), idf (float64),
 * weights (int8, feature-major), weight scales (float32). Everything else of the serialised classifier (labels, bias, calibration, feature options)
 * sits in the header as it does in the JSON. The encoding is lossless: decoding gives back exactly the
 * `SerialisedModel` objects `TextClassifier.toJSON` wrote, and `TextClassifier.fromJSON` validates and loads
 * them as before. Only the form on disk changed; training is untouched.
 */

const FORMAT = '1823-assist/topic-model.bin';
// 2: the feature name index is in the file (version 1 files are refused: `npm run assist -- train-model`).
const VERSION = 2;
const ALIGN = 8;

const BLOBS = ['features', 'featureStarts', 'featureSlots', 'idf', 'weights', 'weightScales'] as const;
type Blob = (typeof BLOBS)[number];

/** A shipped model: what it was trained on (the layer's training digest) and the model. */
export interface ShippedModel {
  trainedOn: string;
  /** Digest of the layer files' bytes it was trained from (see layerFilesDigest in local-topic-classifier.ts). */
  layerFiles?: string;
  model: LocalTopicModelJson;
}

const Span = z.tuple([z.int().check(z.nonnegative()), z.int().check(z.nonnegative())]);
const PartSchema = z.looseObject({ blobs: z.object({ features: Span, featureStarts: Span, featureSlots: Span, idf: Span, weights: Span, weightScales: Span }) });
const HeaderSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  featureIndex: z.literal(FEATURE_INDEX_SCHEME),
  trainedOn: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  layerFiles: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  parts: z.object({ topics: PartSchema, caseTypes: z.optional(PartSchema) }),
});

const padded = (length: number): number => Math.ceil(length / ALIGN) * ALIGN;

function featureText(model: SerialisedModel): string {
  if (model.features.some((name) => name.includes('\n'))) throw new Error('a feature name contains a line break: it cannot be stored one per line');
  return model.features.join('\n');
}

const int32Bytes = (array: Int32Array): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

function blobBytes(model: SerialisedModel, blob: Blob, index: () => ReturnType<typeof featureNameIndex>): Buffer {
  switch (blob) {
    case 'features':
      return Buffer.from(featureText(model), 'utf8');
    case 'featureStarts':
      return int32Bytes(index().starts);
    case 'featureSlots':
      return int32Bytes(index().slots);
    case 'idf':
      return Buffer.from(Float64Array.from(model.idf).buffer);
    case 'weights':
      return Buffer.from(model.weights, 'base64');
    case 'weightScales':
      return Buffer.from(model.weightScales, 'base64');
  }
}

/** The model file's bytes. */
export function encodeShippedModel({ trainedOn, layerFiles, model }: ShippedModel): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const part = (serialised: SerialisedModel) => {
    const { features: _f, idf: _i, weights: _w, weightScales: _s, ...rest } = serialised;
    const blobs = {} as Record<Blob, [number, number]>;
    let index: ReturnType<typeof featureNameIndex> | undefined;
    for (const blob of BLOBS) {
      const bytes = blobBytes(serialised, blob, () => (index ??= featureNameIndex(featureText(serialised))));
      blobs[blob] = [offset, bytes.length];
      chunks.push(bytes, Buffer.alloc(padded(bytes.length) - bytes.length));
      offset += padded(bytes.length);
    }
    return { ...rest, blobs };
  };
  const parts = { topics: part(model.topics), ...(model.caseTypes ? { caseTypes: part(model.caseTypes) } : {}) };
  const header = Buffer.from(JSON.stringify({ format: FORMAT, version: VERSION, featureIndex: FEATURE_INDEX_SCHEME, trainedOn, ...(layerFiles ? { layerFiles } : {}), parts }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const start = padded(4 + header.length);
  return Buffer.concat([length, header, Buffer.alloc(start - 4 - header.length), ...chunks]);
}

/** A shipped model as classify loads it: the classifiers' typed arrays straight from the file (no JSON form). */
export interface ShippedModelArrays {
  trainedOn: string;
  layerFiles?: string;
  parts: ModelPartsArrays;
}

/** Reads a model file into typed arrays; a truncated or foreign file is refused with a clear error. */
export function decodeShippedModelArrays(bytes: Uint8Array): ShippedModelArrays {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 4) throw new Error('topic model file is truncated');
  const headerLength = buffer.readUInt32LE(0);
  if (4 + headerLength > buffer.length) throw new Error('topic model file is truncated');
  let json: unknown;
  try {
    json = JSON.parse(buffer.toString('utf8', 4, 4 + headerLength));
  } catch {
    throw new Error(`topic model file is not a ${FORMAT} file`);
  }
  const header = parseOrThrow(HeaderSchema, json);
  const start = padded(4 + headerLength);
  const slice = ([offset, length]: [number, number]): Buffer => {
    if (start + offset + length > buffer.length) throw new Error('topic model file is truncated');
    return buffer.subarray(start + offset, start + offset + length);
  };
  // A view when the bytes sit on the element size in memory (they do in the file), else an aligned copy.
  const typed = <T>(bytesOf: Buffer, size: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T => {
    if (bytesOf.length % size !== 0) throw new Error('serialised classifier has inconsistent array lengths');
    const aligned = bytesOf.byteOffset % size === 0 ? bytesOf : Buffer.from(bytesOf);
    return make(aligned.buffer, aligned.byteOffset, aligned.length / size);
  };
  const part = ({ blobs, ...rest }: z.infer<typeof PartSchema>): ModelPartArrays => {
    const features = slice(blobs.features).toString('utf8');
    const index = { starts: typed(slice(blobs.featureStarts), 4, (b, o, n) => new Int32Array(b, o, n)), slots: typed(slice(blobs.featureSlots), 4, (b, o, n) => new Int32Array(b, o, n)) };
    return {
      header: rest,
      arrays: {
        features: featureNamesFromIndex(features, index),
        idf: typed(slice(blobs.idf), 8, (b, o, n) => new Float64Array(b, o, n)),
        levels: typed(slice(blobs.weights), 1, (b, o, n) => new Int8Array(b, o, n)),
        scales: typed(slice(blobs.weightScales), 4, (b, o, n) => new Float32Array(b, o, n)),
      },
    };
  };
  const { topics, caseTypes } = header.parts;
  return {
    trainedOn: header.trainedOn,
    ...(header.layerFiles ? { layerFiles: header.layerFiles } : {}),
    parts: { topics: part(topics), ...(caseTypes ? { caseTypes: part(caseTypes) } : {}) },
  };
}

/** Reads a model file back into the serialised (JSON) form it was written from: lossless, for tools and tests. */
export function decodeShippedModel(bytes: Uint8Array): ShippedModel {
  const { parts, ...rest } = decodeShippedModelArrays(bytes);
  const part = ({ header, arrays }: ModelPartArrays): SerialisedModel => ({
    ...(header as Omit<SerialisedModel, Blob>),
    features: featureNameList(arrays.features),
    idf: Array.from(arrays.idf),
    weights: Buffer.from(arrays.levels.buffer, arrays.levels.byteOffset, arrays.levels.byteLength).toString('base64'),
    weightScales: Buffer.from(arrays.scales.buffer, arrays.scales.byteOffset, arrays.scales.byteLength).toString('base64'),
  });
  return { ...rest, model: { topics: part(parts.topics), ...(parts.caseTypes ? { caseTypes: part(parts.caseTypes) } : {}) } };
}

/** Only the training digest, without decoding the arrays (what the bench and staleness checks need). */
export function shippedModelDigest(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = buffer.readUInt32LE(0);
  return parseOrThrow(HeaderSchema, JSON.parse(buffer.toString('utf8', 4, 4 + headerLength))).trainedOn;
}
