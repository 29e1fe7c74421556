/**
 * Coalesces calls made close together into one batch call: items added in
 * the same turn of the event loop, or while the previous batch is still being
 * written, go in the next batch. Each caller still gets its own result or
 * error, and nothing resolves before its batch is done — so "committed when
 * the promise resolves" holds while one transaction serves many callers.
 */
export class Batcher<In, Out> {
  private pending: { item: In; resolve: (value: Out) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;
  private scheduled = false;

  /**
   * @param run writes a batch; returns one output per input, in order.
   * @param maxBatch most items in one batch.
   */
  constructor(
    private readonly run: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch = 1000,
  ) {}

  /** Adds an item; resolves with its output once its batch is written. */
  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items not yet written. */
  get size(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const batch = this.pending.splice(0, this.maxBatch);
    try {
      const outputs = await this.run(batch.map((entry) => entry.item));
      for (const [i, entry] of batch.entries()) entry.resolve(outputs[i] as Out);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.flushing = false;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
