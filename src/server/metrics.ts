import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { slotsServing } from '../capacity/model.js';
import type { Docket } from '../client.js';
import { isFinal } from '../job.js';

/** Buckets for wait and run times, in seconds: 5 ms to 1 hour. */
const TIME_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The server's Prometheus metrics, in a registry of its own (so two servers
 * in one process do not collide).
 *
 * Gauges read the store at scrape time, so they cover every process and
 * host. Counters and histograms count what this process sees: jobs it
 * enqueued and jobs its own workers finished. When workers run elsewhere,
 * sum their processes' counters, or read `docket_jobs` for the totals.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly off: () => void;
  private readonly sse: Gauge;

  constructor(docket: Docket) {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry, prefix: 'docket_server_' });
    new Gauge({
      name: 'docket_jobs',
      help: 'Jobs by queue and state, as stored (every process).',
      labelNames: ['queue', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const { queue, counts } of await docket.counts()) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      },
    });
    new Gauge({
      name: 'docket_oldest_waiting_job_age_seconds',
      help: 'Age of the oldest job that is due and waiting for a worker, by queue (0 when none waits).',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = docket.clock.now();
        for (const queue of await docket.queues()) {
          const age =
            queue.oldestAvailableAt === null ? 0 : Math.max(0, now - queue.oldestAvailableAt) / 1000;
          this.set({ queue: queue.name }, age);
        }
      },
    });
    // Per queue at scrape time, on every host: depth, busy slots and the slots serving it.
    const queueGauge = (
      name: string,
      help: string,
      value: (q: Awaited<ReturnType<Docket['queues']>>[number], slots: number) => number,
    ) =>
      new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers: [registry],
        async collect() {
          this.reset();
          const [queues, workers] = await Promise.all([docket.queues(), docket.listWorkers()]);
          for (const queue of queues)
            this.set({ queue: queue.name }, value(queue, slotsServing(queue.name, workers)));
        },
      });
    queueGauge(
      'docket_queue_depth',
      'Jobs waiting in the queue: due (available) plus delayed (scheduled).',
      (q) => q.counts.available + q.counts.scheduled,
    );
    queueGauge(
      'docket_queue_busy_slots',
      'Jobs of the queue running now, on every host.',
      (q) => q.counts.active,
    );
    queueGauge(
      'docket_queue_slots',
      'Concurrency of the live workers that take the queue.',
      (_q, slots) => slots,
    );
    const enqueued = new Counter({
      name: 'docket_jobs_enqueued_total',
      help: 'Jobs enqueued by this process, by queue and task.',
      labelNames: ['queue', 'task'],
      registers: [registry],
    });
    const finished = {
      completed: new Counter({
        name: 'docket_jobs_completed_total',
        help: "Jobs completed by this process's workers, by queue and task.",
        labelNames: ['queue', 'task'],
        registers: [registry],
      }),
      failed: new Counter({
        name: 'docket_jobs_failed_total',
        help: "Jobs failed for good (no attempts left) in this process's workers, by queue and task.",
        labelNames: ['queue', 'task'],
        registers: [registry],
      }),
    };
    const wait = new Histogram({
      name: 'docket_job_wait_seconds',
      help: 'Time from a job being due to its last attempt starting, by queue.',
      labelNames: ['queue'],
      buckets: TIME_BUCKETS,
      registers: [registry],
    });
    const run = new Histogram({
      name: 'docket_job_run_seconds',
      help: "Run time of a job's last attempt, by queue and final state.",
      labelNames: ['queue', 'state'],
      buckets: TIME_BUCKETS,
      registers: [registry],
    });
    this.sse = new Gauge({
      name: 'docket_server_sse_streams',
      help: 'Open job event streams.',
      registers: [registry],
    });
    this.off = docket.events.on((event) => {
      if (event.type === 'enqueued') {
        enqueued.inc({ queue: event.job.queue, task: event.job.task });
      } else if (event.type === 'state' && isFinal(event.state) && event.state !== 'cancelled') {
        // The event carries no times; one read of the row gives them (only for this process's workers).
        void docket.getJob(event.id).then(
          (job) => {
            if (!job || job.startedAt === null) return;
            const labels = { queue: job.queue, task: job.task };
            if (event.state === 'completed') finished.completed.inc(labels);
            if (event.state === 'failed') finished.failed.inc(labels);
            wait.observe({ queue: job.queue }, Math.max(0, job.startedAt - job.runAt) / 1000);
            const end = job.finishedAt ?? event.at;
            run.observe({ queue: job.queue, state: event.state }, Math.max(0, end - job.startedAt) / 1000);
          },
          () => {},
        );
      }
    });
  }

  /** Counts SSE streams opening (+1) and closing (-1). */
  sseOpen(delta: number): void {
    this.sse.inc(delta);
  }

  /** The text exposition for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Stops listening to job events and default-metric timers. */
  close(): void {
    this.off();
    this.registry.clear();
  }
}
