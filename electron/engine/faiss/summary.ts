/** The IndexSummary `inspect`, the UI and the engine show for a parsed FAISS file. */
import type { IndexSummary } from '../../../shared/contract';
import { METRICS } from './catalogue';
import type { ParsedIndex } from './layout';

/**
 * Bytes Qdrant needs per point, roughly: the float32 vector (stored on disk), the point id, the default HNSW
 * graph's level-0 links (m=16 → 32 links of 4 bytes, plus upper levels), and a payload of the seed's four
 * fields (~256 bytes with keys and index entries). Documents in the payload come on top (the source adds them).
 */
export function qdrantBytesEstimate(count: number, d: number): number {
  const perPoint = 4 * d + 8 + 32 * 4 * 1.1 + 256;
  return Math.round(count * perPoint);
}

export function summarize(p: ParsedIndex, fileSize: number): IndexSummary {
  const warnings = [...p.warnings];
  if (p.metricType > 1) {
    warnings.push(
      `FAISS metric ${METRICS[p.metricType]} has no exact Qdrant distance: reported as "l2" (Euclid); choose the collection's distance yourself`,
    );
  }
  if (!p.store.decoder.exact) {
    warnings.push(`vectors are decoded from ${p.store.decoder.describe} codes: approximations of the originals, as FAISS reconstructs them`);
  }
  if (p.store.kind === 'ivf' && p.labelMaps.length) {
    warnings.push(`the id map is held in memory while reading (${Math.ceil((8 * p.ntotal) / 1048576)} MB)`);
  }
  return {
    indexType: p.indexType,
    fourcc: p.fourcc,
    chain: p.chain,
    dimension: p.d,
    count: p.ntotal,
    metric: p.metricType === 0 ? 'ip' : 'l2',
    exact: p.store.decoder.exact,
    fileSize,
    qdrantBytesEstimate: qdrantBytesEstimate(p.ntotal, p.d),
    dataFiles: p.dataFiles.map((f) => f.path),
    warnings,
  };
}
