/**
 * The FAISS vector beside a Qdrant point, so a user can see with their own eyes that it arrived exactly.
 * The run's source comes from the Redis state (its config names the path, its fingerprint proves the file
 * is the one migrated); the point's `faiss_id` is the exact label and `batch_num` × batch size narrows the
 * search to one batch of positional reads, so nothing is loaded whole.
 */
import { readMigrationField, type PointView, type SourceFingerprint, type StateView } from '../../../shared/contract';
import type { FaissIndexReader } from '../faiss/types';
import { shortestFloat32 } from '../float32';

/**
 * Only the FAISS file is opened (not the docstore beside it: a large pickle would be parsed for one
 * vector). The fingerprint recorded by the run names that file exactly.
 */
export interface SourceVectorDeps {
  stateView: () => Promise<StateView>;
  openIndex: (path: string) => Promise<FaissIndexReader>;
  fingerprint: (path: string) => Promise<SourceFingerprint>;
}

export interface SourceVectorResult {
  sourceVector: number[] | null;
  sourceNote: string | null;
}

const SCAN_BATCH = 16_384;

function labelOf(point: PointView): bigint | null {
  // `_xnai.faiss_id` in the framework layouts, `faiss_id` in the raw layout
  const raw = readMigrationField(point.payload, 'faiss_id');
  if (typeof raw === 'number' && Number.isInteger(raw)) return BigInt(raw);
  if (typeof raw === 'string' && /^-?\d+$/.test(raw)) return BigInt(raw);
  if (typeof raw === 'bigint') return raw;
  return /^\d+$/.test(point.id) ? BigInt(point.id) : null;
}

function rowOf(ids: BigInt64Array, label: bigint): number {
  for (let i = 0; i < ids.length; i++) if (ids[i] === label) return i;
  return -1;
}

/** Find the label's vector: its batch first, then ordinal == label (plain flat indexes), then a bounded scan. */
export async function vectorForLabel(index: FaissIndexReader, label: bigint, hint: { batchNum?: number; batchSize?: number }): Promise<number[] | null> {
  const dim = index.summary.dimension;
  const pick = (vectors: Float32Array, row: number) => Array.from(vectors.subarray(row * dim, (row + 1) * dim), shortestFloat32);
  if (hint.batchNum !== undefined && hint.batchSize !== undefined && hint.batchSize > 0) {
    const b = await index.readRange(hint.batchNum * hint.batchSize, hint.batchSize);
    const row = rowOf(b.ids, label);
    if (row >= 0) return pick(b.vectors, row);
  }
  if (label >= 0n && label < BigInt(index.summary.count)) {
    const b = await index.readRange(Number(label), 1);
    if (b.count === 1 && b.ids[0] === label) return pick(b.vectors, 0);
  }
  for await (const b of index.batches({ batchSize: SCAN_BATCH, reuseBuffers: true })) {
    const row = rowOf(b.ids, label);
    if (row >= 0) return pick(b.vectors, row);
  }
  return null;
}

export async function sourceVectorFor(point: PointView, deps: SourceVectorDeps): Promise<SourceVectorResult> {
  const label = labelOf(point);
  if (label === null) return { sourceVector: null, sourceNote: 'the point has no faiss_id (or _xnai.faiss_id) in its payload, so its FAISS vector cannot be looked up' };
  let view: StateView;
  try {
    view = await deps.stateView();
  } catch (e) {
    return { sourceVector: null, sourceNote: `the run's source is unknown: ${e instanceof Error ? e.message : String(e)}` };
  }
  const state = view.state;
  if (!state) return { sourceVector: null, sourceNote: `no migration state under "${view.key}" in Redis, so the run's source is unknown` };
  const path = state.source.path;
  let index: FaissIndexReader;
  try {
    const fp = await deps.fingerprint(path);
    if (fp.size !== state.source.size || fp.headerSha256 !== state.source.headerSha256) {
      return { sourceVector: null, sourceNote: `${path} changed since the run (size or header differs), so its vectors are not comparable` };
    }
    index = await deps.openIndex(path);
  } catch (e) {
    return { sourceVector: null, sourceNote: `the run's source ${path} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    const batchNum = readMigrationField(point.payload, 'batch_num');
    const vector = await vectorForLabel(index, label, {
      batchNum: typeof batchNum === 'number' ? batchNum : undefined,
      batchSize: state.batch_size,
    });
    if (!vector) return { sourceVector: null, sourceNote: `FAISS label ${label} is not in ${path}` };
    const notes = [`FAISS label ${label} from ${path}`];
    if (state.distance === 'Cosine') notes.push('Qdrant stores Cosine vectors normalised to unit length, so they differ from the FAISS vector by a scale factor');
    if (!index.summary.exact) notes.push('the index stores quantized codes, so the FAISS vector is a reconstruction');
    return { sourceVector: vector, sourceNote: notes.join('; ') };
  } finally {
    await index.close();
  }
}
