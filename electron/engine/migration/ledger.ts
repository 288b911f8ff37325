/**
 * What has been acknowledged, in the form exact resume needs: every batch below `watermark` is done, plus
 * the batches above it that finished out of order. Counts move only when a batch becomes done for the
 * first time, so replaying a batch (after a crash or a reconnect) never counts it twice.
 */
export class BatchLedger {
  private above = new Set<number>();

  constructor(
    public watermark: number,
    completedAbove: readonly number[],
    readonly totalBatches: number,
  ) {
    for (const b of completedAbove) if (b >= watermark) this.above.add(b);
    this.advance();
  }

  isDone(batch: number): boolean {
    return batch < this.watermark || this.above.has(batch);
  }

  /** Marks a batch done; false when it already was. */
  complete(batch: number): boolean {
    if (this.isDone(batch)) return false;
    this.above.add(batch);
    this.advance();
    return true;
  }

  private advance(): void {
    while (this.above.has(this.watermark)) {
      this.above.delete(this.watermark);
      this.watermark++;
    }
  }

  completedAbove(): number[] {
    return [...this.above].sort((a, b) => a - b);
  }

  doneCount(): number {
    return this.watermark + this.above.size;
  }

  allDone(): boolean {
    return this.doneCount() >= this.totalBatches;
  }
}
