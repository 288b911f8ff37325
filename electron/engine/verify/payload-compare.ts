/**
 * A stored payload against the one the migration should have written. The expected payload is built by
 * the same `buildPayload` the migration uses, from the document the source holds now; the two per-run
 * fields (`migrated_at`, `batch_num`) are only checked for their type, since a resumed or retried run
 * writes other values. Integers compare by value whether they arrive as number or bigint (ids > 2^53).
 */

/** Fields whose value depends on when and in which batch the point was written. */
export const RUN_FIELDS = ['migrated_at', 'batch_num'] as const;

export interface PayloadDiff {
  equal: boolean;
  /** Dotted path of the first difference and what differs, e.g. `metadata.author: "b" instead of "a"`. */
  reason: string | null;
}

function show(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'bigint') return v.toString();
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function sameNumber(a: unknown, b: unknown): boolean | null {
  const na = typeof a === 'number' || typeof a === 'bigint';
  const nb = typeof b === 'number' || typeof b === 'bigint';
  if (!na || !nb) return null;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  try {
    return BigInt(a as bigint | number) === BigInt(b as bigint | number);
  } catch {
    return false; // a non-integer number never equals a bigint
  }
}

/** The first difference between `want` and `got` below `path`, or null when they are equal. */
export function firstDifference(want: unknown, got: unknown, path = ''): string | null {
  const num = sameNumber(want, got);
  if (num !== null) return num ? null : `${path || '(root)'}: ${show(got)} instead of ${show(want)}`;
  if (want === got) return null;
  const here = path || '(root)';
  if (want === null || got === null || typeof want !== 'object' || typeof got !== 'object') {
    return `${here}: ${show(got)} instead of ${show(want)}`;
  }
  if (Array.isArray(want) !== Array.isArray(got)) return `${here}: ${show(got)} instead of ${show(want)}`;
  if (Array.isArray(want) && Array.isArray(got)) {
    if (want.length !== got.length) return `${here}: ${got.length} items instead of ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(want[i], got[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  const w = want as Record<string, unknown>;
  const g = got as Record<string, unknown>;
  for (const k of Object.keys(w)) {
    const d = firstDifference(w[k], g[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  for (const k of Object.keys(g)) {
    if (!(k in w)) return `${path ? `${path}.${k}` : k}: unexpected field (${show(g[k])})`;
  }
  return null;
}

export function comparePayload(expected: Record<string, unknown>, stored: unknown): PayloadDiff {
  if (stored === null || stored === undefined || typeof stored !== 'object' || Array.isArray(stored)) {
    return { equal: false, reason: 'no payload stored' };
  }
  const got = { ...(stored as Record<string, unknown>) };
  const want = { ...expected };
  if (typeof got.migrated_at !== 'string' || Number.isNaN(Date.parse(got.migrated_at))) {
    return { equal: false, reason: `migrated_at: ${show(got.migrated_at)} is not an ISO timestamp` };
  }
  const batch = got.batch_num;
  if (!((typeof batch === 'number' && Number.isInteger(batch) && batch >= 0) || typeof batch === 'bigint')) {
    return { equal: false, reason: `batch_num: ${show(batch)} is not a batch number` };
  }
  for (const f of RUN_FIELDS) {
    delete got[f];
    delete want[f];
  }
  const reason = firstDifference(want, got);
  return { equal: reason === null, reason };
}
