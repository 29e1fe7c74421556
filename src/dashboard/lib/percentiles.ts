import type { ApiJob } from '../../http-client/wire.js';

/** p50 and p95 of a sample, in ms. */
export interface Spread {
  p50: number;
  p95: number;
}

/** Wait and run time of a sample of finished jobs. */
export interface Timings {
  /** From when a job could start (run time) to when it started. */
  wait: Spread | null;
  /** From start to finish of the last attempt. */
  run: Spread | null;
  /** Jobs in the sample. */
  sample: number;
}

/** The p-th percentile (0–1) of ascending values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

function spread(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

/**
 * Wait and run time percentiles from finished jobs. Only the last attempt
 * is visible on a job (startedAt, runAt), so for retried jobs the wait is
 * that of the final attempt.
 */
export function timingsOf(jobs: ApiJob[]): Timings {
  const wait: number[] = [];
  const run: number[] = [];
  for (const job of jobs) {
    if (job.startedAt === null) continue;
    wait.push(Math.max(0, job.startedAt - job.runAt));
    if (job.finishedAt !== null) run.push(Math.max(0, job.finishedAt - job.startedAt));
  }
  return { wait: spread(wait), run: spread(run), sample: jobs.length };
}
