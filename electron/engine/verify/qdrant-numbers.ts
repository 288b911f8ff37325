/**
 * What Qdrant's REST API makes of a JSON number, so verification can tell a value Qdrant itself changed
 * on the way in from a real mismatch.
 *
 * Qdrant parses request bodies with serde_json built without its `float_roundtrip` feature. That parser
 * reads a decimal literal as an unsigned 64-bit significand and a decimal exponent, converts the
 * significand to a double and multiplies or divides it by a power of ten, a double rounding that lands one
 * unit in the last place away from the correctly rounded value for some literals with 16-17 significant
 * digits (0.1 + 0.2's `0.30000000000000004` is read exactly; others are not). Every REST client, the
 * frameworks' own included, gets the same stored value for the same number. Integers outside 64 bits
 * (beyond u64 upward, i64 downward) are stored as doubles.
 *
 * `serdeJsonNumber(text)` reproduces that parse (serde_json's `parse_integer`/`parse_decimal`/
 * `parse_exponent`/`f64_from_parts`): the value Qdrant stores for the literal, as an int or a float.
 */

/** 10^0 .. 10^308 as doubles (Rust's literals are correctly rounded, as JS's are). */
const POW10: number[] = Array.from({ length: 309 }, (_, i) => Number(`1e${i}`));
const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

export type QdrantNumber = { kind: 'int'; value: bigint } | { kind: 'float'; value: number };

function f64FromParts(positive: boolean, significand: bigint, exponent: number): number {
  let f = Number(significand); // `significand as f64`: round to nearest, ties to even
  for (;;) {
    const pow = POW10[Math.abs(exponent)];
    if (pow !== undefined) {
      if (exponent >= 0) f *= pow;
      else f /= pow;
      break;
    }
    if (f === 0) break;
    if (exponent >= 0) return positive ? Infinity : -Infinity; // serde: "number out of range"
    f /= 1e308;
    exponent += 308;
  }
  return positive ? f : -f;
}

/** The value Qdrant stores for JSON number text (null for text that is not a JSON number). */
export function serdeJsonNumber(text: string): QdrantNumber | null {
  const m = /^(-?)(0|[1-9]\d*)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/.exec(text);
  if (!m) return null;
  const positive = m[1] !== '-';
  const intDigits = m[2]!;
  const fracDigits = m[3];
  const expText = m[4];
  if (fracDigits === undefined && expText === undefined) {
    const v = BigInt(intDigits);
    if (v <= U64_MAX && (positive || -v >= I64_MIN)) return { kind: 'int', value: positive ? v : -v };
    // beyond 64 bits: serde_json keeps the first digits that fit and counts the rest as exponent
  }
  let significand = 0n;
  let exponent = 0;
  let overflowed = false;
  const take = (d: string, fraction: boolean) => {
    for (const c of d) {
      const next = significand * 10n + BigInt(c.charCodeAt(0) - 48);
      if (overflowed || next > U64_MAX) {
        // integer part: further digits only scale; fraction part: further digits are ignored
        overflowed = true;
        if (!fraction) exponent += 1;
        continue;
      }
      significand = next;
      if (fraction) exponent -= 1;
    }
  };
  take(intDigits, false);
  if (fracDigits !== undefined) take(fracDigits, true);
  if (expText !== undefined) exponent += Number(expText);
  return { kind: 'float', value: f64FromParts(positive, significand, exponent) };
}

/** True when Qdrant's own parse of `sentText` gives exactly `stored` (a float) although it differs from `intended`. */
export function isQdrantFloatRounding(sentText: string, intended: number | bigint, stored: number): boolean {
  const parsed = serdeJsonNumber(sentText);
  if (!parsed || parsed.kind !== 'float') return false;
  const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return same(parsed.value, stored) && !(typeof intended === 'number' && same(intended, stored));
}
