/**
 * Fixed-capacity history for the live charts. SVG cost grows with the number of points (recharts#949),
 * so the dashboard keeps the last `capacity` samples and drops the oldest; pushing never allocates
 * beyond the capacity.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(item: T): void {
    const end = (this.start + this.length) % this.capacity;
    this.items[end] = item;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.length === 0 ? undefined : this.items[(this.start + this.length - 1) % this.capacity];
  }

  /** Replace the newest item (used to merge samples closer together than the chart's resolution). */
  replaceLast(item: T): void {
    if (this.length === 0) this.push(item);
    else this.items[(this.start + this.length - 1) % this.capacity] = item;
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
    this.items.fill(undefined);
  }

  /** Oldest first; a new array, so React sees a new reference once per flush. */
  toArray(): T[] {
    const out: T[] = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }
}
