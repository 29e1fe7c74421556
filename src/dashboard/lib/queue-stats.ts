import { type Histogram, merge, quantile } from '../../capacity/histogram.js';
import type { ApiStatsBucket } from '../../http-client/wire.js';

/** p50 and p95 in ms. */
export interface Spread {
  p50: number;
  p95: number;
}

/** A queue's last hour from `GET /v1/stats`: one point per minute, oldest first (x in seconds, for uPlot). */
export interface QueueHour {
  x: number[];
  completions: number[];
  failures: number[];
  /** Wait (due → started) and run time over the hour, from the merged histograms. */
  wait: Spread | null;
  run: Spread | null;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function spread(histogram: Histogram): Spread | null {
  const p50 = quantile(histogram, 0.5);
  const p95 = quantile(histogram, 0.95);
  return p50 === null || p95 === null ? null : { p50, p95 };
}

/**
 * Turns the server's per-minute buckets (every host's workers, every
 * queue) into each queue's last hour. Minutes with no bucket are 0.
 */
export function hoursOf(buckets: ApiStatsBucket[], now: number): Map<string, QueueHour> {
  const end = Math.floor(now / MINUTE) * MINUTE;
  const start = end - HOUR + MINUTE;
  const byQueue = new Map<
    string,
    { buckets: Map<number, ApiStatsBucket>; wait: Histogram; run: Histogram }
  >();
  for (const bucket of buckets) {
    if (bucket.bucket < start || bucket.bucket > end) continue;
    let entry = byQueue.get(bucket.queue);
    if (!entry) {
      entry = { buckets: new Map(), wait: {}, run: {} };
      byQueue.set(bucket.queue, entry);
    }
    entry.buckets.set(bucket.bucket, bucket);
    merge(entry.wait, bucket.waitHist as Histogram);
    merge(entry.run, bucket.runHist as Histogram);
  }
  const hours = new Map<string, QueueHour>();
  for (const [queue, entry] of byQueue) {
    const hour: QueueHour = {
      x: [],
      completions: [],
      failures: [],
      wait: spread(entry.wait),
      run: spread(entry.run),
    };
    for (let minute = start; minute <= end; minute += MINUTE) {
      const bucket = entry.buckets.get(minute);
      hour.x.push(minute / 1000);
      hour.completions.push(bucket?.completions ?? 0);
      hour.failures.push(bucket?.failures ?? 0);
    }
    hours.set(queue, hour);
  }
  return hours;
}

/** An hour with nothing in it, for a queue with no measurements yet. */
export function emptyHour(now: number): QueueHour {
  const end = Math.floor(now / MINUTE) * MINUTE;
  const x: number[] = [];
  for (let minute = end - HOUR + MINUTE; minute <= end; minute += MINUTE) x.push(minute / 1000);
  return { x, completions: x.map(() => 0), failures: x.map(() => 0), wait: null, run: null };
}

/** Sum of a series. */
export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
