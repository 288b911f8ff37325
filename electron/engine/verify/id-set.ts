/**
 * A set of point ids held in typed arrays (8 bytes per integer id, 16 per UUID) instead of millions of JS
 * strings or bigints in a Set: a few million ids cost tens of megabytes. Sorted once, then two sets are
 * compared by a linear merge.
 */

class GrowableU64 {
  data = new BigUint64Array(1024);
  length = 0;
  push(v: bigint): void {
    if (this.length === this.data.length) {
      const next = new BigUint64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): BigUint64Array {
    return this.data.subarray(0, this.length);
  }
}

const U64 = (1n << 64n) - 1n;

function uuidHalves(uuid: string): [bigint, bigint] | null {
  const hex = uuid.replace(/^urn:uuid:/i, '').replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  return [BigInt(`0x${hex.slice(0, 16)}`), BigInt(`0x${hex.slice(16)}`)];
}

function uuidString(hi: bigint, lo: bigint): string {
  const h = hi.toString(16).padStart(16, '0') + lo.toString(16).padStart(16, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class IdSet {
  private readonly ints = new GrowableU64();
  /** UUIDs as (high 64 bits, low 64 bits) pairs. */
  private readonly uuids = new GrowableU64();
  private sortedUuids: BigUint64Array | null = null;
  private sortedInts: BigUint64Array | null = null;

  get size(): number {
    return this.ints.length + this.uuids.length / 2;
  }

  add(id: bigint | string): void {
    this.sortedInts = null;
    this.sortedUuids = null;
    if (typeof id === 'bigint') {
      if (id < 0n || id > U64) throw new RangeError(`point id ${id} is outside the unsigned 64-bit range`);
      this.ints.push(id);
      return;
    }
    const halves = uuidHalves(id);
    if (!halves) throw new RangeError(`point id "${id}" is neither an integer nor a UUID`);
    this.uuids.push(halves[0]);
    this.uuids.push(halves[1]);
  }

  private ordered(): { ints: BigUint64Array; uuids: BigUint64Array } {
    if (!this.sortedInts) this.sortedInts = this.ints.view().sort();
    if (!this.sortedUuids) this.sortedUuids = sortPairs(this.uuids.view());
    return { ints: this.sortedInts, uuids: this.sortedUuids };
  }

  /** Ids that occur more than once (each named once), up to `limit`. */
  repeated(limit: number): (bigint | string)[] {
    const { ints, uuids } = this.ordered();
    const out: (bigint | string)[] = [];
    for (let i = 1; i < ints.length && out.length < limit; i++) {
      if (ints[i] === ints[i - 1] && (i < 2 || ints[i - 1] !== ints[i - 2])) out.push(ints[i]!);
    }
    for (let i = 2; i < uuids.length && out.length < limit; i += 2) {
      const same = uuids[i] === uuids[i - 2] && uuids[i + 1] === uuids[i - 1];
      const already = i >= 4 && uuids[i - 2] === uuids[i - 4] && uuids[i - 1] === uuids[i - 3];
      if (same && !already) out.push(uuidString(uuids[i]!, uuids[i + 1]!));
    }
    return out;
  }

  /**
   * Ids in `this` but not in `other` (first `limit` named), ids in `other` but not in `this`, and ids that
   * occur more than once in `this`.
   */
  compare(other: IdSet, limit = 10): SetComparison {
    const a = this.ordered();
    const b = other.ordered();
    const out: SetComparison = { onlyHere: 0, onlyThere: 0, duplicatesHere: 0, examplesOnlyHere: [], examplesOnlyThere: [], examplesDuplicates: [] };
    mergeCompare(a.ints, b.ints, 1, out, limit, (arr, i) => arr[i]!.toString());
    mergeCompare(a.uuids, b.uuids, 2, out, limit, (arr, i) => uuidString(arr[i]!, arr[i + 1]!));
    return out;
  }
}

export interface SetComparison {
  onlyHere: number;
  onlyThere: number;
  duplicatesHere: number;
  examplesOnlyHere: string[];
  examplesOnlyThere: string[];
  examplesDuplicates: string[];
}

function cmp(a: BigUint64Array, i: number, b: BigUint64Array, j: number, width: number): number {
  for (let w = 0; w < width; w++) {
    const x = a[i + w]!;
    const y = b[j + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function mergeCompare(
  a: BigUint64Array,
  b: BigUint64Array,
  width: number,
  out: SetComparison,
  limit: number,
  name: (arr: BigUint64Array, i: number) => string,
): void {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i > 0 && i < a.length && cmp(a, i, a, i - width, width) === 0) {
      out.duplicatesHere++;
      if (out.examplesDuplicates.length < limit) out.examplesDuplicates.push(name(a, i));
      i += width;
      continue;
    }
    const c = i >= a.length ? 1 : j >= b.length ? -1 : cmp(a, i, b, j, width);
    if (c === 0) {
      i += width;
      // Skip repeats on the other side too: a set difference, not a multiset one.
      do j += width;
      while (j < b.length && cmp(b, j, b, j - width, width) === 0);
    } else if (c < 0) {
      out.onlyHere++;
      if (out.examplesOnlyHere.length < limit) out.examplesOnlyHere.push(name(a, i));
      i += width;
    } else {
      out.onlyThere++;
      if (out.examplesOnlyThere.length < limit) out.examplesOnlyThere.push(name(b, j));
      do j += width;
      while (j < b.length && cmp(b, j, b, j - width, width) === 0);
    }
  }
}

/** Sort (hi, lo) pairs: an index permutation sorted by comparator, then gathered. */
function sortPairs(flat: BigUint64Array): BigUint64Array {
  const n = flat.length / 2;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => {
    const a = flat[2 * x]!;
    const b = flat[2 * y]!;
    if (a !== b) return a < b ? -1 : 1;
    const c = flat[2 * x + 1]!;
    const d = flat[2 * y + 1]!;
    return c === d ? 0 : c < d ? -1 : 1;
  });
  const out = new BigUint64Array(flat.length);
  for (let k = 0; k < n; k++) {
    out[2 * k] = flat[2 * order[k]!]!;
    out[2 * k + 1] = flat[2 * order[k]! + 1]!;
  }
  return out;
}
