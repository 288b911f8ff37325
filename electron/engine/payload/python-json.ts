/**
 * `json.dumps(value, ensure_ascii=False)` as Python writes it (", " and ": " separators), for LlamaIndex's
 * `_node_content`, which llama-index's own QdrantVectorStore writes with exactly that call. Values follow
 * the engine's number convention (../python-number): an int (number or bigint) keeps every digit, a float
 * (PyFloat) is written as Python's repr (`5.0`, `-0.0`, `1e+300`; `NaN`/`Infinity` as json.dumps allows).
 */
import { PyFloat, pyJsonFloat } from '../python-number';

// Above the 200 levels a loaded document may nest, plus the node wrapping its metadata.
const MAX_DEPTH = 256;

export function pythonJsonDumps(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new Error(`value nested deeper than ${MAX_DEPTH} levels`);
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // An int by the engine's convention; a stray non-integral number is still written as the float it is.
      return Number.isInteger(value) ? String(value) : pyJsonFloat(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return JSON.stringify(value);
  }
  if (value instanceof PyFloat) return pyJsonFloat(value.value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const k of Object.keys(value)) parts.push(`${JSON.stringify(k)}: ${pythonJsonDumps((value as Record<string, unknown>)[k], depth + 1)}`);
    return `{${parts.join(', ')}}`;
  }
  return 'null';
}
