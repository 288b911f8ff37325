/**
 * Qdrant's payload key paths (`a.b`, `a[].b`, `a[0]`, `"quoted.key"`): the values a key selects in a
 * payload, flattened the way Qdrant's `JsonPath::value_get` + `MultiValue` flatten them, so that a condition
 * on `city` matches a point whose `city` is `["Berlin", "London"]`.
 */
export type PathSegment = { kind: 'key'; key: string } | { kind: 'all' } | { kind: 'index'; index: number };

const cache = new Map<string, PathSegment[]>();

export function parsePath(path: string): PathSegment[] {
  const hit = cache.get(path);
  if (hit) return hit;
  const segs: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '.') i++;
    if (path[i] === '"') {
      const end = path.indexOf('"', i + 1);
      segs.push({ kind: 'key', key: path.slice(i + 1, end < 0 ? path.length : end) });
      i = end < 0 ? path.length : end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      if (j > i) segs.push({ kind: 'key', key: path.slice(i, j) });
      i = j;
    }
    while (path[i] === '[') {
      const end = path.indexOf(']', i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      segs.push(inner === '' ? { kind: 'all' } : { kind: 'index', index: Number(inner) });
      i = end < 0 ? path.length : end + 1;
    }
  }
  cache.set(path, segs);
  return segs;
}

/** The values at `path`; a trailing array is flattened into its elements (Qdrant's MultiValue). */
export function valuesAt(payload: unknown, path: string | PathSegment[]): unknown[] {
  const out: unknown[] = [];
  for (const v of rawValuesAt(payload, path)) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

/** Whether the path reaches anything at all (before flattening), for is_empty / is_null. */
export function rawValuesAt(payload: unknown, path: string | PathSegment[]): unknown[] {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  let cur: unknown[] = [payload];
  for (const seg of segs) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (seg.kind === 'key') {
        if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, seg.key)) next.push((v as Record<string, unknown>)[seg.key]);
      } else if (Array.isArray(v)) {
        if (seg.kind === 'all') next.push(...v);
        else if (seg.index < v.length) next.push(v[seg.index]);
      }
    }
    cur = next;
  }
  return cur;
}
