import type { ApiJob, ApiQueue } from '../../http-client/wire.js';
import { api } from '../api/http.js';
import { type Timings, timingsOf } from '../lib/percentiles.js';
import { createStore } from '../lib/store.js';
import { ThroughputSeries } from '../lib/throughput.js';
import { startPolling } from './poller.js';

/** The queues as last polled. */
export interface QueueSnapshot {
  queues: ApiQueue[];
  at: number;
}

/** Latest `GET /v1/queues`; every page reads it (the overview, the jobs filter). */
export const queueFeed = createStore<QueueSnapshot | null>(null);

/** Wait and run time percentiles per queue, from a sample of its latest finished jobs. */
export const queueTimings = createStore<ReadonlyMap<string, Timings>>(new Map());

const SERIES_KEY = 'docket.throughput';
const QUEUES_EVERY_MS = 1000;
const SAMPLE_EVERY_MS = 30_000;
/** Finished jobs sampled per queue: enough for a p95, small enough to poll. */
const SAMPLE_SIZE = 200;

function restoreSeries(): ThroughputSeries {
  try {
    return ThroughputSeries.fromJSON(JSON.parse(sessionStorage.getItem(SERIES_KEY) ?? 'null'));
  } catch {
    return new ThroughputSeries();
  }
}

/** Throughput per queue and minute; survives a reload of the tab. */
export const throughput = restoreSeries();
/** Bumped when `throughput` changes, so charts redraw. */
export const throughputVersion = createStore(0);

async function sample(queues: ApiQueue[]): Promise<Map<string, { jobs: ApiJob[]; complete: boolean }>> {
  const client = api();
  const pages = await Promise.all(
    queues.map((q) => client.listJobs({ queue: q.name, state: ['completed', 'failed'], limit: SAMPLE_SIZE })),
  );
  return new Map(
    queues.map((q, i) => [q.name, { jobs: pages[i]!.jobs, complete: pages[i]!.nextCursor === null }]),
  );
}

/**
 * Starts the feeds the whole app shares: queues every second (feeding the
 * throughput series) and a sample of finished jobs per queue every 30 s
 * (percentiles; and, once per queue, the minutes before the page opened).
 * Returns a stop function.
 */
export function startQueueFeed(): () => void {
  // A previous session's feed (sign out, sign in) must not keep polling with the old token.
  stopFeed?.();
  const seeded = new Set<string>();
  const queues = startPolling({
    load: () => api().queues(),
    onData: (queues) => {
      const now = Date.now();
      throughput.observe(queues, now);
      try {
        sessionStorage.setItem(SERIES_KEY, JSON.stringify(throughput));
      } catch {
        // Storage full or disabled: the series still lives for this page.
      }
      queueFeed.set({ queues, at: now });
      throughputVersion.set(throughputVersion.get() + 1);
    },
    everyMs: QUEUES_EVERY_MS,
  });
  const samples = startPolling({
    load: async () => sample(queueFeed.get()?.queues ?? (await api().queues())),
    onData: (samples) => {
      const now = Date.now();
      const timings = new Map<string, Timings>();
      for (const [queue, { jobs, complete }] of samples) {
        timings.set(queue, timingsOf(jobs));
        if (seeded.has(queue)) continue;
        seeded.add(queue);
        const finished = jobs.map((j) => j.finishedAt ?? now);
        const reachesBack = complete ? 0 : Math.min(...finished);
        throughput.seed(queue, jobs, now, reachesBack);
      }
      queueTimings.set(timings);
      throughputVersion.set(throughputVersion.get() + 1);
    },
    everyMs: SAMPLE_EVERY_MS,
  });
  refreshFeed = queues.refresh;
  stopFeed = () => {
    queues.stop();
    samples.stop();
    refreshFeed = () => {};
    stopFeed = null;
  };
  return stopFeed;
}

let stopFeed: (() => void) | null = null;
let refreshFeed: () => void = () => {};

/** Polls the queues now (after pausing one, say) instead of at the next tick. */
export function refreshQueues(): void {
  refreshFeed();
}
