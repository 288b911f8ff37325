/**
 * Python's two kinds of number, kept apart inside the engine. Python `5.0` and `5` are different values to
 * every framework that reads a migrated payload back (`isinstance(x, float)`, pydantic, Qdrant's own payload
 * types), but JavaScript has one number type, so the distinction would be lost at the first JSON parse.
 *
 * The one convention, used by every docstore reader (pickle VM, JSON docstores), the payload builder, the
 * `_node_content` renderer and verification:
 * - a Python **int** is a JS `number` holding a safe integer, or a `bigint` beyond 2^53 (exact at any size);
 * - a Python **float** is a `PyFloat` (whatever its value: `5.0`, `0.125`, `-0.0`, `1e300`, NaN).
 *
 * On the wire a float is written as Python's `repr` writes it, which always contains `.`, `e` or `E`
 * (`5.0`, `-0.0`, `1.152921504606847e+18`, `1e+300`); an int never does. That is the agreement with every sink
 * (the gRPC sink maps such literals to a protobuf double, the others to an int64).
 */

export class PyFloat {
  constructor(readonly value: number) {}
  /** Arithmetic and `Number(x)` see the float's value. */
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return pyFloatRepr(this.value);
  }
  /** Generic serialisers see the number (JSON has no way to say "float" for 5.0 other than the literal). */
  toJSON(): number | null {
    return Number.isFinite(this.value) ? this.value : null;
  }
}

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

/**
 * Python's `repr(float)` (which `json.dumps` uses for finite floats): the shortest digits that read back
 * as the same double, positional for decimal exponents in [-4, 16), scientific outside with a signed
 * exponent of at least two digits, and always a `.` or an `e` so it never reads as an int.
 * NaN and infinities are `nan`, `inf`, `-inf` (json.dumps writes `NaN`, `Infinity`: see pyJsonFloat).
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() with no argument gives the shortest round-trip digits, like repr.
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    // In this range String(x) is positional with the same shortest digits.
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** A float as `json.dumps` writes it (NaN, Infinity and -Infinity are allowed there by default). */
export function pyJsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return pyFloatRepr(x);
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An exact integer as the engine keeps it: a number when safe, else the bigint. */
export function pyInt(v: bigint): number | bigint {
  return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
}

/** True for JSON number text Python (and Qdrant) read as a float: it has a fraction or an exponent. */
export function isFloatLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */) return true;
  }
  return false;
}

/**
 * A JSON number literal → the engine's value: a float literal becomes a PyFloat, an integer literal an
 * exact int (number or bigint). Used as lossless-json's number parser by every reader that must keep the
 * distinction (JSON docstores, Qdrant's replies in verification).
 */
export function parseJsonNumber(text: string): PyFloat | number | bigint {
  if (isFloatLiteral(text)) return new PyFloat(Number(text));
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : pyInt(BigInt(text));
}

/** The Python type name of an engine value, as a user reads it in a mismatch: int, float, str, ... */
export type PyTypeName = 'int' | 'float' | 'str' | 'bool' | 'null' | 'list' | 'dict';

export function pyTypeOf(v: unknown): PyTypeName {
  if (v === null || v === undefined) return 'null';
  if (v instanceof PyFloat) return 'float';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'str';
    case 'bigint':
      return 'int';
    case 'number':
      // A plain JS number is an int by the convention above; a non-integral one can only come from code
      // that did not follow it, and is a float whatever its origin.
      return Number.isInteger(v) ? 'int' : 'float';
  }
  return Array.isArray(v) ? 'list' : 'dict';
}
