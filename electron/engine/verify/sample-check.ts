/**
 * Sampled points read back from Qdrant (retrieve with vector and payload) and compared with the source:
 * the vector against the FAISS original, the payload against what `buildPayload` makes of the document
 * the source holds for that label. Differences are named by point id and FAISS label.
 */
import type { CheckResult, Distance } from '../../../shared/contract';
import { pointIdForLabel, pointIdToString, type PointId } from '../point-id';
import { comparePayload } from './payload-compare';
import { rawIdToString, type QdrantRest, type RawPoint } from './qdrant-rest';
import type { SampledPoint, VerifyProgressListener } from './types';
import { compareVector } from './vector-compare';

const RETRIEVE_CHUNK = 256;
const EXAMPLES = 10;

export interface SampleCheckOptions {
  distance: Distance;
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
  for (let start = 0; start < sample.length; start += RETRIEVE_CHUNK) {
    const chunk = sample.slice(start, start + RETRIEVE_CHUNK);
    const ids: PointId[] = chunk.map((p) => pointIdForLabel(p.label));
    const got = new Map<string, RawPoint>();
    for (const point of await qdrant.retrieve(ids, true, true)) got.set(rawIdToString(point.id), point);
    chunk.forEach((p, i) => {
      const id = pointIdToString(ids[i]!);
      const faissId = p.label.toString();
      const stored = got.get(id);
      if (!stored) {
        vectorFailures.push({ pointId: id, faissId, reason: 'point is missing from the collection' });
        payloadFailures.push({ pointId: id, faissId, reason: 'point is missing from the collection' });
        return;
      }
      const v = p.shadowed ? null : compareVector(o.distance, p.vector, stored.vector);
      if (v === null) shadowed++;
      else if (v.equal) {
        vectorsOk++;
        if (o.distance === 'Cosine') maxCosineDiff = Math.max(maxCosineDiff, v.maxAbsDiff);
      } else vectorFailures.push({ pointId: id, faissId, reason: v.reason ?? 'differs' });
      const pl = comparePayload(o.expectedPayload(p), stored.payload);
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
    },
  };
  const payloads: CheckResult = {
    name: 'payloads',
    passed: payloadFailures.length === 0,
    summary:
      payloadFailures.length === 0
        ? `${payloadsOk}/${n} sampled payloads match the source`
        : `${payloadsOk}/${n} sampled payloads match; ${name(payloadFailures[0]!)}${payloadFailures.length > 1 ? ` (and ${payloadFailures.length - 1} more)` : ''}`,
    details: { sampled: n, matching: payloadsOk, failures: payloadFailures.slice(0, EXAMPLES), failuresTotal: payloadFailures.length },
  };
  return [vectors, payloads];
}
