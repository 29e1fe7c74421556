import type { Docket } from '../client.js';

/**
 * Tells a follower of one job when to read it again: at once when this
 * process sees an event for the job, else every `pollMs` (workers in other
 * processes change the store without telling this one). It listens from
 * construction, so an event that lands between a read and the next `wait()`
 * is not lost: `wait()` then returns at once.
 */
export class JobWatch {
  private dirty = false;
  private wake: (() => void) | null = null;
  private readonly off: () => void;
  private readonly onAbort = () => this.fire();

  constructor(
    docket: Docket,
    id: string,
    private readonly pollMs: number,
    private readonly signal: AbortSignal,
  ) {
    this.off = docket.events.onJob(id, () => {
      // Log lines and completions are written in batches a moment after
      // the event; reading on the next turn finds them in the store.
      setImmediate(() => this.fire());
    });
    signal.addEventListener('abort', this.onAbort, { once: true });
  }

  private fire(): void {
    this.dirty = true;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Resolves when the job may have changed since the last `wait()`, or after the poll interval, or on abort. */
  async wait(maxMs = this.pollMs): Promise<void> {
    if (this.dirty || this.signal.aborted) {
      this.dirty = false;
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      timer = setTimeout(resolve, Math.max(1, Math.min(maxMs, this.pollMs)));
    });
    clearTimeout(timer);
    this.wake = null;
    this.dirty = false;
  }

  /** Stops listening. */
  close(): void {
    this.off();
    this.signal.removeEventListener('abort', this.onAbort);
    this.wake?.();
  }
}
