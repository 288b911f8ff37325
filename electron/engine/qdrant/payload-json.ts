import { PyFloat, pyFloatRepr } from '../python-number';

/**
 * Payload → JSON text, exact for bigint (FAISS labels and ids beyond 2^53 are written as bare integer
 * literals, as `shared/json.ts` does), and keeping Python's int/float distinction (../python-number): a
 * PyFloat is written as Python's repr (`5.0`, `-0.0`, `1e+300`), always with `.` or `e`, so Qdrant (and
 * the gRPC sink, which reads these literals) stores a float; NaN and infinities, which JSON cannot carry,
 * become null as qdrant-client sends them. This one sits on the bulk path (one call per point), so it walks the
 * value itself instead of going through lossless-json's generic stringifier, and hands strings to the
 * engine's native JSON string escaper.
 */
export function payloadToJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON has no NaN/Infinity: null, as JSON.stringify does
      return Number.isFinite(value) ? String(value) : 'null';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof PyFloat) return Number.isFinite(value.value) ? pyFloatRepr(value.value) : 'null';
      if (Array.isArray(value)) {
        let s = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) s += ',';
          const v: unknown = value[i];
          s += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : payloadToJson(v);
        }
        return s + ']';
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return payloadToJson((toJSON as () => unknown).call(value));
      let s = '{';
      let first = true;
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        if (!first) s += ',';
        first = false;
        s += JSON.stringify(k) + ':' + payloadToJson(v);
      }
      return s + '}';
    }
    default:
      return 'null';
  }
}
