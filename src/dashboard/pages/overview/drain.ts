import type { ApiQueue } from '../../../http-client/wire.js';
import { duration } from '../../lib/format.js';

/** How a queue's backlog is draining, in words. */
export interface Drain {
  /** e.g. `about 4 min`, `not draining`. */
  text: string;
  /** The longer why, for a title. */
  why?: string;
  /** True when the backlog is not shrinking (paused, or nothing finishing). */
  stuck: boolean;
}

/**
 * Time to drain the ready backlog at the rate of the last minute
 * (`finishedLastMinute`, the same rate the server's Retry-After uses).
 */
export function drainOf(queue: ApiQueue): Drain {
  const ready = queue.counts.available;
  if (ready === 0) return { text: 'nothing waiting', stuck: false };
  if (queue.paused)
    return { text: 'paused', why: 'The queue is paused: no job starts until it is resumed', stuck: true };
  if (queue.finishedLastMinute === 0) {
    return { text: 'not draining', why: 'No job of this queue finished in the last minute', stuck: true };
  }
  return { text: `about ${duration((ready / queue.finishedLastMinute) * 60_000)}`, stuck: false };
}
