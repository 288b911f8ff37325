/**
 * Sampled points read back from Qdrant (retrieve with vector and payload) and compared with the source:
 * the vector against the FAISS original, the payload against what `buildPayload` makes of the document
 * the source holds for that label. Differences are named by point id and FAISS label.
 */
import type { CheckResult, Distance, Mismatch } from '../../../shared/contract';
import { shortestFloat32 } from '../float32';
import { pointIdForLabel, pointIdToString, type LabelPointIds, type PointId } from '../point-id';
import { comparePayload, sideOf } from './payload-compare';
import { rawIdToString, type QdrantRest, type RawPoint } from './qdrant-rest';
import type { SampledPoint, VerifyProgressListener } from './types';
import { compareVector } from './vector-compare';

const RETRIEVE_CHUNK = 256;
const EXAMPLES = 10;
/** Structured mismatches kept per check (the UI shows them side by side). */
const MISMATCHES = 20;

/** A float32 component as the shortest decimal that reads back as it (what Qdrant prints). */
function float32Side(v: number): Mismatch['source'] {
  return { type: 'float', text: Object.is(v, -0) ? '-0.0' : String(shortestFloat32(v)) };
}

export interface SampleCheckOptions {
  distance: Distance;
  /** Label → point id as the run wrote it; FAISS labels when omitted. */
  pointId?: LabelPointIds;
  /** The payload the migration writes for a sampled point (run fields are ignored when comparing). */
  expectedPayload: (point: SampledPoint) => Record<string, unknown>;
  /** Vector failures found elsewhere (repeated labels none of whose vectors Qdrant holds). */
  extraVectorFailures?: Failure[];
  onProgress?: VerifyProgressListener;
}

export interface Failure {
  pointId: string;
  faissId: string;
  reason: string;
}

export async function checkSample(qdrant: QdrantRest, sample: SampledPoint[], o: SampleCheckOptions): Promise<CheckResult[]> {
  const vectorFailures: Failure[] = [...(o.extraVectorFailures ?? [])];
  let shadowed = 0;
  const payloadFailures: Failure[] = [];
  let vectorsOk = 0;
  let payloadsOk = 0;
  let maxCosineDiff = 0;
  const vectorMismatches: Mismatch[] = [];
  const payloadMismatches: Mismatch[] = [];
  /** Values Qdrant's own JSON number parser changed: reported, not failures. */
  let numberParsing = 0;
  const missing = (pointId: string, faissId: string): Mismatch => ({
    kind: 'payload',
    pointId,
    faissId,
    path: '',
    source: { type: 'dict', text: '(the point)' },
    qdrant: { type: 'missing', text: '(missing)' },
    cause: 'missing-point',
    explanation: 'the point is not in the collection',
  });
  for (let start = 0; start < sample.length; start += RETRIEVE_CHUNK) {
    const chunk = sample.slice(start, start + RETRIEVE_CHUNK);
    const ids: PointId[] = chunk.map((p) => (o.pointId ?? pointIdForLabel)(p.label));
    const got = new Map<string, RawPoint>();
    for (const point of await qdrant.retrieve(ids, true, true)) got.set(rawIdToString(point.id), point);
    chunk.forEach((p, i) => {
      const id = pointIdToString(ids[i]!);
      const faissId = p.label.toString();
      const stored = got.get(id);
      if (!stored) {
        vectorFailures.push({ pointId: id, faissId, reason: 'point is missing from the collection' });
        payloadFailures.push({ pointId: id, faissId, reason: 'point is missing from the collection' });
        if (vectorMismatches.length < MISMATCHES) vectorMismatches.push({ ...missing(id, faissId), kind: 'vector' });
        if (payloadMismatches.length < MISMATCHES) payloadMismatches.push(missing(id, faissId));
        return;
      }
      const v = p.shadowed ? null : compareVector(o.distance, p.vector, stored.vector);
      if (v === null) shadowed++;
      else if (v.equal) {
        vectorsOk++;
        if (o.distance === 'Cosine') maxCosineDiff = Math.max(maxCosineDiff, v.maxAbsDiff);
      } else {
        vectorFailures.push({ pointId: id, faissId, reason: v.reason ?? 'differs' });
        if (vectorMismatches.length < MISMATCHES) {
          const f = v.first;
          vectorMismatches.push({
            kind: 'vector',
            pointId: id,
            faissId,
            path: f ? `vector[${f.index}]` : 'vector',
            source: f ? float32Side(f.want) : { type: 'list', text: `(${p.vector.length} floats)` },
            qdrant: f ? (typeof f.got === 'number' ? float32Side(Math.fround(f.got)) : sideOf(f.got)) : sideOf(stored.vector ?? undefined),
            cause: 'mismatch',
            explanation: v.reason ?? 'the stored vector differs',
          });
        }
      }
      const pl = comparePayload(o.expectedPayload(p), stored.payload);
      for (const d of pl.differences) {
        if (d.cause === 'qdrant-json-number') numberParsing++;
        if (payloadMismatches.length < MISMATCHES) payloadMismatches.push({ kind: 'payload', pointId: id, faissId, ...d });
      }
      if (pl.equal) payloadsOk++;
      else payloadFailures.push({ pointId: id, faissId, reason: pl.reason ?? 'differs' });
    });
    o.onProgress?.({ phase: 'sample', done: start + chunk.length, total: sample.length, message: `compared ${start + chunk.length}/${sample.length} sampled points` });
  }
  const n = sample.length;
  const compared = n - shadowed;
  const shadowNote = shadowed ? ` (${shadowed} more sampled rows repeat a label whose other vector Qdrant holds)` : '';
  const how = o.distance === 'Cosine' ? 'equal after normalisation' : 'bit-exact';
  const name = (f: Failure) => `point ${f.pointId}${f.pointId === f.faissId ? '' : ` (faiss id ${f.faissId})`}: ${f.reason}`;
  const vectors: CheckResult = {
    name: 'vectors',
    passed: vectorFailures.length === 0,
    summary:
      vectorFailures.length === 0
        ? `${vectorsOk}/${compared} sampled vectors ${how}${shadowNote}`
        : `${vectorsOk}/${compared} sampled vectors ${how}; ${name(vectorFailures[0]!)}${vectorFailures.length > 1 ? ` (and ${vectorFailures.length - 1} more)` : ''}${shadowNote}`,
    details: {
      sampled: compared,
      ...(shadowed ? { repeatedLabelRows: shadowed } : {}),
      matching: vectorsOk,
      comparison: how,
      ...(o.distance === 'Cosine' ? { maxAbsDiff: maxCosineDiff } : {}),
      failures: vectorFailures.slice(0, EXAMPLES),
      failuresTotal: vectorFailures.length,
      mismatches: vectorMismatches,
    },
  };
  // Differences Qdrant's JSON number parsing made are named beside the verdict, never hidden, never failures.
  const parsingNote = numberParsing
    ? ` (${numberParsing} number${numberParsing > 1 ? 's' : ''} stored as Qdrant's REST JSON parser reads ${numberParsing > 1 ? 'them' : 'it'}, as for any client: see the mismatches)`
    : '';
  const payloads: CheckResult = {
    name: 'payloads',
    passed: payloadFailures.length === 0,
    summary:
      payloadFailures.length === 0
        ? `${payloadsOk}/${n} sampled payloads match the source${parsingNote}`
        : `${payloadsOk}/${n} sampled payloads match; ${name(payloadFailures[0]!)}${payloadFailures.length > 1 ? ` (and ${payloadFailures.length - 1} more)` : ''}${parsingNote}`,
    details: {
      sampled: n,
      matching: payloadsOk,
      failures: payloadFailures.slice(0, EXAMPLES),
      failuresTotal: payloadFailures.length,
      qdrantNumberParsing: numberParsing,
      mismatches: payloadMismatches,
    },
  };
  return [vectors, payloads];
}
