// Queueing helpers for the capacity validation (bench/capacity/validate.ts):
// the ideal first-come-first-served c-slot queue replayed from recorded
// arrivals and run times, a plain M/M/c simulator for the sampling spread of
// a finite run, and small statistics helpers.

/** The q-quantile of ascending `sorted` (nearest rank), or 0 when empty. */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Ascending copy. */
export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/**
 * Waits of an ideal first-come-first-served queue with `c` slots, for jobs
 * arriving at `arrivals[i]` (ascending) that each hold a slot for
 * `services[i]`: each job starts at its arrival or when the earliest slot
 * frees, whichever is later (the Kiefer–Wolfowitz recursion; Lindley's for
 * c = 1). No dispatch delay: a free slot takes the next job at once.
 */
export function replayWaits(arrivals: readonly number[], services: readonly number[], c: number): number[] {
  const free = new Array<number>(c).fill(Number.NEGATIVE_INFINITY);
  const waits = new Array<number>(arrivals.length);
  for (let i = 0; i < arrivals.length; i++) {
    let slot = 0;
    for (let k = 1; k < c; k++) if (free[k]! < free[slot]!) slot = k;
    const start = Math.max(arrivals[i]!, free[slot]!);
    waits[i] = start - arrivals[i]!;
    free[slot] = start + services[i]!;
  }
  return waits;
}

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** A small seeded generator (mulberry32), so simulated bands are reproducible. */
export function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponentially distributed number with this mean. */
export function exponential(mean: number, random: Random = Math.random): number {
  return -Math.log(1 - random()) * mean;
}

/**
 * The p95 wait an ideal M/M/c queue shows in a run like the bench's: empty at
 * the start, Poisson arrivals at `lambda` per second for `seconds`, the
 * arrivals of the first `warmSeconds` not counted, every counted job followed
 * to its start. One simulated run; call it repeatedly for the spread.
 */
export function simulatedP95(
  lambda: number,
  serviceMs: number,
  c: number,
  seconds: number,
  warmSeconds: number,
  random: Random,
): number {
  const free = new Array<number>(c).fill(0);
  const waits: number[] = [];
  const end = seconds * 1000;
  const warm = warmSeconds * 1000;
  let t = exponential(1000 / lambda, random);
  while (t < end) {
    let slot = 0;
    for (let k = 1; k < c; k++) if (free[k]! < free[slot]!) slot = k;
    const start = Math.max(t, free[slot]!);
    free[slot] = start + exponential(serviceMs, random);
    if (t >= warm) waits.push(start - t);
    t += exponential(1000 / lambda, random);
  }
  waits.sort((a, b) => a - b);
  return quantileOf(waits, 0.95);
}

/**
 * The 5th and 95th percentiles of the p95 wait over `runs` simulated M/M/c
 * runs of this length: where 90 % of runs of a queue that follows the model
 * exactly land. A measured p95 inside it is as close as the run length allows.
 */
export function samplingBand(
  lambda: number,
  serviceMs: number,
  c: number,
  seconds: number,
  warmSeconds: number,
  runs = 200,
  seed = 1,
): { low: number; median: number; high: number } {
  const random = seeded(seed);
  const p95s = sorted(
    Array.from({ length: runs }, () => simulatedP95(lambda, serviceMs, c, seconds, warmSeconds, random)),
  );
  return { low: quantileOf(p95s, 0.05), median: quantileOf(p95s, 0.5), high: quantileOf(p95s, 0.95) };
}

/**
 * The mean of the exponential to sample so that the realised run time,
 * max(X − overhead, 0) requested plus `overheadMs` added by the worker, i.e.
 * max(X, overhead), has mean `targetMs`: solves d + m·e^(−d/m) = S for m.
 * Exponential above the overhead, so the shape stays close to M/M/c.
 */
export function calibratedMean(targetMs: number, overheadMs: number): number {
  if (overheadMs <= 0) return targetMs;
  if (overheadMs >= targetMs) return 0;
  // d + m·e^(−d/m) grows with m, is d − S < 0 at m → 0 and ≥ 0 at m = S: bisect.
  let low = 0;
  let high = targetMs;
  for (let i = 0; i < 60; i++) {
    const m = (low + high) / 2;
    if (overheadMs + m * Math.exp(-overheadMs / m) < targetMs) low = m;
    else high = m;
  }
  return (low + high) / 2;
}
