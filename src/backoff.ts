import { toMs } from './duration.js';
import type { Backoff } from './task.js';

/**
 * Milliseconds to wait before the attempt after `attempt` (1-based) failed.
 * Exponential backoff uses full jitter (a uniform pick in [0, cap]), which
 * spreads a burst of failures instead of retrying them in lockstep.
 */
export function backoffDelay(
  backoff: Backoff,
  attempt: number,
  error: unknown,
  random = Math.random,
): number {
  if (typeof backoff === 'function') return Math.max(0, Math.round(backoff(attempt, error)));
  if (backoff.type === 'fixed') return toMs(backoff.delay);
  const base = toMs(backoff.base);
  const max = backoff.max === undefined ? Number.POSITIVE_INFINITY : toMs(backoff.max);
  const cap = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return backoff.jitter === false ? cap : Math.round(random() * cap);
}
