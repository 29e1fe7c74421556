import type { Histogram } from '../capacity/histogram.js';
import { merge } from '../capacity/histogram.js';
import type { StatsBucket } from './store.js';

/** Length of one statistics bucket: a minute. */
export const STATS_BUCKET_MS = 60_000;

/** The start of the bucket holding `time`. */
export function bucketStart(time: number): number {
  return time - (((time % STATS_BUCKET_MS) + STATS_BUCKET_MS) % STATS_BUCKET_MS);
}

/** A docket_queue_stats row as a driver returns it. */
export interface StatsRow {
  queue: string;
  bucket: number | string;
  arrivals: number | string;
  starts: number | string;
  completions: number | string;
  failures: number | string;
  wait_ms_sum: number | string;
  run_ms_sum: number | string;
  wait_hist: string | Histogram;
  run_hist: string | Histogram;
}

function hist(value: string | Histogram): Histogram {
  return typeof value === 'string' ? (JSON.parse(value) as Histogram) : value;
}

/** Maps a stored row to a StatsBucket; shared by every store. */
export function rowToStats(row: StatsRow): StatsBucket {
  return {
    queue: row.queue,
    bucket: Number(row.bucket),
    arrivals: Number(row.arrivals),
    starts: Number(row.starts),
    completions: Number(row.completions),
    failures: Number(row.failures),
    waitMsSum: Number(row.wait_ms_sum),
    runMsSum: Number(row.run_ms_sum),
    waitHist: hist(row.wait_hist),
    runHist: hist(row.run_hist),
  };
}

/** Adds `add` into `into` (same queue and bucket). */
export function addStats(into: StatsBucket, add: StatsBucket): StatsBucket {
  return {
    queue: into.queue,
    bucket: into.bucket,
    arrivals: into.arrivals + add.arrivals,
    starts: into.starts + add.starts,
    completions: into.completions + add.completions,
    failures: into.failures + add.failures,
    waitMsSum: into.waitMsSum + add.waitMsSum,
    runMsSum: into.runMsSum + add.runMsSum,
    waitHist: merge({ ...into.waitHist }, add.waitHist),
    runHist: merge({ ...into.runHist }, add.runHist),
  };
}

/** The columns of a bucket, for an upsert. */
export function statsToColumns(stats: StatsBucket): Record<string, string | number> {
  return {
    queue: stats.queue,
    bucket: stats.bucket,
    arrivals: stats.arrivals,
    starts: stats.starts,
    completions: stats.completions,
    failures: stats.failures,
    wait_ms_sum: stats.waitMsSum,
    run_ms_sum: stats.runMsSum,
    wait_hist: JSON.stringify(stats.waitHist),
    run_hist: JSON.stringify(stats.runHist),
  };
}
