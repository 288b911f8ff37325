/**
 * `json.dumps(value, ensure_ascii=False)` as Python writes it (", " and ": " separators), for LlamaIndex's
 * `_node_content`. Integers beyond 2^53 (bigint) keep every digit. A float Python wrote as `3.0` comes
 * back from JSON as the number 3 and is written `3`: the same value to `json.loads`.
 */
// Above the 200 levels a loaded document may nest, plus the node wrapping its metadata.
const MAX_DEPTH = 256;

function pyFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  // Python repr switches to exponent form outside [1e-4, 1e16) and writes "e-05" / "e+16".
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = n.toExponential().split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

export function pythonJsonDumps(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error(`value nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pyFloat(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const k of Object.keys(value)) parts.push(`${JSON.stringify(k)}: ${pythonJsonDumps((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{${parts.join(', ')}}`;
  }
  return 'null';
}
