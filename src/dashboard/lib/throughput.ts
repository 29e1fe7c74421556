import type { ApiJob, ApiQueue } from '../../http-client/wire.js';

/** Jobs that finished in one minute. */
export interface Bucket {
  completed: number;
  failed: number;
}

/** A queue's last hour, one point per minute, oldest first (x in seconds, for uPlot). */
export interface Window {
  x: number[];
  completed: number[];
  failed: number[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const minuteOf = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/**
 * Completed and failed jobs per minute, per queue, over the last hour.
 *
 * The API has no time series yet, so this is built in the browser: each
 * poll of `GET /v1/queues` adds the growth of the completed and failed
 * counts to the current minute. Minutes before the page opened are filled
 * from a sample of recently finished jobs (their finishedAt), where the
 * sample reaches back that far.
 */
export class ThroughputSeries {
  private readonly buckets = new Map<string, Map<number, Bucket>>();
  private readonly last = new Map<string, Bucket>();

  private bucket(queue: string, minute: number): Bucket {
    let byMinute = this.buckets.get(queue);
    if (!byMinute) {
      byMinute = new Map();
      this.buckets.set(queue, byMinute);
    }
    let bucket = byMinute.get(minute);
    if (!bucket) {
      bucket = { completed: 0, failed: 0 };
      byMinute.set(minute, bucket);
    }
    return bucket;
  }

  /** Adds what finished since the previous poll. */
  observe(queues: ApiQueue[], now: number): void {
    for (const queue of queues) {
      const counts = { completed: queue.counts.completed, failed: queue.counts.failed };
      const before = this.last.get(queue.name);
      this.last.set(queue.name, counts);
      if (!before) continue;
      // Counts also fall (pruning, deleting, retrying a failed job): a fall is not negative throughput.
      const completed = Math.max(0, counts.completed - before.completed);
      const failed = Math.max(0, counts.failed - before.failed);
      // The bucket exists even when nothing finished: a seen minute is never seeded over.
      const bucket = this.bucket(queue.name, minuteOf(now));
      bucket.completed += completed;
      bucket.failed += failed;
    }
    this.prune(now);
  }

  /**
   * Fills minutes this series has not seen from finished jobs of `queue`
   * (finishedAt up to `until`). `reachesBack` is the earliest time the
   * sample is complete from; minutes before it are left empty.
   */
  seed(queue: string, jobs: ApiJob[], until: number, reachesBack: number): void {
    const known = new Set(this.buckets.get(queue)?.keys() ?? []);
    const from = Math.max(until - HOUR, reachesBack);
    for (const job of jobs) {
      const at = job.finishedAt;
      if (at === null || at > until || at < from) continue;
      const minute = minuteOf(at);
      if (known.has(minute)) continue;
      const bucket = this.bucket(queue, minute);
      if (job.state === 'failed') bucket.failed++;
      else if (job.state === 'completed') bucket.completed++;
    }
  }

  /** The last hour of a queue, one point per minute; minutes with no data are 0. */
  window(queue: string, now: number): Window {
    const byMinute = this.buckets.get(queue);
    const x: number[] = [];
    const completed: number[] = [];
    const failed: number[] = [];
    const end = minuteOf(now);
    for (let minute = end - HOUR + MINUTE; minute <= end; minute += MINUTE) {
      const bucket = byMinute?.get(minute);
      x.push(minute / 1000);
      completed.push(bucket?.completed ?? 0);
      failed.push(bucket?.failed ?? 0);
    }
    return { x, completed, failed };
  }

  private prune(now: number): void {
    const oldest = minuteOf(now) - HOUR;
    for (const byMinute of this.buckets.values()) {
      for (const minute of byMinute.keys()) if (minute < oldest) byMinute.delete(minute);
    }
  }

  /** The buckets, for sessionStorage (a reload keeps the hour). */
  toJSON(): Record<string, [number, number, number][]> {
    const out: Record<string, [number, number, number][]> = {};
    for (const [queue, byMinute] of this.buckets) {
      out[queue] = [...byMinute].map(([minute, b]) => [minute, b.completed, b.failed]);
    }
    return out;
  }

  /** Restores buckets saved by toJSON. Counts are not restored: the gap while away stays a gap. */
  static fromJSON(value: unknown): ThroughputSeries {
    const series = new ThroughputSeries();
    if (typeof value !== 'object' || value === null) return series;
    for (const [queue, rows] of Object.entries(value as Record<string, unknown>)) {
      if (!Array.isArray(rows)) continue;
      for (const row of rows) {
        if (!Array.isArray(row) || row.length !== 3 || !row.every((n) => typeof n === 'number')) continue;
        const [minute, completed, failed] = row as [number, number, number];
        const bucket = series.bucket(queue, minute);
        bucket.completed = completed;
        bucket.failed = failed;
      }
    }
    return series;
  }
}
