/**
 * Which points a verification reads back: a seeded, reproducible choice of ordinals (positions in the
 * index's stream order), so two runs with the same seed check the same points and a failure can be
 * re-examined.
 */

/** mulberry32: a small, well-distributed 32-bit PRNG; reproducible from the seed on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `k` distinct ordinals in [0, n), in the order they were drawn (Floyd's algorithm: O(k) memory and time,
 * whatever n is). All of them when k ≥ n.
 */
export function sampleOrdinals(n: number, k: number, seed: number): number[] {
  if (k >= n) {
    const all = Array.from({ length: n }, (_, i) => i);
    shuffle(all, prng(seed));
    return all;
  }
  const rand = prng(seed);
  const chosen = new Set<number>();
  const order: number[] = [];
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rand() * (j + 1));
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    order.push(pick);
  }
  shuffle(order, rand);
  return order;
}

function shuffle(a: number[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
}
