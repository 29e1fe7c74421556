/**
 * A log-bucketed histogram of durations in ms, small enough to store one per
 * queue per minute and exact enough for percentiles: bucket k holds values in
 * [2^(k/8), 2^((k+1)/8)), about 9 % wide, and a quantile interpolates inside
 * its bucket. Stored sparse, as `{ bucketIndex: count }`. Bucket 0 also holds
 * everything under 1 ms.
 */
export type Histogram = Record<number, number>;

const STEPS_PER_DOUBLING = 8;
const MAX_BUCKET = STEPS_PER_DOUBLING * 40; // 2^40 ms: about 35 years

function bucketOf(ms: number): number {
  if (!(ms > 1)) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log2(ms) * STEPS_PER_DOUBLING));
}

function lowerBound(bucket: number): number {
  return bucket === 0 ? 0 : 2 ** (bucket / STEPS_PER_DOUBLING);
}

/** Adds one value. */
export function record(histogram: Histogram, ms: number, count = 1): void {
  const bucket = bucketOf(ms);
  histogram[bucket] = (histogram[bucket] ?? 0) + count;
}

/** Adds every count of `from` into `into`. */
export function merge(into: Histogram, from: Histogram): Histogram {
  for (const [bucket, count] of Object.entries(from)) {
    const k = Number(bucket);
    into[k] = (into[k] ?? 0) + count;
  }
  return into;
}

/** How many values it holds. */
export function total(histogram: Histogram): number {
  let n = 0;
  for (const count of Object.values(histogram)) n += count;
  return n;
}

/** The q-quantile (0 < q ≤ 1) in ms, or null when empty. */
export function quantile(histogram: Histogram, q: number): number | null {
  const n = total(histogram);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  const buckets = Object.keys(histogram)
    .map(Number)
    .sort((a, b) => a - b);
  for (const bucket of buckets) {
    const count = histogram[bucket]!;
    if (seen + count >= rank) {
      const low = lowerBound(bucket);
      const high = lowerBound(bucket + 1);
      const within = count === 0 ? 0 : (rank - seen) / count;
      return low + (high - low) * within;
    }
    seen += count;
  }
  return lowerBound(buckets.at(-1)! + 1);
}
