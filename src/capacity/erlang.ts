/**
 * Queueing formulas for an M/M/c queue: Poisson arrivals at rate λ,
 * exponential service with mean S, c parallel slots, first come first served.
 * Offered load a = λ·S (in slots); the queue is stable only when a < c.
 */

/**
 * Erlang C: the probability that an arriving job has to wait, for c slots and
 * offered load a. Computed through the Erlang B recursion, which stays
 * numerically stable for large c.
 */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (a >= c) return 1;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b / (1 - (a / c) * (1 - b));
}

/** Mean wait before a job starts, in the unit of `serviceTime`. Infinite when a ≥ c. */
export function meanWait(c: number, a: number, serviceTime: number): number {
  if (a >= c) return Number.POSITIVE_INFINITY;
  return (erlangC(c, a) * serviceTime) / (c - a);
}

/**
 * The q-quantile of the wait (e.g. q = 0.95). In M/M/c the wait is 0 with
 * probability 1 − C, and otherwise exponential with rate (c − a)/S, so
 * P(W > t) = C·e^(−(c−a)t/S).
 */
export function waitQuantile(c: number, a: number, serviceTime: number, q: number): number {
  if (a >= c) return Number.POSITIVE_INFINITY;
  const pWait = erlangC(c, a);
  if (pWait <= 1 - q) return 0;
  return (Math.log(pWait / (1 - q)) * serviceTime) / (c - a);
}

/** The smallest c whose q-quantile wait is at most `target` (same unit as serviceTime). */
export function slotsForWait(
  a: number,
  serviceTime: number,
  target: number,
  q = 0.95,
  max = 100_000,
): number {
  let c = Math.max(1, Math.floor(a) + 1);
  while (c < max && waitQuantile(c, a, serviceTime, q) > target) c++;
  return c;
}
