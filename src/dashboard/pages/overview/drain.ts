import type { ApiQueue, ApiQueueCapacity } from '../../../http-client/wire.js';
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
 * Time to drain the backlog, from the capacity model (`drainSeconds`: the
 * backlog over the net drain rate of its window, measured on every host).
 * Until the first report arrives, the live counts say only whether
 * anything waits.
 */
export function drainOf(queue: ApiQueue, capacity: ApiQueueCapacity | null): Drain {
  const ready = capacity?.backlog ?? queue.counts.available;
  if (ready === 0) return { text: 'nothing waiting', stuck: false };
  if (queue.paused)
    return { text: 'paused', why: 'The queue is paused: no job starts until it is resumed', stuck: true };
  if (capacity === null) return { text: '…', why: 'Waiting for the capacity report', stuck: false };
  if (capacity.drainSeconds === null) {
    return {
      text: 'not draining',
      why: `Jobs do not finish faster than they arrive (over the last ${duration(capacity.windowSeconds * 1000)})`,
      stuck: true,
    };
  }
  return { text: `about ${duration(capacity.drainSeconds * 1000)}`, stuck: false };
}
