import type { ApiQueue, ApiQueueCapacity } from '../../http-client/wire.js';
import { api } from '../api/http.js';
import { hoursOf, type QueueHour } from '../lib/queue-stats.js';
import { createStore } from '../lib/store.js';
import { startPolling } from './poller.js';

/** The queues as last polled. */
export interface QueueSnapshot {
  queues: ApiQueue[];
  at: number;
}

/** Latest `GET /v1/queues`; every page reads it (the overview, the jobs filter). */
export const queueFeed = createStore<QueueSnapshot | null>(null);

/** Each queue's last hour (throughput, failures, wait and run percentiles), from `GET /v1/stats`. */
export const queueHours = createStore<ReadonlyMap<string, QueueHour> | null>(null);

/** The capacity model's report per queue (backlog, time to drain), from `GET /v1/capacity`. */
export const queueCapacity = createStore<ReadonlyMap<string, ApiQueueCapacity> | null>(null);

const QUEUES_EVERY_MS = 1000;
// The server keeps one bucket per queue and minute: a few reads a minute keep the current one fresh.
const STATS_EVERY_MS = 5000;
const CAPACITY_EVERY_MS = 5000;

/**
 * Starts the feeds the whole app shares: the queues every second, their
 * per-minute statistics and the capacity report every 5 s. The server
 * builds both from every host's measurements, so every tab shows the same
 * hour. Returns a stop function.
 */
export function startQueueFeed(): () => void {
  // A previous session's feed (sign out, sign in) must not keep polling with the old token.
  stopFeed?.();
  const queues = startPolling({
    load: () => api().queues(),
    onData: (queues) => queueFeed.set({ queues, at: Date.now() }),
    everyMs: QUEUES_EVERY_MS,
  });
  const stats = startPolling({
    load: () => api().stats(),
    onData: (buckets) => queueHours.set(hoursOf(buckets, Date.now())),
    everyMs: STATS_EVERY_MS,
  });
  const capacity = startPolling({
    load: () => api().capacity(),
    onData: (reports) => queueCapacity.set(new Map(reports.map((r) => [r.queue, r]))),
    everyMs: CAPACITY_EVERY_MS,
  });
  refreshFeed = () => {
    queues.refresh();
    capacity.refresh();
  };
  stopFeed = () => {
    queues.stop();
    stats.stop();
    capacity.stop();
    refreshFeed = () => {};
    stopFeed = null;
  };
  return stopFeed;
}

let stopFeed: (() => void) | null = null;
let refreshFeed: () => void = () => {};

/** Polls the queues (and their capacity) now, after pausing one say, instead of at the next tick. */
export function refreshQueues(): void {
  refreshFeed();
}
