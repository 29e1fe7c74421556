import type { QueueInfo, StatsBucket, WorkerRecord } from '../store/store.js';
import { erlangC, meanWait, slotsForWait, waitQuantile } from './erlang.js';
import { type Histogram, merge, quantile } from './histogram.js';

/** Fewer finished attempts than this in the window and the M/M/c model is not trusted. */
export const MIN_SAMPLES = 30;

/** Inputs of the capacity model for one queue. */
export interface CapacityInput {
  queue: QueueInfo;
  /** The queue's statistics buckets inside the window. */
  buckets: StatsBucket[];
  /** Live workers (the registry); their concurrency serving this queue is c. */
  workers: WorkerRecord[];
  windowMs: number;
  /** The p95 wait to size for. */
  targetWaitMs: number;
  now: number;
}

/** What the model says about one queue. Rates per second, times in ms. */
export interface QueueCapacity {
  queue: string;
  windowSeconds: number;
  /** `mmc`: the M/M/c (Erlang C) model; `littles-law`: too few samples or no workers, plain averages only. */
  model: 'mmc' | 'littles-law';
  arrivals: number;
  finished: number;
  /** λ: jobs enqueued per second over the window. */
  arrivalRate: number;
  /** Attempts finished per second over the window. */
  throughput: number;
  /** S: mean run time of an attempt. */
  meanRunMs: number | null;
  runMs: { p50: number | null; p95: number | null; p99: number | null };
  /** Measured wait from due to start. */
  waitMs: { mean: number | null; p50: number | null; p95: number | null; p99: number | null };
  /** λ·S: how many slots the arrivals keep busy on average. */
  offeredLoad: number | null;
  /** c: slots of live workers that take this queue. */
  concurrency: number;
  /** Jobs of this queue running now, on every host. */
  busySlots: number;
  /** λ·S / c. */
  utilisation: number | null;
  /** The model's prediction at the current c. */
  predicted: { probabilityOfWaiting: number; meanWaitMs: number; p95WaitMs: number } | null;
  targetWaitMs: number;
  /** The smallest c that keeps the p95 wait under the target (M/M/c), or that keeps utilisation ≤ 80 % (Little's law). */
  recommendedConcurrency: number | null;
  /** Jobs due and waiting now. */
  backlog: number;
  /** Time to clear the backlog at the current net drain rate; null when it is not shrinking. */
  drainSeconds: number | null;
  /** Why the figures are what they are: assumptions and warnings, in words. */
  notes: string[];
}

/** Sums the buckets of a window. */
function totals(buckets: StatsBucket[]) {
  const sum = { arrivals: 0, starts: 0, completions: 0, failures: 0, waitMsSum: 0, runMsSum: 0 };
  const waitHist: Histogram = {};
  const runHist: Histogram = {};
  for (const b of buckets) {
    sum.arrivals += b.arrivals;
    sum.starts += b.starts;
    sum.completions += b.completions;
    sum.failures += b.failures;
    sum.waitMsSum += b.waitMsSum;
    sum.runMsSum += b.runMsSum;
    merge(waitHist, b.waitHist);
    merge(runHist, b.runHist);
  }
  return { ...sum, waitHist, runHist };
}

/** Slots of the live workers that take jobs from `queue` (a worker with no queue list takes every queue). */
export function slotsServing(queue: string, workers: WorkerRecord[]): number {
  return workers
    .filter((w) => w.queues.length === 0 || w.queues.includes(queue))
    .reduce((sum, w) => sum + w.concurrency, 0);
}

/**
 * The capacity model for one queue. Assumes M/M/c: arrivals independent of
 * each other (Poisson), run times roughly exponential, first come first
 * served, and every slot of the workers serving the queue free for it. Real
 * queues bend these (bursty arrivals wait longer than predicted; near-
 * constant run times wait less), so the figures are a sizing guide.
 */
export function queueCapacity(input: CapacityInput): QueueCapacity {
  const { queue, targetWaitMs } = input;
  // A queue younger than the window has no data for its start: rates are
  // taken over the span the buckets cover (the first minute to now).
  const first = Math.min(...input.buckets.map((b) => b.bucket));
  const windowMs = Math.max(
    1000,
    input.now - Math.max(input.now - input.windowMs, Number.isFinite(first) ? first : -Infinity),
  );
  const seconds = windowMs / 1000;
  const t = totals(input.buckets);
  const finished = t.completions + t.failures;
  const arrivalRate = t.arrivals / seconds;
  const throughput = finished / seconds;
  const meanRunMs = finished > 0 ? t.runMsSum / finished : null;
  const c = slotsServing(queue.name, input.workers);
  const offeredLoad = meanRunMs === null ? null : (arrivalRate * meanRunMs) / 1000;
  const utilisation = offeredLoad !== null && c > 0 ? offeredLoad / c : null;
  const backlog = queue.counts.available;
  const net = throughput - arrivalRate;
  const notes: string[] = [];
  const mmc = finished >= MIN_SAMPLES && offeredLoad !== null && meanRunMs !== null && meanRunMs > 0;
  let predicted: QueueCapacity['predicted'] = null;
  let recommended: number | null = null;
  if (mmc) {
    notes.push(
      `M/M/c model over the last ${Math.round(seconds)} s: Poisson arrivals, exponential run times, first come first served.`,
    );
    if (c > 0) {
      predicted = {
        probabilityOfWaiting: erlangC(c, offeredLoad),
        meanWaitMs: meanWait(c, offeredLoad, meanRunMs),
        p95WaitMs: waitQuantile(c, offeredLoad, meanRunMs, 0.95),
      };
      if (offeredLoad >= c)
        notes.push(`Overloaded: arrivals need ${offeredLoad.toFixed(1)} slots, ${c} are running.`);
    } else {
      notes.push('No live worker takes this queue: nothing runs it now.');
    }
    recommended = slotsForWait(offeredLoad, meanRunMs, targetWaitMs);
  } else {
    notes.push(
      finished === 0
        ? 'No attempt finished in the window: no run time to model yet.'
        : `Only ${finished} attempts finished in the window (fewer than ${MIN_SAMPLES}): plain averages (Little's law), no wait prediction.`,
    );
    if (offeredLoad !== null) recommended = Math.max(1, Math.ceil(offeredLoad / 0.8));
  }
  if (backlog > 0 && net <= 0) notes.push('The backlog is not shrinking at the current rates.');
  return {
    queue: queue.name,
    windowSeconds: seconds,
    model: mmc ? 'mmc' : 'littles-law',
    arrivals: t.arrivals,
    finished,
    arrivalRate,
    throughput,
    meanRunMs,
    runMs: { p50: quantile(t.runHist, 0.5), p95: quantile(t.runHist, 0.95), p99: quantile(t.runHist, 0.99) },
    waitMs: {
      mean: t.starts > 0 ? t.waitMsSum / t.starts : null,
      p50: quantile(t.waitHist, 0.5),
      p95: quantile(t.waitHist, 0.95),
      p99: quantile(t.waitHist, 0.99),
    },
    offeredLoad,
    concurrency: c,
    busySlots: queue.counts.active,
    utilisation,
    predicted,
    targetWaitMs,
    recommendedConcurrency: recommended,
    backlog,
    drainSeconds: backlog === 0 ? 0 : net > 0 ? backlog / net : null,
    notes,
  };
}
