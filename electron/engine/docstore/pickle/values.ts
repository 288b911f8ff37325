/**
 * Inert values a pickle decodes to. Nothing here can run code: a class reference is only a name, and an
 * object is the record of how the pickle asked for it to be made (constructor, arguments, state) without
 * anything being called. Python dicts become `PyDict`s (not objects), so keys such as `__proto__` or `constructor` are
 * plain data and never touch a prototype.
 */
import { PyFloat } from '../../python-number';

/** A `module.name` reference (GLOBAL / STACK_GLOBAL / INST). */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get path(): string {
    return `${this.module}.${this.name}`;
  }
}

/** How the object was asked for; recorded, never performed. */
export type PyConstruction = 'REDUCE' | 'NEWOBJ' | 'NEWOBJ_EX' | 'INST' | 'OBJ';

/** An object the pickle described: what it would have called, with which arguments and state. */
export class PyObject {
  /** BUILD's argument (the `__setstate__` / `__dict__` state), possibly replaced by a loader's hook. */
  state: unknown = undefined;
  /** Items appended (list subclasses), set (dict subclasses): recorded, never applied by a call. */
  listItems: unknown[] | null = null;
  dictItems: PyDict | null = null;
  constructor(
    readonly callable: unknown,
    readonly args: readonly unknown[],
    readonly how: PyConstruction,
    readonly kwargs: PyDict | null = null,
  ) {}
  /** The class path when the callable is a class reference. */
  get classPath(): string | undefined {
    return this.callable instanceof PyGlobal ? this.callable.path : undefined;
  }
}

/**
 * A Python dict. Most dicts in a docstore hold a handful of keys, so entries live in one flat array
 * (key, value, key, value...) searched linearly, which costs a fraction of a `Map`; a `Map` index is
 * added once a dict grows past a few dozen keys (the docstore's `_dict` and the label mapping).
 * Keys are data: `__proto__` or `constructor` are ordinary strings here.
 */
export class PyDict {
  /** Memo slot holding this dict (see PickleOptions.releaseBuiltState), or -1. */
  memoSlot = -1;
  private flat: unknown[] = [];
  private index: Map<unknown, number> | null = null;

  get size(): number {
    return this.flat.length >>> 1;
  }

  private find(key: unknown): number {
    if (this.index) return this.index.get(key) ?? -1;
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) if (f[i] === key) return i;
    return -1;
  }

  get(key: unknown): unknown {
    const i = this.find(key);
    return i < 0 ? undefined : this.flat[i + 1];
  }

  has(key: unknown): boolean {
    return this.find(key) >= 0;
  }

  set(key: unknown, value: unknown): void {
    const i = this.find(key);
    if (i >= 0) {
      this.flat[i + 1] = value;
      return;
    }
    this.flat.push(key, value);
    if (this.index) this.index.set(key, this.flat.length - 2);
    else if (this.flat.length > 64) {
      this.index = new Map();
      for (let j = 0; j < this.flat.length; j += 2) this.index.set(this.flat[j], j);
    }
  }

  *entries(): IterableIterator<[unknown, unknown]> {
    const f = this.flat;
    for (let i = 0; i < f.length; i += 2) yield [f[i], f[i + 1]];
  }

  keys(): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < this.flat.length; i += 2) out.push(this.flat[i]);
    return out;
  }
}

export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

export class PySet {
  memoSlot = -1;
  constructor(
    readonly items: unknown[],
    readonly frozen: boolean,
  ) {}
}

export class PyBytes {
  constructor(
    readonly bytes: Uint8Array,
    readonly mutable: boolean,
  ) {}
}

/** Python int: a JS number when it is a safe integer, otherwise an exact bigint (floats are PyFloat). */
export type PyInt = number | bigint;

export function pyTypeName(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyBytes) return v.mutable ? 'bytearray' : 'bytes';
  if (v instanceof PyGlobal) return `class ${v.path}`;
  if (v instanceof PyObject) return v.classPath ? `${v.classPath} object` : 'object';
  return typeof v;
}
