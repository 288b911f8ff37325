/**
 * Inert pickle values → JSON-ready values, encoded the way qdrant-client sends a Python payload
 * (pydantic's JSON mode): datetime → ISO 8601 with "Z" for UTC, date → "YYYY-MM-DD", Decimal and UUID →
 * strings, set/tuple → arrays, bytes → UTF-8 text, NaN/±Infinity → null (JSON has no form for them),
 * floats stay PyFloat (written `5.0`, never `5`), non-string dict keys → their
 * JSON text. So metadata migrated from a pickle reads back as it would had LangChain written it to
 * Qdrant itself. Objects are null-prototype: keys like `__proto__` stay plain data.
 *
 * Bounded: nesting deeper than `maxDepth` (or a cycle, which would be infinitely deep) and more than
 * `maxNodes` values per conversion (shared sub-values expanded over and over) are errors, not hangs.
 */
import { PyFloat, pyFloatRepr } from '../../python-number';
import { PyBytes, PyDict, PyGlobal, PyObject, PySet, PyTuple, pyTypeName } from './values';

/** JSON-ready values; numbers follow ../../python-number (int: number | bigint, float: PyFloat). */
export type JsonOut = null | boolean | number | bigint | PyFloat | string | JsonOut[] | { [key: string]: JsonOut };

export class ConversionError extends Error {
  override name = 'ConversionError';
}

export interface ToJsonOptions {
  maxDepth?: number;
  maxNodes?: number;
  /** Called once per value of a class with no JSON form (kept as its state, or its class path). */
  onUnknownClass?: (classPath: string) => void;
}

/**
 * Ordinary objects (fast, shape-sharing: a million metadata objects with the same keys cost little);
 * the one key an assignment would not store as data, `__proto__`, is defined as an own property.
 */
export function newJsonObject(): { [key: string]: JsonOut } {
  return {};
}

export function setJsonKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function bytesOf(v: unknown): Uint8Array | undefined {
  if (v instanceof PyBytes) return v.bytes;
  // Python 3 bytes under protocols 0-2: _codecs.encode(<latin-1 text>, 'latin1').
  if (v instanceof PyObject && v.classPath === '_codecs.encode' && typeof v.args[0] === 'string') return Buffer.from(v.args[0], 'latin1');
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  return undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A Python timedelta object's total seconds, or undefined. */
function timedeltaSeconds(v: unknown): number | undefined {
  if (!(v instanceof PyObject) || v.classPath !== 'datetime.timedelta') return undefined;
  const [d = 0, s = 0, us = 0] = v.args.map(Number);
  return d * 86400 + s + us / 1e6;
}

function tzSuffix(tz: unknown): string {
  if (tz === undefined || tz === null) return '';
  if (tz instanceof PyObject && tz.classPath === 'datetime.timezone') {
    const secs = timedeltaSeconds(tz.args[0]);
    if (secs !== undefined) {
      if (secs === 0) return 'Z';
      const sign = secs < 0 ? '-' : '+';
      const a = Math.abs(secs);
      const h = Math.floor(a / 3600);
      const m = Math.floor((a % 3600) / 60);
      const s = Math.floor(a % 60);
      return `${sign}${pad(h)}:${pad(m)}${s ? `:${pad(s)}` : ''}`;
    }
  }
  // pytz/zoneinfo objects: the offset depends on rules we do not evaluate; keep the wall time only.
  return '';
}

function timeText(b: Uint8Array, at: number): string {
  const us = (b[at + 3]! << 16) | (b[at + 4]! << 8) | b[at + 5]!;
  return `${pad(b[at]!)}:${pad(b[at + 1]!)}:${pad(b[at + 2]!)}${us ? `.${pad(us, 6)}` : ''}`;
}

/** datetime/date/time/timedelta/Decimal/UUID/Path/numpy scalars: the value pydantic would send. */
function knownClass(obj: PyObject): JsonOut | undefined {
  const cls = obj.classPath;
  switch (cls) {
    case 'datetime.datetime': {
      const b = bytesOf(obj.args[0]);
      if (!b || b.length !== 10) return undefined;
      const date = `${pad((b[0]! << 8) | b[1]!, 4)}-${pad(b[2]! & 0x7f)}-${pad(b[3]!)}`;
      return `${date}T${timeText(b, 4)}${tzSuffix(obj.args[1])}`;
    }
    case 'datetime.date': {
      const b = bytesOf(obj.args[0]);
      if (!b || b.length !== 4) return undefined;
      return `${pad((b[0]! << 8) | b[1]!, 4)}-${pad(b[2]!)}-${pad(b[3]!)}`;
    }
    case 'datetime.time': {
      const b = bytesOf(obj.args[0]);
      if (!b || b.length !== 6) return undefined;
      return `${timeText(Uint8Array.from([b[0]! & 0x7f, ...b.subarray(1)]), 0)}${tzSuffix(obj.args[1])}`;
    }
    case 'datetime.timedelta': {
      // pydantic: ISO 8601 duration.
      const secs = timedeltaSeconds(obj);
      return secs === undefined ? undefined : `P${secs < 0 ? '-' : ''}T${Math.abs(secs)}S`;
    }
    case 'decimal.Decimal':
      return typeof obj.args[0] === 'string' ? obj.args[0] : undefined;
    case 'uuid.UUID': {
      const st = obj.state;
      const n = st instanceof PyDict ? st.get('int') : undefined;
      if (typeof n !== 'number' && typeof n !== 'bigint') return undefined;
      const hex = BigInt(n).toString(16).padStart(32, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    case 'pathlib.PosixPath':
    case 'pathlib.PurePosixPath':
    case 'pathlib.Path':
    case 'pathlib._local.PosixPath':
    case 'pathlib.WindowsPath':
    case 'pathlib.PureWindowsPath':
    case 'pathlib._local.WindowsPath': {
      if (!obj.args.every((a) => typeof a === 'string')) return undefined;
      const sep = cls.includes('Windows') ? '\\' : '/';
      const parts = obj.args as string[];
      return parts.reduce((acc, p, i) => (i === 0 ? p : acc.endsWith(sep) ? acc + p : acc + sep + p), '');
    }
    case 'numpy.core.multiarray.scalar':
    case 'numpy._core.multiarray.scalar':
      return numpyScalar(obj);
    default:
      return undefined;
  }
}

function numpyScalar(obj: PyObject): JsonOut | undefined {
  const dtype = obj.args[0];
  const raw = bytesOf(obj.args[1]);
  if (!(dtype instanceof PyObject) || !raw || typeof dtype.args[0] !== 'string') return undefined;
  const code = dtype.args[0];
  const st = dtype.state instanceof PyTuple ? dtype.state.items : [];
  const bigEndian = st[1] === '>';
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = !bigEndian;
  // numpy floats are Python floats to pydantic (`.item()`), so they stay floats here.
  const finite = (x: number) => (Number.isFinite(x) ? new PyFloat(x) : null);
  const int = (x: bigint) => (x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x);
  switch (`${code}:${raw.length}`) {
    case 'f8:8': return finite(view.getFloat64(0, le));
    case 'f4:4': return finite(view.getFloat32(0, le));
    case 'i8:8': return int(view.getBigInt64(0, le));
    case 'u8:8': return int(view.getBigUint64(0, le));
    case 'i4:4': return view.getInt32(0, le);
    case 'u4:4': return view.getUint32(0, le);
    case 'i2:2': return view.getInt16(0, le);
    case 'u2:2': return view.getUint16(0, le);
    case 'i1:1': return view.getInt8(0);
    case 'u1:1': return view.getUint8(0);
    case 'b1:1': return view.getUint8(0) !== 0;
    default: return undefined;
  }
}

/** The JSON key Python's json module / pydantic writes for a dict key. */
function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null';
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  if (typeof k === 'number' || typeof k === 'bigint') return String(k);
  if (k instanceof PyFloat) return pyFloatRepr(k.value);
  return `<${pyTypeName(k)}>`;
}

interface ConvertContext {
  maxDepth: number;
  maxNodes: number;
  nodesLeft: number;
  onUnknownClass: ((classPath: string) => void) | undefined;
}

export function toJson(value: unknown, options: ToJsonOptions = {}): JsonOut {
  const maxNodes = options.maxNodes ?? 1_000_000;
  return convert({ maxDepth: options.maxDepth ?? 200, maxNodes, nodesLeft: maxNodes, onUnknownClass: options.onUnknownClass }, value, 0);
}

function convert(ctx: ConvertContext, v: unknown, depth: number): JsonOut {
  if (--ctx.nodesLeft < 0) throw new ConversionError(`more than ${ctx.maxNodes} values in one document (shared values expanded?)`);
  if (depth > ctx.maxDepth) throw new ConversionError(`nested deeper than ${ctx.maxDepth} levels (or refers to itself)`);
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
  }
  if (v instanceof PyFloat) return Number.isFinite(v.value) ? v : null;
  if (Array.isArray(v)) return v.map((x) => convert(ctx, x, depth + 1));
  if (v instanceof PyTuple) return v.items.map((x) => convert(ctx, x, depth + 1));
  if (v instanceof PySet) return v.items.map((x) => convert(ctx, x, depth + 1));
  if (v instanceof PyDict) {
    const out = newJsonObject();
    for (const [k, x] of v.entries()) setJsonKey(out, keyText(k), convert(ctx, x, depth + 1));
    return out;
  }
  if (v instanceof PyBytes) return Buffer.from(v.bytes).toString('utf8');
  if (v instanceof PyGlobal) return v.path;
  if (v instanceof PyObject) {
    const known = knownClass(v);
    if (known !== undefined) return known;
    if (v.classPath === '_codecs.encode') return Buffer.from(bytesOf(v) ?? []).toString('utf8');
    ctx.onUnknownClass?.(v.classPath ?? 'object');
    // An arbitrary object: keep what it holds (pydantic/dataclass state), else name its class.
    const st = v.state;
    if (st instanceof PyDict) return convert(ctx, st.has('__dict__') ? st.get('__dict__') : st, depth + 1);
    if (v.dictItems) return convert(ctx, v.dictItems, depth + 1);
    if (v.listItems) return convert(ctx, v.listItems, depth + 1);
    // A bare call (REDUCE of a function such as os.system): name it, never pass its arguments off as data.
    return `${v.classPath ?? 'object'}(…) (not run)`;
  }
  return null;
}
