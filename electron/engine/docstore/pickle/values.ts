/**
 * Inert values a pickle decodes to. Nothing here can run code: a class reference is only a name, and an
 * object is the record of how the pickle asked for it to be made (constructor, arguments, state) without
 * anything being called. Python dicts become `Map`s, so keys such as `__proto__` or `constructor` are
 * plain data and never touch a prototype.
 */

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
  dictItems: Map<unknown, unknown> | null = null;
  constructor(
    readonly callable: unknown,
    readonly args: readonly unknown[],
    readonly how: PyConstruction,
    readonly kwargs: Map<unknown, unknown> | null = null,
  ) {}
  /** The class path when the callable is a class reference. */
  get classPath(): string | undefined {
    return this.callable instanceof PyGlobal ? this.callable.path : undefined;
  }
}

export class PyTuple {
  constructor(readonly items: readonly unknown[]) {}
}

export class PySet {
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

/** Python int: a JS number when it is a safe integer, otherwise an exact bigint. */
export type PyInt = number | bigint;

export function pyTypeName(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof PyBytes) return v.mutable ? 'bytearray' : 'bytes';
  if (v instanceof PyGlobal) return `class ${v.path}`;
  if (v instanceof PyObject) return v.classPath ? `${v.classPath} object` : 'object';
  return typeof v;
}
