import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { Batcher } from '../batcher.js';
import type { Docket } from '../client.js';
import { type Duration, toMs } from '../duration.js';
import { DocketError } from '../errors.js';
import type { Job } from '../job.js';
import { defaultLogger, type Logger } from '../logger.js';
import type { Isolation } from '../task.js';
import { JobAbort } from './job-abort.js';
import type { ContextDeps, PendingLogLine } from './job-context.js';
import { LoopMonitor } from './loop-monitor.js';
import { Maintenance, type MaintenanceOptions } from './maintenance.js';
import { runJob } from './run-job.js';
import type { Runner } from './runner.js';
import { defaultRunners } from './runners/default-runners.js';
import { InlineRunner } from './runners/inline.js';
import type { ProcessRunnerOptions } from './runners/process.js';
import type { ThreadRunnerOptions } from './runners/thread.js';
import { supervisedInfo } from './supervisor.js';
import { Wakeup } from './wakeup.js';

/** How a worker runs. */
export interface WorkerOptions {
  /** Queues to take jobs from. Default: every queue. */
  queues?: string[];
  /** Most jobs running at once. Default 10. */
  concurrency?: number;
  /**
   * Jobs to claim ahead of free slots and hold here, leased, so a slot that
   * frees starts the next job without waiting for a claim. Default 0. Raises
   * throughput for short jobs (fewer, larger claims); held jobs are not
   * available to other workers, so keep it small when jobs are long. Held
   * jobs are handed back on stop (README, "Run workers").
   */
  prefetch?: number;
  /** Most jobs taken in one claim. Default: the concurrency plus the prefetch. */
  batchSize?: number;
  /** How often to look for jobs when nothing woke the worker. Default 500 ms. */
  pollInterval?: Duration;
  /** How long a claim holds a job; renewed every third of it. Default 30 s. */
  lease?: Duration;
  /** On stop, how long running jobs get to finish before they are aborted and handed back. Default 10 s. */
  shutdownGrace?: Duration;
  /** Run the reclaimer and pruner in this worker (default true), with these settings. */
  maintenance?: boolean | MaintenanceOptions;
  /** Stable id in the worker registry. Default: host-pid-random. */
  id?: string;
  logger?: Logger;
  /** Runners per isolation mode; `inline` is built in, `thread` and `process` are made from `threads`/`processes`. */
  runners?: Partial<Record<Isolation, Runner>>;
  /** The pool for tasks with isolation 'thread', started on first use (see docs/runners.md). */
  threads?: ThreadRunnerOptions;
  /** The pool for tasks with isolation 'process', started on first use (see docs/runners.md). */
  processes?: ProcessRunnerOptions;
  /** Warn (logs and registry) when an inline job blocks the event loop this long. Default 200 ms; false: off. */
  loopBlockWarning?: Duration | false;
  /** Extra facts to publish in the worker registry (e.g. the supervisor's id). */
  info?: Record<string, unknown>;
}

/** A job this worker is running, with the means to stop it. */
export interface RunningJob {
  job: Job;
  abort: JobAbort;
  done: Promise<void>;
}

/**
 * Claims jobs in batches and runs them, never more than `concurrency` at
 * once, renewing the leases of the jobs it holds. Events: 'job' (a job
 * finished here, with its outcome), 'error', 'stopped'.
 */
export class Worker extends EventEmitter {
  readonly id: string;
  readonly concurrency: number;
  readonly queues: string[];
  readonly logger: Logger;
  /** Jobs whose handler is running: these hold the slots. */
  readonly running = new Map<string, RunningJob>();
  /** Jobs whose handler has ended and whose outcome is being written: still leased, no slot. */
  readonly finishing = new Map<string, RunningJob>();
  /** Jobs claimed ahead (prefetch), leased, waiting here for a slot, in claim order. */
  private readonly held = new Map<string, Job>();
  private readonly prefetch: number;
  readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly graceMs: number;
  private readonly wakeup = new Wakeup();
  private readonly runners: Partial<Record<Isolation, Runner>>;
  private readonly maintenance: Maintenance | null;
  /** Watches the event loop for inline jobs that block it; null when turned off. */
  readonly loopMonitor: LoopMonitor | null;
  private readonly startedAt: number;
  private readonly info: Record<string, unknown>;
  /** Batched writes: one transaction serves every job that finished in the same turn. */
  readonly writes: {
    complete: Batcher<{ id: string; attempt: number; result: string | null }, boolean>;
    logs: Batcher<PendingLogLine, void>;
  };
  /** What every job's context shares (one object for the worker, not one per job). */
  readonly contextDeps: ContextDeps;
  private loop: Promise<void> | null = null;
  private renewTimer: NodeJS.Timeout | null = null;
  private stopping: Promise<void> | null = null;
  private unsubscribe: (() => void)[] = [];
  private claimFailures = 0;
  /** Set when shutdown removes the worker from the registry; no heartbeat may add it back. */
  private deregistered = false;
  private lastHeartbeat: Promise<void> = Promise.resolve();

  constructor(
    readonly docket: Docket,
    options: WorkerOptions = {},
  ) {
    super();
    this.id = options.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.concurrency = positiveInt(options.concurrency ?? 10, 'concurrency');
    this.prefetch = wholeNumber(options.prefetch ?? 0, 'prefetch', 0);
    this.batchSize = positiveInt(options.batchSize ?? this.concurrency + this.prefetch, 'batchSize');
    this.queues = options.queues ?? [];
    this.pollMs = toMs(options.pollInterval ?? 500, 'pollInterval');
    this.leaseMs = toMs(options.lease ?? '30s', 'lease');
    this.graceMs = toMs(options.shutdownGrace ?? '10s', 'shutdownGrace');
    this.logger = (options.logger ?? defaultLogger()).child({ worker: this.id });
    const runners = {
      inline: new InlineRunner(),
      ...defaultRunners({ ...options, concurrency: this.concurrency, logger: this.logger }),
      ...options.runners,
    };
    const warnAfter = options.loopBlockWarning ?? 200;
    this.loopMonitor =
      warnAfter === false ? null : new LoopMonitor(toMs(warnAfter, 'loopBlockWarning'), this.logger);
    if (this.loopMonitor) runners.inline = this.loopMonitor.track(runners.inline);
    this.runners = runners;
    this.info = { ...supervisedInfo(), ...options.info };
    this.startedAt = docket.clock.now();
    const store = docket.store;
    this.writes = {
      complete: new Batcher((jobs) => store.complete({ now: docket.clock.now(), jobs })),
      logs: new Batcher<PendingLogLine, void>(async (lines) => {
        await store.appendLogs({ lines });
        return lines.map(() => undefined);
      }),
    };
    this.contextDeps = {
      store,
      clock: docket.clock,
      events: docket.events,
      logs: this.writes.logs,
      maxPayloadBytes: docket.maxPayloadBytes,
    };
    const maintenance = options.maintenance ?? true;
    this.maintenance =
      maintenance === false
        ? null
        : new Maintenance(docket, {
            logger: this.logger,
            ...(maintenance === true ? {} : maintenance),
          });
  }

  /** Starts claiming. Called by `docket.startWorker`. */
  start(): void {
    if (this.loop) return;
    const notifier = this.docket.store.notifier;
    this.unsubscribe.push(
      notifier.onJobsAvailable((queue) => {
        if (queue === '*' || this.queues.length === 0 || this.queues.includes(queue)) this.wakeup.wake();
      }),
      notifier.onCancelRequested((id) => this.abortJob(id, 'cancel')),
    );
    this.renewTimer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewTimer.unref();
    void this.heartbeat();
    this.loopMonitor?.start();
    this.maintenance?.start();
    this.loop = this.claimLoop();
  }

  /** Runs the claim loop until stop. */
  private async claimLoop(): Promise<void> {
    let yieldedAt = performance.now();
    while (!this.stopping) {
      // Let timers and I/O run every few milliseconds. A store that answers
      // at once (SQLite) and handlers that never wait would otherwise keep
      // the process in its microtask queue for a whole drain: no lease
      // renewal, heartbeat or signal handler could run until it was empty.
      if (performance.now() - yieldedAt > YIELD_EVERY_MS) {
        await yieldToLoop();
        yieldedAt = performance.now();
      }
      this.startHeld();
      // Room for free slots and the prefetch. Outcomes still being written
      // hold no slot, but they bound the claim: a store slow to take them
      // must not let claims run ahead without end.
      const capacity = this.concurrency + this.prefetch;
      const room = Math.min(
        capacity - this.running.size - this.held.size,
        2 * capacity - this.running.size - this.held.size - this.finishing.size,
      );
      let full = false;
      // With a prefetch, claim once the held jobs run low, not for every slot that frees.
      if (room > 0 && this.held.size <= this.prefetch / 2) {
        const limit = Math.min(room, this.batchSize);
        const jobs = await this.claim(limit);
        for (const job of jobs) this.held.set(job.id, job);
        this.startHeld();
        full = jobs.length === limit;
      }
      // A full claim means more may be waiting: go again as soon as there is room.
      if (full && this.running.size + this.held.size < this.concurrency + this.prefetch) continue;
      if (this.stopping) break;
      await this.wakeup.wait(this.claimFailures > 0 ? this.backoffMs() : this.pollMs);
    }
  }

  /** Starts held jobs, oldest claim first, while slots are free. */
  private startHeld(): void {
    for (const [id, job] of this.held) {
      if (this.running.size >= this.concurrency || this.stopping) return;
      this.held.delete(id);
      this.startJob(job);
    }
  }

  private async claim(limit: number): Promise<Job[]> {
    try {
      const jobs = await this.docket.store.claim({
        now: this.docket.clock.now(),
        queues: this.queues,
        limit,
        workerId: this.id,
        leaseMs: this.leaseMs,
      });
      this.claimFailures = 0;
      return jobs;
    } catch (error) {
      this.claimFailures++;
      this.logger.error({ err: error }, 'claim failed; retrying with backoff');
      this.reportError(error);
      return [];
    }
  }

  private backoffMs(): number {
    return Math.min(5000, 100 * 2 ** Math.min(this.claimFailures, 6));
  }

  private startJob(job: Job): void {
    const entry: RunningJob = { job, abort: new JobAbort(), done: Promise.resolve() };
    this.running.set(job.id, entry);
    // A job held by the prefetch starts now, not when it was claimed: its
    // wait and run time (capacity stats) count from here.
    if (this.prefetch > 0) job.startedAt = this.docket.clock.now();
    this.docket.stats.started(job, job.startedAt ?? this.docket.clock.now());
    if (this.docket.events.wants(job.id)) {
      this.docket.events.emit({
        type: 'state',
        id: job.id,
        state: 'active',
        attempt: job.attempt,
        at: job.startedAt!,
      });
    }
    entry.done = this.run(entry);
  }

  /** Runs a started job to its recorded outcome; its slot frees when the handler ends. */
  private async run(entry: RunningJob): Promise<void> {
    const { job } = entry;
    try {
      const outcome = await runJob(this, job, entry.abort, () => this.freeSlot(entry));
      this.emit('job', job, outcome);
    } catch (error) {
      this.logger.error({ err: error, job: job.id }, 'recording the outcome of a job failed');
      this.reportError(error);
    } finally {
      this.freeSlot(entry);
      this.finishing.delete(job.id);
      if (!this.stopping) this.wakeup.wake();
    }
  }

  /** Moves a job from running (holding a slot) to finishing (its outcome on the way), once. */
  private freeSlot(entry: RunningJob): void {
    if (this.running.get(entry.job.id) !== entry) return;
    this.running.delete(entry.job.id);
    this.finishing.set(entry.job.id, entry);
    if (!this.stopping) this.wakeup.wake();
  }

  /**
   * Tells 'error' listeners about a store failure the worker is riding out
   * (it already logged it and will retry). Without a listener nothing is
   * emitted: an unheard 'error' event would throw and end the process.
   */
  private reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** The runner for an isolation mode; falls back to inline with a warning when none is configured. */
  runnerFor(isolation: Isolation): Runner {
    const runner = this.runners[isolation];
    if (runner) return runner;
    this.logger.warn({ isolation }, `no ${isolation} runner configured; running inline`);
    return this.runners.inline!;
  }

  /** Aborts a running job with a reason: 'cancel', 'lease-lost', 'shutdown'. */
  abortJob(id: string, reason: 'cancel' | 'lease-lost' | 'shutdown'): void {
    const held = this.held.get(id);
    if (held && reason !== 'shutdown') {
      // Not started yet: a cancel ends it here; a lost lease just lets it go.
      this.held.delete(id);
      if (reason === 'cancel') void this.cancelHeld(held);
      return;
    }
    this.running.get(id)?.abort.abort(abortReason(reason, id));
  }

  /** Marks a held (not started) job cancelled, fenced like any outcome. */
  private async cancelHeld(job: Job): Promise<void> {
    try {
      const [done] = await this.docket.store.markCancelled({
        now: this.docket.clock.now(),
        jobs: [{ id: job.id, attempt: job.attempt }],
      });
      if (done && this.docket.events.wants(job.id)) {
        this.docket.events.emit({
          type: 'state',
          id: job.id,
          state: 'cancelled',
          attempt: job.attempt,
          at: this.docket.clock.now(),
        });
      }
    } catch (error) {
      // The lease runs out and the reclaimer hands it on; the cancel request stays on the job.
      this.logger.warn({ err: error, job: job.id }, 'could not cancel a held job');
    }
  }

  /** Hands held (not started) jobs back to the queue at once, without counting an attempt. */
  private async releaseHeld(): Promise<void> {
    if (this.held.size === 0) return;
    const jobs = [...this.held.values()].map((job) => ({ id: job.id, attempt: job.attempt }));
    this.held.clear();
    try {
      await this.docket.store.release({ now: this.docket.clock.now(), jobs });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not hand held jobs back; their leases will run out');
    }
  }

  /** Renews every held lease in one call; aborts jobs whose lease is lost or that were asked to cancel. */
  private async renew(): Promise<void> {
    void this.heartbeat();
    if (this.running.size + this.finishing.size + this.held.size === 0) return;
    const jobs = [
      ...[...this.running.values(), ...this.finishing.values()].map(({ job }) => job),
      ...this.held.values(),
    ].map((job) => ({ id: job.id, attempt: job.attempt }));
    try {
      const outcome = await this.docket.store.renewLeases({
        now: this.docket.clock.now(),
        workerId: this.id,
        leaseMs: this.leaseMs,
        jobs,
      });
      for (const id of outcome.lost) {
        this.logger.warn({ job: id }, 'lease lost; stopping the job and discarding its outcome');
        this.abortJob(id, 'lease-lost');
      }
      for (const id of outcome.cancelRequested) this.abortJob(id, 'cancel');
    } catch (error) {
      this.logger.error({ err: error }, 'lease renewal failed; will retry');
      this.reportError(error);
    }
  }

  /** Publishes this worker in the registry (never again once it has left it). */
  heartbeat(): Promise<void> {
    if (this.deregistered) return Promise.resolve();
    this.lastHeartbeat = this.writeHeartbeat();
    return this.lastHeartbeat;
  }

  private async writeHeartbeat(): Promise<void> {
    try {
      await this.docket.store.heartbeat({
        now: this.docket.clock.now(),
        worker: {
          id: this.id,
          host: hostname(),
          pid: process.pid,
          queues: this.queues,
          concurrency: this.concurrency,
          startedAt: this.startedAt,
          heartbeatAt: this.docket.clock.now(),
          info: {
            ...this.info,
            running: this.running.size,
            runningJobs: [...this.running.keys()].slice(0, 100),
            isolation: Object.keys(this.runners),
            ...this.loopMonitor?.info(),
          },
        },
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'heartbeat failed');
    }
  }

  /**
   * Stops gracefully: no new claims; running jobs get `shutdownGrace` to
   * finish, then are aborted and handed back to the queue at once (not after
   * their lease), without counting an attempt.
   */
  stop(options: { grace?: Duration } = {}): Promise<void> {
    if (!this.stopping) this.stopping = this.shutdown(toMs(options.grace ?? this.graceMs, 'grace'));
    return this.stopping;
  }

  private async shutdown(graceMs: number): Promise<void> {
    this.wakeup.wake();
    await this.loop;
    await this.releaseHeld();
    if (this.running.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const settled = Promise.all([...this.running.values()].map((r) => r.done));
      const graceOver = new Promise<'grace'>(
        (resolve) => (timer = setTimeout(() => resolve('grace'), graceMs)),
      );
      const first = await Promise.race([settled, graceOver]);
      clearTimeout(timer);
      if (first === 'grace') {
        for (const id of this.running.keys()) this.abortJob(id, 'shutdown');
        await Promise.all([...this.running.values()].map((r) => r.done));
      }
    }
    // Outcomes still on their way to the store land before the worker stops.
    await Promise.all([...this.finishing.values()].map((r) => r.done));
    if (this.renewTimer) clearInterval(this.renewTimer);
    for (const off of this.unsubscribe) off();
    // Whatever fails while releasing resources, the worker still leaves the
    // registry below: a stopped worker must not stay listed as alive.
    try {
      await this.maintenance?.stop();
      this.loopMonitor?.stop();
      await Promise.all(Object.values(this.runners).map((runner) => runner?.close()));
    } catch (error) {
      this.logger.warn({ err: error }, 'releasing the worker’s resources failed');
    }
    this.deregistered = true;
    // One still on its way (on another connection) must land before the removal, not after it.
    await this.lastHeartbeat;
    // A busy store (another process holding the write lock) should not leave
    // a stopped worker listed until it expires: try a few times.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.docket.store.removeWorkers({ ids: [this.id] });
        break;
      } catch (error) {
        if (attempt === 3) this.logger.warn({ err: error }, 'could not remove this worker from the registry');
        else await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    this.emit('stopped');
  }

  /** True once stop() was called. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }
}

/** How long the claim loop may run without giving timers and I/O a turn. */
const YIELD_EVERY_MS = 10;

/** Resolves after the event loop has run its timers and I/O once. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The AbortSignal reason for each way a run is stopped from outside. */
function abortReason(reason: 'cancel' | 'lease-lost' | 'shutdown', id: string): DocketError {
  const table = {
    cancel: ['DOCKET_CANCELLED', `job ${id} was cancelled`],
    'lease-lost': ['DOCKET_LEASE_LOST', `job ${id} is no longer held by this worker`],
    shutdown: ['DOCKET_SHUTDOWN', 'the worker is shutting down; the job goes back to the queue'],
  } as const;
  const [code, message] = table[reason];
  return new DocketError(code, message);
}

function positiveInt(value: number, field: string): number {
  return wholeNumber(value, field, 1);
}

function wholeNumber(value: number, field: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field} must be an integer ≥ ${min}`, {
      details: { field },
    });
  }
  return value;
}
