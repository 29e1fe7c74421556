import type { Job } from '../job.js';
import { addStats, bucketStart } from '../store/stats-rows.js';
import type { StatsBucket, Store } from '../store/store.js';
import { record } from './histogram.js';

/**
 * Measures arrivals, starts, finishes, wait and run times in memory, per
 * queue and minute, and adds them to the store every `flushMs` (and on
 * close). Counting costs a map lookup per job on the hot path; the store sees
 * one small write per queue per flush. A process that crashes loses at most
 * its last unflushed interval.
 */
export class StatsRecorder {
  private pending = new Map<string, StatsBucket>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly flushMs = 5000,
  ) {}

  /** The bucket used last: jobs come in runs of one queue and minute, so most lookups end here. */
  private last: StatsBucket | null = null;

  private bucket(queue: string, at: number): StatsBucket {
    const start = bucketStart(at);
    const last = this.last;
    if (last !== null && last.queue === queue && last.bucket === start) return last;
    const key = `${queue}\u0000${start}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = {
        queue,
        bucket: start,
        arrivals: 0,
        starts: 0,
        completions: 0,
        failures: 0,
        waitMsSum: 0,
        runMsSum: 0,
        waitHist: {},
        runHist: {},
      };
      this.pending.set(key, entry);
      this.schedule();
    }
    this.last = entry;
    return entry;
  }

  /** A job was enqueued. */
  arrival(queue: string, at: number): void {
    this.bucket(queue, at).arrivals++;
  }

  /**
   * An attempt started: its wait runs from when it became due to now, less
   * any time a flow limit held it back (`readyAt`, set by the claim), which
   * is a deliberate limit, not a shortage of workers.
   */
  started(job: Job, at: number): void {
    const entry = this.bucket(job.queue, at);
    const wait = Math.max(0, at - Math.max(job.runAt, job.readyAt ?? job.runAt));
    entry.starts++;
    entry.waitMsSum += wait;
    record(entry.waitHist, wait);
  }

  /** An attempt ended, successfully or not. */
  finished(job: Job, ok: boolean, at: number): void {
    const entry = this.bucket(job.queue, at);
    const run = Math.max(0, at - (job.startedAt ?? at));
    if (ok) entry.completions++;
    else entry.failures++;
    entry.runMsSum += run;
    record(entry.runHist, run);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Writes what was measured so far; failures keep the numbers for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const buckets = [...this.pending.values()];
      this.pending = new Map();
      // The buckets are on their way to the store: new counts go in new ones.
      this.last = null;
      try {
        await this.store.recordStats({ buckets });
      } catch {
        // Keep them: merged back, the next flush retries.
        this.last = null;
        for (const lost of buckets) {
          const key = `${lost.queue}\u0000${lost.bucket}`;
          const now = this.pending.get(key);
          this.pending.set(key, now ? addStats(now, lost) : lost);
        }
        this.schedule();
      }
    });
    return this.flushing;
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}
