/**
 * The FAISS source vector beside the one Qdrant holds, compared as float32 (what both store). A Cosine
 * collection stores vectors normalised to unit length, so a mismatch there is checked again against the
 * normalised source before calling it a difference.
 */
export type VectorVerdict =
  | { kind: 'exact'; dims: number }
  | { kind: 'normalised'; dims: number; maxAbsDiff: number }
  | { kind: 'different'; dims: number; differing: number; maxAbsDiff: number; firstIndex: number }
  | { kind: 'dimension'; qdrant: number; source: number };

const f32 = Math.fround;

export function compareVectors(qdrant: readonly number[], source: readonly number[]): VectorVerdict {
  if (qdrant.length !== source.length) return { kind: 'dimension', qdrant: qdrant.length, source: source.length };
  let differing = 0;
  let maxAbsDiff = 0;
  let firstIndex = -1;
  for (let i = 0; i < qdrant.length; i++) {
    const d = Math.abs(f32(qdrant[i]!) - f32(source[i]!));
    if (d !== 0) {
      differing++;
      if (firstIndex < 0) firstIndex = i;
    }
    if (d > maxAbsDiff) maxAbsDiff = d;
  }
  if (differing === 0) return { kind: 'exact', dims: qdrant.length };
  let norm = 0;
  for (const v of source) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) {
    let maxNormDiff = 0;
    for (let i = 0; i < qdrant.length; i++) maxNormDiff = Math.max(maxNormDiff, Math.abs(f32(qdrant[i]!) - f32(source[i]! / norm)));
    // float32 has ~7 significant digits; normalisation in Qdrant (f32) and here (f64 then rounded) may differ in the last bit.
    if (maxNormDiff <= 1e-6) return { kind: 'normalised', dims: qdrant.length, maxAbsDiff: maxNormDiff };
  }
  return { kind: 'different', dims: qdrant.length, differing, maxAbsDiff, firstIndex };
}

export function describeVerdict(v: VectorVerdict): string {
  switch (v.kind) {
    case 'exact':
      return `All ${v.dims} components are bit-identical (float32).`;
    case 'normalised':
      return `Equal after normalising the source to unit length, as Qdrant does for Cosine collections (max difference ${v.maxAbsDiff.toExponential(1)}).`;
    case 'different':
      return `${v.differing} of ${v.dims} components differ (first at index ${v.firstIndex}, max difference ${v.maxAbsDiff.toPrecision(3)}).`;
    case 'dimension':
      return `Dimensions differ: Qdrant has ${v.qdrant}, the source has ${v.source}.`;
  }
}
