/**
 * A pickle reader that never executes anything (protocols 0-5). It runs the pickle machine over an
 * in-memory buffer and builds inert values (see ./values): GLOBAL/STACK_GLOBAL give class references,
 * REDUCE/NEWOBJ/NEWOBJ_EX/INST/OBJ give `PyObject` records, BUILD stores the state on the record (or
 * what a loader's `onBuild` hook makes of it). Persistent ids, the extension registry and out-of-band
 * buffers are refused, since a docstore never uses them.
 *
 * Bounds, so a hostile or broken file fails with one clear line instead of exhausting memory:
 * - every declared length is checked against the bytes left before anything is allocated;
 * - the value stack and the MARK stack have caps (legitimate docstores stay in the low thousands);
 * - an estimate of the memory the built values take is kept, and parsing stops past `maxMemoryBytes`;
 * - the machine is a loop, not a recursion, so nesting cannot overflow the JS stack.
 * Why not npm `pickleparser`: it decodes LONG1 as unsigned, writes dict keys into plain objects (a
 * `__proto__` key reaches the prototype setter) unless in Map mode, and has none of these bounds.
 */
import { PyFloat } from '../../python-number';
import { PyBytes, PyDict, PyGlobal, PyObject, PySet, PyTuple, pyTypeName, type PyConstruction } from './values';

export class PickleError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'PickleError';
  }
}

export interface PickleOptions {
  /** Stop with an error once the built values are estimated to need more than this (default 2 GiB). */
  maxMemoryBytes?: number;
  /** Most values on the stack at once (default 1,000,000). */
  maxStack?: number;
  /** Most nested MARKs at once (default 10,000). */
  maxMarks?: number;
  /** Replaces what BUILD stores on an object: lets a loader keep a compact form instead of the raw state. */
  onBuild?: (obj: PyObject, state: unknown) => unknown;
  /**
   * When `onBuild` replaces a state, drop the memo's references to the dicts and sets inside the raw state,
   * so they can be collected while parsing goes on (a docstore's memo otherwise keeps every document's
   * raw pydantic state alive to the end). Python never refers back to them in a LangChain docstore; if a
   * pickle does, parsing stops with `MemoReleasedError` and the caller parses again without this option.
   */
  releaseBuiltState?: boolean;
}

/** A pickle referred back to state released by `releaseBuiltState`: parse again without it. */
export class MemoReleasedError extends Error {
  override name = 'MemoReleasedError';
}

const RELEASED = Symbol('released');
/** Containers visited per released state at most (a bound, not a correctness limit). */
const RELEASE_BUDGET = 10_000;

const OP_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

/** Immutable, so one instance serves every `()` (one per pickled object otherwise). */
const EMPTY_TUPLE = new PyTuple(Object.freeze([]));

/** Python ints wider than this many bytes are refused: no docstore needs a 8,192-bit integer. */
const MAX_LONG_BYTES = 1024;
/** Rough heap cost of one container or record, for the memory estimate. */
const OBJECT_COST = 64;
const SLOT_COST = 8;

function toInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Two's-complement little-endian integer of any width (LONG1/LONG4), exact. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return toInt(v);
}

/** Python 2 `repr(str)` literal of protocol 0's STRING: quotes plus backslash escapes. */
function decodeStringLiteral(raw: string, offset: number): string {
  const q = raw[0];
  if (raw.length < 2 || (q !== "'" && q !== '"') || raw[raw.length - 1] !== q) {
    throw new PickleError(`STRING at byte ${offset} is not a quoted literal`, offset);
  }
  const body = raw.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v' };
    return simple[e] ?? `\\${e}`;
  });
}

/** Protocol 0's UNICODE: raw-unicode-escape (only \uXXXX and \UXXXXXXXX are escapes; bytes are latin-1). */
function decodeRawUnicodeEscape(raw: string): string {
  return raw.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4?: string, u8?: string) => String.fromCodePoint(parseInt((u4 ?? u8)!, 16)));
}

function parseTextInt(line: string, offset: number, op: string): number | bigint {
  const t = line.trim().replace(/L$/, '');
  if (!/^[-+]?\d+$/.test(t)) throw new PickleError(`${op} at byte ${offset} has a malformed integer "${line.slice(0, 40)}"`, offset);
  if (t.length > MAX_LONG_BYTES * 3) throw new PickleError(`${op} at byte ${offset} holds an integer of ${t.length} digits, far beyond any docstore value`, offset);
  return toInt(BigInt(t));
}

/** Parses a whole pickle in one go (small files, tests). */
export function parsePickle(data: Uint8Array, options: PickleOptions = {}): unknown {
  const step = createMachine(data, options);
  let r = step(Infinity);
  while (!r.done) r = step(Infinity);
  return r.value;
}

/** Ops between yields to the event loop: a few milliseconds of work. */
const OPS_PER_SLICE = 200_000;

/**
 * Parses a pickle in slices, yielding to the event loop between them, so a host parsing a large docstore
 * (a minute for millions of documents) keeps answering messages and can be cancelled.
 */
export async function parsePickleAsync(data: Uint8Array, options: PickleOptions = {}): Promise<unknown> {
  const step = createMachine(data, options);
  for (;;) {
    const r = step(OPS_PER_SLICE);
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

type StepResult = { done: true; value: unknown } | { done: false };

function createMachine(data: Uint8Array, options: PickleOptions): (maxOps: number) => StepResult {
  const maxMemory = options.maxMemoryBytes ?? 2 * 1024 ** 3;
  const maxStack = options.maxStack ?? 1_000_000;
  const maxMarks = options.maxMarks ?? 10_000;
  const onBuild = options.onBuild;
  const release = options.releaseBuiltState === true && onBuild !== undefined;
  /** Frees the memo slots of the dicts and sets inside a state a loader has replaced. */
  const releaseState = (state: unknown) => {
    let budget = RELEASE_BUDGET;
    const todo: unknown[] = [state];
    while (todo.length && budget-- > 0) {
      const v = todo.pop();
      if (v instanceof PyDict) {
        if (v.memoSlot >= 0 && memo[v.memoSlot] === v) memo[v.memoSlot] = RELEASED;
        for (const [, x] of v.entries()) if (x instanceof PyDict || x instanceof PySet) todo.push(x);
      } else if (v instanceof PySet) {
        if (v.memoSlot >= 0 && memo[v.memoSlot] === v) memo[v.memoSlot] = RELEASED;
      }
    }
  };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = data.length;

  let pos = 0;
  let opStart = 0;
  let opName = '';
  // One flat stack; a MARK records the stack height (Python keeps a metastack of lists: same semantics,
  // without allocating a list per MARK that SETITEMS/APPENDS would throw away).
  const stack: unknown[] = [];
  const marks: number[] = [];
  let floor = 0;
  const memo: unknown[] = [];
  const memoSparse = new Map<number, unknown>();
  let memoryEstimate = 0;

  const fail = (msg: string): never => {
    throw new PickleError(`${msg} (${opName} at byte ${opStart})`, opStart);
  };
  const charge = (bytes: number) => {
    memoryEstimate += bytes;
    if (memoryEstimate > maxMemory) {
      fail(`needs more than ${Math.round(maxMemory / 1024 ** 2)} MiB of memory to load`);
    }
  };
  const need = (n: number) => {
    if (n < 0 || n > end - pos) fail(`truncated: ${n} bytes declared but only ${end - pos} left in the file`);
  };
  const bytes = (n: number): Uint8Array => {
    need(n);
    const out = data.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const u8 = () => {
    need(1);
    return data[pos++]!;
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const i32 = () => {
    need(4);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    // Any length above what is left is refused by need(), so clamping keeps the comparison exact.
    return v > BigInt(end) ? end + 1 : Number(v);
  };
  const line = (): string => {
    const nl = data.indexOf(0x0a, pos);
    if (nl < 0) fail('truncated: a text argument has no end of line');
    const s = buf.toString('latin1', pos, nl);
    pos = nl + 1;
    return s;
  };
  const str = (n: number): string => {
    need(n);
    charge(OBJECT_COST + n * 2);
    const s = buf.toString('utf8', pos, pos + n);
    pos += n;
    return s;
  };
  const push = (v: unknown) => {
    if (stack.length >= maxStack) fail(`more than ${maxStack} values on the pickle stack: not a docstore, or a hostile file`);
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length <= floor) fail('stack underflow: the pickle is corrupted');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length <= floor) fail('stack underflow: the pickle is corrupted');
    return stack[stack.length - 1];
  };
  /** Ends the innermost MARK: returns where its items start (they stay on the stack until `dropTo`). */
  const popMarkIndex = (): number => {
    const m = marks.pop();
    if (m === undefined) return fail('no MARK to pop to: the pickle is corrupted');
    floor = marks.length ? marks[marks.length - 1]! : 0;
    return m;
  };
  /** The value just below a MARK that has been popped (the container SETITEMS/APPENDS/ADDITEMS fill). */
  const below = (m: number): unknown => {
    if (m <= floor) fail('stack underflow: the pickle is corrupted');
    return stack[m - 1];
  };
  const dropTo = (m: number) => {
    stack.length = m;
  };
  /** The innermost MARK's items as a new array (for LIST, TUPLE, FROZENSET, INST, OBJ). */
  const popMark = (): unknown[] => {
    const m = popMarkIndex();
    const items = stack.slice(m);
    dropTo(m);
    return items;
  };
  const memoGet = (i: number): unknown => {
    if (i < memo.length && i in memo) {
      const v = memo[i];
      if (v === RELEASED) throw new MemoReleasedError(`memo entry ${i} refers back to a released document state`);
      return v;
    }
    if (memoSparse.has(i)) return memoSparse.get(i);
    return fail(`memo entry ${i} was never stored: the pickle is corrupted`);
  };
  const memoPut = (i: number, v: unknown) => {
    charge(SLOT_COST);
    if (release && (v instanceof PyDict || v instanceof PySet)) v.memoSlot = i;
    if (i <= memo.length) memo[i] = v;
    else memoSparse.set(i, v);
  };
  const construct = (callable: unknown, args: unknown, how: PyConstruction, kwargs: unknown = null) => {
    if (!(args instanceof PyTuple)) fail(`${how} arguments must be a tuple, not ${pyTypeName(args)}`);
    if (kwargs !== null && !(kwargs instanceof PyDict)) fail(`${how} keyword arguments must be a dict, not ${pyTypeName(kwargs)}`);
    if (!(callable instanceof PyGlobal) && !(callable instanceof PyObject)) fail(`${how} of ${pyTypeName(callable)}, which is not callable`);
    charge(OBJECT_COST);
    return new PyObject(callable, (args as PyTuple).items, how, kwargs as PyDict | null);
  };
  /** dict[k] = v for the pairs in items[from..to). */
  const setItems = (target: unknown, items: unknown[], from: number, to: number) => {
    if ((to - from) % 2 !== 0) fail('odd number of items for a dict');
    let map: PyDict;
    if (target instanceof PyDict) map = target;
    else if (target instanceof PyObject) map = target.dictItems ??= new PyDict();
    else return fail(`cannot set items on ${pyTypeName(target)}`);
    for (let i = from; i < to; i += 2) {
      const k = items[i];
      if (!isHashable(k)) fail(`unhashable dict key (${pyTypeName(k)})`);
      map.set(k, items[i + 1]);
    }
    charge((to - from) * SLOT_COST);
  };
  const appendItems = (target: unknown, items: unknown[], from: number, to: number) => {
    let list: unknown[];
    if (Array.isArray(target)) list = target;
    else if (target instanceof PyObject) list = target.listItems ??= [];
    else return fail(`cannot append to ${pyTypeName(target)}`);
    for (let i = from; i < to; i++) list.push(items[i]);
    charge((to - from) * SLOT_COST);
  };
  const global = (module: string, name: string) => {
    charge(OBJECT_COST);
    return new PyGlobal(module, name);
  };

  return (maxOps: number): StepResult => {
    for (let ops = 0; ops < maxOps; ops++) {
      opStart = pos;
      if (pos >= end) {
        opName = 'end of file';
        fail('truncated: the pickle ends before its STOP opcode');
      }
      const op = data[pos++]!;
      opName = OP_NAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
      switch (op) {
        case 0x80: {
          const proto = u8();
          if (proto > 5) fail(`pickle protocol ${proto} is newer than 5, the newest this reader knows`);
          break;
        }
        case 0x95: // FRAME: framing is only a read-ahead hint; the length is checked, the bytes read inline.
          u64();
          break;
        case 0x2e: // STOP
          return { done: true, value: pop() };
        case 0x28: // MARK
          if (marks.length >= maxMarks) fail(`more than ${maxMarks} nested MARKs: not a docstore, or a hostile file`);
          marks.push(stack.length);
          floor = stack.length;
          break;
        case 0x30:
          pop();
          break;
        case 0x31:
          dropTo(popMarkIndex());
          break;
        case 0x32:
          push(top());
          break;
        case 0x4e:
          push(null);
          break;
        case 0x88:
          push(true);
          break;
        case 0x89:
          push(false);
          break;
        case 0x49: {
          const l = line();
          if (l === '01') push(true);
          else if (l === '00') push(false);
          else push(parseTextInt(l, opStart, 'INT'));
          break;
        }
        case 0x4c:
          push(parseTextInt(line(), opStart, 'LONG'));
          break;
        case 0x4a:
          push(i32());
          break;
        case 0x4b:
          push(u8());
          break;
        case 0x4d:
          push(u16());
          break;
        case 0x8a: {
          const n = u8();
          push(decodeLong(bytes(n)));
          break;
        }
        case 0x8b: {
          const n = i32();
          if (n < 0) fail('negative LONG4 length');
          if (n > MAX_LONG_BYTES) fail(`an integer of ${n} bytes, far beyond any docstore value`);
          push(decodeLong(bytes(n)));
          break;
        }
        case 0x46: {
          const t = line().trim();
          const v = Number(t === 'nan' ? NaN : t === 'inf' ? Infinity : t === '-inf' ? -Infinity : t);
          if (Number.isNaN(v) && t !== 'nan') fail(`malformed float "${t.slice(0, 40)}"`);
          push(new PyFloat(v));
          break;
        }
        case 0x47: {
          need(8);
          push(new PyFloat(view.getFloat64(pos, false)));
          pos += 8;
          break;
        }
        case 0x53: {
          const l = line();
          charge(OBJECT_COST + l.length * 2);
          push(decodeStringLiteral(l, opStart));
          break;
        }
        case 0x54: {
          const n = i32();
          if (n < 0) fail('negative BINSTRING length');
          charge(OBJECT_COST + n);
          need(n);
          push(buf.toString('latin1', pos, (pos += n)));
          break;
        }
        case 0x55: {
          const n = u8();
          need(n);
          push(buf.toString('latin1', pos, (pos += n)));
          break;
        }
        case 0x56: {
          const l = line();
          charge(OBJECT_COST + l.length * 2);
          push(decodeRawUnicodeEscape(l));
          break;
        }
        case 0x58:
          push(str(u32()));
          break;
        case 0x8c:
          push(str(u8()));
          break;
        case 0x8d:
          push(str(u64()));
          break;
        case 0x42:
        case 0x43:
        case 0x8e:
        case 0x96: {
          const n = op === 0x42 ? u32() : op === 0x43 ? u8() : u64();
          const b = bytes(n);
          charge(OBJECT_COST + n);
          push(new PyBytes(b.slice(), op === 0x96));
          break;
        }
        case 0x97:
          fail('out-of-band buffers (NEXT_BUFFER) are not used by docstores');
          break;
        case 0x98:
          break; // READONLY_BUFFER: no-op on an in-band value.
        case 0x50:
        case 0x51:
          fail('persistent ids are not used by docstores; refusing to resolve one');
          break;
        case 0x82:
        case 0x83:
        case 0x84:
          fail('extension-registry references are not used by docstores; refusing to resolve one');
          break;
        case 0x29:
          push(EMPTY_TUPLE);
          break;
        case 0x85:
        case 0x86:
        case 0x87: {
          const n = op - 0x84;
          if (stack.length - floor < n) fail('stack underflow: the pickle is corrupted');
          charge(OBJECT_COST + n * SLOT_COST);
          push(new PyTuple(stack.splice(stack.length - n, n)));
          break;
        }
        case 0x74: {
          const items = popMark();
          charge(OBJECT_COST + items.length * SLOT_COST);
          push(new PyTuple(items));
          break;
        }
        case 0x5d:
          charge(OBJECT_COST);
          push([]);
          break;
        case 0x6c: {
          const items = popMark();
          charge(OBJECT_COST + items.length * SLOT_COST);
          push(items);
          break;
        }
        case 0x7d:
          charge(OBJECT_COST);
          push(new PyDict());
          break;
        case 0x64: {
          const from = popMarkIndex();
          const m = new PyDict();
          charge(OBJECT_COST);
          setItems(m, stack, from, stack.length);
          dropTo(from);
          push(m);
          break;
        }
        case 0x8f:
          charge(OBJECT_COST);
          push(new PySet([], false));
          break;
        case 0x91: {
          const items = popMark();
          charge(OBJECT_COST + items.length * SLOT_COST);
          push(new PySet(items, true));
          break;
        }
        case 0x90: {
          const from = popMarkIndex();
          const target = below(from);
          if (!(target instanceof PySet) || target.frozen) fail(`cannot add items to ${pyTypeName(target)}`);
          const items = (target as PySet).items;
          for (let i = from; i < stack.length; i++) items.push(stack[i]);
          charge((stack.length - from) * SLOT_COST);
          dropTo(from);
          break;
        }
        case 0x61: {
          if (stack.length - floor < 2) fail('stack underflow: the pickle is corrupted');
          appendItems(stack[stack.length - 2], stack, stack.length - 1, stack.length);
          stack.length -= 1;
          break;
        }
        case 0x65: {
          const from = popMarkIndex();
          appendItems(below(from), stack, from, stack.length);
          dropTo(from);
          break;
        }
        case 0x73: {
          if (stack.length - floor < 3) fail('stack underflow: the pickle is corrupted');
          setItems(stack[stack.length - 3], stack, stack.length - 2, stack.length);
          stack.length -= 2;
          break;
        }
        case 0x75: {
          const from = popMarkIndex();
          setItems(below(from), stack, from, stack.length);
          dropTo(from);
          break;
        }
        case 0x63: {
          const module = line();
          const name = line();
          push(global(module, name));
          break;
        }
        case 0x93: {
          const name = pop();
          const module = pop();
          if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
          push(global(module as string, name as string));
          break;
        }
        case 0x52: {
          const args = pop();
          const callable = pop();
          push(construct(callable, args, 'REDUCE'));
          break;
        }
        case 0x81: {
          const args = pop();
          const cls = pop();
          push(construct(cls, args, 'NEWOBJ'));
          break;
        }
        case 0x92: {
          const kwargs = pop();
          const args = pop();
          const cls = pop();
          push(construct(cls, args, 'NEWOBJ_EX', kwargs));
          break;
        }
        case 0x69: {
          const module = line();
          const name = line();
          const args = popMark();
          push(construct(global(module, name), new PyTuple(args), 'INST'));
          break;
        }
        case 0x6f: {
          const items = popMark();
          if (items.length === 0) fail('OBJ without a class');
          push(construct(items[0], new PyTuple(items.slice(1)), 'OBJ'));
          break;
        }
        case 0x62: {
          const state = pop();
          const obj = top();
          if (!(obj instanceof PyObject)) fail(`BUILD on ${pyTypeName(obj)}, which has no state to set`);
          const o = obj as PyObject;
          if (onBuild) {
            const kept = onBuild(o, state);
            if (release && kept !== state) releaseState(state);
            o.state = kept;
          } else o.state = state;
          break;
        }
        case 0x70:
          memoPut(Number(parseTextInt(line(), opStart, 'PUT')), top());
          break;
        case 0x71:
          memoPut(u8(), top());
          break;
        case 0x72:
          memoPut(u32(), top());
          break;
        case 0x94:
          memoPut(memo.length, top());
          break;
        case 0x67:
          push(memoGet(Number(parseTextInt(line(), opStart, 'GET'))));
          break;
        case 0x68:
          push(memoGet(u8()));
          break;
        case 0x6a:
          push(memoGet(u32()));
          break;
        default:
          pos = opStart;
          fail(`unknown opcode 0x${op.toString(16).padStart(2, '0')}: not a pickle, or a corrupted one`);
      }
    }
    return { done: false };
  };
}

function isHashable(k: unknown): boolean {
  return k === null || typeof k !== 'object' || k instanceof PyFloat || k instanceof PyTuple || k instanceof PyGlobal || k instanceof PyObject || (k instanceof PySet && k.frozen) || k instanceof PyBytes;
}
