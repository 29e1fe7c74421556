import { Batcher } from './batcher.js';
import { type QueueCapacity, queueCapacity } from './capacity/model.js';
import { StatsRecorder } from './capacity/stats-recorder.js';
import { type Clock, systemClock } from './clock.js';
import { type Duration, toMs } from './duration.js';
import { DocketError, QueueFullError } from './errors.js';
import { JobEvents } from './events.js';
import { checkGroup, type QueueSettingsInput, queueUpdate } from './flow-settings.js';
import { type EnqueuedJob, isFinal, type Job, type JobState } from './job.js';
import { TaskRegistry, type TaskSource } from './registry.js';
import {
  type ScheduleDefinition,
  type ScheduleInfo,
  toScheduleSpec,
  toTemplate,
} from './scheduler/definition.js';
import * as schedules from './scheduler/manage.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import { openStore } from './store/open-store.js';
import type {
  EnqueueOutcome,
  HoldReason,
  JobPage,
  NewJob,
  QueueCounts,
  QueueInfo,
  QueueSettings,
  StatsBucket,
  Store,
  StoredLogLine,
  WorkerRecord,
} from './store/store.js';
import type { AnyTask, Task } from './task.js';
import { captureTraceContext } from './tracing.js';
import { toJsonText, validateInput } from './validate.js';
import { Worker, type WorkerOptions } from './worker/worker.js';

/** How to open Docket. */
export interface DocketOptions {
  /** A connection string (`sqlite:./docket.db`, `postgres://…`) or a Store. Default `sqlite:./docket.db`. */
  store?: string | Store;
  /** Task objects, or a directory of task modules. */
  tasks?: TaskSource;
  /** Where time comes from. Default: the wall clock. */
  clock?: Clock;
  /** Largest input (and result) as JSON. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Apply migrations on open. Default true. */
  migrate?: boolean;
}

/** Per-job options for enqueue. */
export interface EnqueueOptions {
  /** Overrides the task's queue. */
  queue?: string;
  /** Run after this long. */
  delay?: Duration;
  /** Run at this time (ms since the epoch or a Date). */
  runAt?: number | Date;
  /** Higher runs first. Overrides the task's priority. */
  priority?: number;
  /** Unique key: while a job with this key is unfinished, enqueue returns it instead of adding one. */
  key?: string;
  /** Overrides the task's retry.attempts. */
  attempts?: number;
  /** Overrides the task's timeout. */
  timeout?: Duration;
  /** Enqueue inside your own transaction (stores with transactionalEnqueue; PostgreSQL: a pg client). */
  executor?: unknown;
  /** Flow-control group (a user, a tenant): the queue's group limits and fairness apply per group. */
  group?: string;
}

/** One item of `enqueueMany`. */
export interface EnqueueItem {
  task: AnyTask | string;
  input: unknown;
  options?: EnqueueOptions;
}

/** Filters for `listJobs`. */
export interface ListJobsOptions {
  state?: JobState | JobState[];
  queue?: string;
  task?: string;
  key?: string;
  /** Jobs whose input contains this text (case-insensitive), e.g. an email address. */
  text?: string;
  limit?: number;
  cursor?: string;
}

/** A job with its log lines, as `getJob(id, { logs: true })` returns it. */
export type JobWithLogs = Job & { logs: StoredLogLine[] };

const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * A handle on one Docket store: enqueue, inspect and operate jobs and
 * queues, and start workers. Create it with `createDocket`.
 */
export class Docket {
  readonly store: Store;
  readonly registry: TaskRegistry;
  readonly clock: Clock;
  readonly events = new JobEvents();
  /** Measures arrivals, waits and run times; flushed to the store's per-minute queue statistics. */
  readonly stats: StatsRecorder;
  readonly maxPayloadBytes: number;
  private readonly workers = new Set<Worker>();
  private readonly batcher: Batcher<NewJob, EnqueueOutcome>;
  private closed = false;

  /** Use `createDocket`, which also loads tasks and migrates. */
  constructor(store: Store, registry: TaskRegistry, options: DocketOptions = {}) {
    this.store = store;
    this.registry = registry;
    this.clock = options.clock ?? systemClock;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD;
    this.batcher = new Batcher((jobs) => this.insertCoalesced(jobs));
    this.stats = new StatsRecorder(store);
  }

  /**
   * Enqueues one job. The input is validated against the task's schema first;
   * nothing is stored when it is refused. Resolves once the job is committed.
   * Concurrent calls from this process share one transaction.
   */
  async enqueue<I, R>(task: Task<I, R>, input: I, options?: EnqueueOptions): Promise<EnqueuedJob<I, R>>;
  async enqueue(task: string, input: unknown, options?: EnqueueOptions): Promise<EnqueuedJob>;
  async enqueue(task: AnyTask | string, input: unknown, options: EnqueueOptions = {}): Promise<EnqueuedJob> {
    this.assertOpen();
    const job = await this.prepare({ task, input, options }, this.clock.now());
    if (options.executor !== undefined) {
      const [outcome] = await this.insert([job], options.executor);
      return this.published(outcome!);
    }
    return this.published(await this.batcher.add(job));
  }

  /** Enqueues many jobs in one transaction: all are stored, or none (the first refusal is thrown). */
  async enqueueMany(items: EnqueueItem[], options: { executor?: unknown } = {}): Promise<EnqueuedJob[]> {
    this.assertOpen();
    const now = this.clock.now();
    const jobs: NewJob[] = [];
    for (const [index, item] of items.entries()) {
      try {
        jobs.push(await this.prepare(item, now));
      } catch (error) {
        if (error instanceof DocketError) {
          throw new DocketError(error.code, `item ${index}: ${error.message}`, {
            cause: error,
            details: { ...error.details, index },
          });
        }
        throw error;
      }
    }
    if (jobs.length === 0) return [];
    const outcomes = await this.insert(jobs, options.executor);
    return outcomes.map((outcome) => this.published(outcome));
  }

  private insert(jobs: NewJob[], executor: unknown): Promise<EnqueueOutcome[]> {
    if (executor !== undefined && !this.store.capabilities.transactionalEnqueue) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'this store cannot enqueue inside your transaction', {
        details: { field: 'executor' },
      });
    }
    return this.store.enqueue({
      now: this.clock.now(),
      jobs,
      ...(executor === undefined ? {} : { executor }),
    });
  }

  /** Writes coalesced single enqueues; a refused batch is retried one by one so only the refused calls fail. */
  private async insertCoalesced(jobs: NewJob[]): Promise<EnqueueOutcome[]> {
    if (jobs.length === 1) return this.insert(jobs, undefined);
    try {
      return await this.insert(jobs, undefined);
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      const outcomes: EnqueueOutcome[] = [];
      for (const job of jobs) {
        try {
          outcomes.push((await this.insert([job], undefined))[0]!);
        } catch (single) {
          outcomes.push({ error: single } as unknown as EnqueueOutcome);
        }
      }
      return outcomes;
    }
  }

  private published(outcome: EnqueueOutcome): EnqueuedJob {
    const failed = (outcome as unknown as { error?: unknown }).error;
    if (failed !== undefined) throw failed;
    if (!outcome.duplicate) {
      this.stats.arrival(outcome.job.queue, outcome.job.createdAt);
      // Built only when someone listens, as the worker does with its events.
      if (this.events.wants(outcome.job.id)) {
        this.events.emit({ type: 'enqueued', id: outcome.job.id, job: outcome.job, at: this.clock.now() });
      }
    }
    return { ...outcome.job, duplicate: outcome.duplicate };
  }

  /** Validates one item and resolves every default into a row to insert. */
  private async prepare(item: EnqueueItem, now: number): Promise<NewJob> {
    const task = typeof item.task === 'string' ? this.registry.get(item.task) : item.task;
    if (typeof item.task !== 'string' && !this.registry.has(task.name)) this.registry.add(task);
    const options = item.options ?? {};
    const input = await validateInput(task, item.input);
    const queue = options.queue ?? task.queue;
    if (!QUEUE_NAME.test(queue)) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `queue name "${queue}" must be 1-128 letters, digits, _ . : -`,
        {
          details: { field: 'queue' },
        },
      );
    }
    if (options.delay !== undefined && options.runAt !== undefined) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'give delay or runAt, not both', {
        details: { field: 'delay' },
      });
    }
    const runAt =
      options.runAt !== undefined
        ? toTime(options.runAt)
        : options.delay !== undefined
          ? now + toMs(options.delay, 'delay')
          : now;
    const priority = options.priority ?? task.priority;
    if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'priority must be an integer within ±1,000,000', {
        details: { field: 'priority' },
      });
    }
    const attempts = options.attempts ?? task.maxAttempts;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'attempts must be an integer ≥ 1', {
        details: { field: 'attempts' },
      });
    }
    if (options.key !== undefined && (typeof options.key !== 'string' || options.key.length > 512)) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'key must be a string of at most 512 characters', {
        details: { field: 'key' },
      });
    }
    return {
      task: task.name,
      queue,
      input: toJsonText(input, 'input', this.maxPayloadBytes),
      priority,
      runAt,
      maxAttempts: attempts,
      key: options.key ?? null,
      timeoutMs: options.timeout !== undefined ? toMs(options.timeout, 'timeout') : task.timeoutMs,
      traceContext: captureTraceContext(),
      group: checkGroup(options.group),
    };
  }

  /** The job, or null when there is none with this id. */
  async getJob(id: string): Promise<Job | null>;
  async getJob(id: string, options: { logs: true }): Promise<JobWithLogs | null>;
  async getJob(id: string, options: { logs?: boolean } = {}): Promise<Job | JobWithLogs | null> {
    const job = await this.store.getJob({ id });
    if (!job || !options.logs) return job;
    return { ...job, logs: await this.store.getLogs({ id }) };
  }

  /** Log lines of a job, oldest first, after sequence number `afterSeq`. */
  getLogs(id: string, options: { afterSeq?: number; limit?: number } = {}): Promise<StoredLogLine[]> {
    return this.store.getLogs({ id, ...options });
  }

  /** Jobs newest first, filtered, one page at a time (pass `nextCursor` back as `cursor`). */
  listJobs(options: ListJobsOptions = {}): Promise<JobPage> {
    const { state, ...rest } = options;
    return this.store.listJobs({
      ...rest,
      ...(state ? { states: Array.isArray(state) ? state : [state] } : {}),
    });
  }

  /** Job counts per queue and state. */
  counts(queue?: string): Promise<QueueCounts[]> {
    return this.store.countJobs(queue === undefined ? {} : { queue });
  }

  /**
   * Resolves with the job once it is completed, failed or cancelled. Listens
   * to this process's events and reads the store every `pollInterval`, so it
   * also sees jobs run by other processes.
   */
  async waitFor(id: string, options: { timeout?: Duration; pollInterval?: Duration } = {}): Promise<Job> {
    const poll = toMs(options.pollInterval ?? 250, 'pollInterval');
    const deadline = options.timeout === undefined ? null : Date.now() + toMs(options.timeout, 'timeout');
    for (;;) {
      let wake: () => void = () => {};
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const off = this.events.onJob(id, (event) => {
        if (event.type === 'state' && isFinal(event.state)) wake();
      });
      try {
        const job = await this.store.getJob({ id });
        if (!job) throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
        if (isFinal(job.state)) return job;
        const left = deadline === null ? poll : Math.min(poll, deadline - Date.now());
        if (left <= 0) {
          throw new DocketError('DOCKET_TIMEOUT', `job ${id} is still ${job.state} after the wait`, {
            details: { id, state: job.state },
          });
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, left)))]);
        clearTimeout(timer);
      } finally {
        off();
      }
    }
  }

  /**
   * Cancels a job. A waiting job is cancelled at once; a running one has its
   * AbortSignal fired (on whichever worker holds it) and ends `cancelled`
   * when its handler stops. Throws DOCKET_INVALID_STATE for a finished job.
   */
  async cancel(id: string): Promise<Job> {
    const outcome = await this.store.cancel({ now: this.clock.now(), id });
    if (!outcome) throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
    if (!outcome.changed) {
      throw new DocketError(
        'DOCKET_INVALID_STATE',
        `job ${id} is ${outcome.job.state} and cannot be cancelled`,
        {
          details: { id, state: outcome.job.state },
        },
      );
    }
    if (outcome.job.state === 'cancelled') {
      this.events.emit({
        type: 'state',
        id,
        state: 'cancelled',
        attempt: outcome.job.attempt,
        at: this.clock.now(),
      });
    }
    return outcome.job;
  }

  /** Runs a failed or cancelled job again, allowing one more attempt. */
  async retry(id: string): Promise<Job> {
    const outcome = await this.store.retry({ now: this.clock.now(), id });
    if (!outcome) throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
    if (!outcome.changed) {
      throw new DocketError(
        'DOCKET_INVALID_STATE',
        `job ${id} is ${outcome.job.state}; only failed or cancelled jobs can be retried`,
        { details: { id, state: outcome.job.state } },
      );
    }
    this.events.emit({
      type: 'state',
      id,
      state: outcome.job.state,
      attempt: outcome.job.attempt,
      at: this.clock.now(),
    });
    return outcome.job;
  }

  /** Deletes a job that is not running, with its logs. */
  async deleteJob(id: string): Promise<void> {
    const outcome = await this.store.deleteJob({ now: this.clock.now(), id });
    if (outcome === 'not-found')
      throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`, { details: { id } });
    if (outcome === 'running') {
      throw new DocketError('DOCKET_INVALID_STATE', `job ${id} is running; cancel it first`, {
        details: { id },
      });
    }
  }

  /** Queues with their settings and counts. */
  queues(): Promise<QueueInfo[]> {
    return this.store.listQueues({ now: this.clock.now() });
  }

  /** Stops every worker (on every host) from starting jobs of `queue` until it is resumed. */
  pauseQueue(queue: string): Promise<QueueSettings> {
    return this.store.updateQueue({ now: this.clock.now(), name: queue, paused: true });
  }

  /** Lets workers start jobs of `queue` again. */
  resumeQueue(queue: string): Promise<QueueSettings> {
    return this.store.updateQueue({ now: this.clock.now(), name: queue, paused: false });
  }

  /**
   * Changes a queue's settings on every host, from the next claim on:
   * backlog limit and flow control (concurrency, rate, group limits,
   * fairness; docs/flow-control.md). Undefined keeps a setting; null removes a limit.
   */
  setQueue(queue: string, settings: QueueSettingsInput): Promise<QueueSettings> {
    return this.store.updateQueue({ now: this.clock.now(), name: queue, ...queueUpdate(settings) });
  }

  /** Why these jobs wait (queue paused, at a limit), by id; an empty list for a job nothing holds. */
  holdReasons(ids: string[]): Promise<Record<string, HoldReason[]>> {
    return this.store.holdReasons({ now: this.clock.now(), ids });
  }

  /** Workers that reported a heartbeat recently, on every host. */
  listWorkers(): Promise<WorkerRecord[]> {
    return this.store.listWorkers({ now: this.clock.now() });
  }

  /** Starts a worker in this process. Stop it with `await worker.stop()`. */
  startWorker(options: WorkerOptions = {}): Worker {
    this.assertOpen();
    const worker = new Worker(this, options);
    this.workers.add(worker);
    worker.once('stopped', () => this.workers.delete(worker));
    worker.start();
    return worker;
  }

  /** Stops this instance's workers (gracefully) and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.workers].map((worker) => worker.stop()));
    await Promise.all([...this.schedulers].map((scheduler) => scheduler.stop()));
    await this.stats.close();
    await this.store.close();
  }

  /**
   * How many workers each queue needs: measured arrival rate, run and wait
   * times over `window` (default 15 min), and the M/M/c model's prediction and
   * recommendation for a p95 wait under `targetWait` (default 5 s). See
   * docs/capacity.md for the model and its assumptions.
   */
  async capacity(
    options: { queue?: string; window?: Duration; targetWait?: Duration } = {},
  ): Promise<QueueCapacity[]> {
    await this.stats.flush();
    const now = this.clock.now();
    const windowMs = toMs(options.window ?? '15m', 'window');
    const targetWaitMs = toMs(options.targetWait ?? '5s', 'targetWait');
    const [queues, buckets, workers] = await Promise.all([
      this.queues(),
      this.store.readStats({ since: now - windowMs, ...(options.queue ? { queue: options.queue } : {}) }),
      this.listWorkers(),
    ]);
    return queues
      .filter((q) => options.queue === undefined || q.name === options.queue)
      .map((queue) =>
        queueCapacity({
          queue,
          buckets: buckets.filter((b) => b.queue === queue.name),
          workers,
          windowMs,
          targetWaitMs,
          now,
        }),
      );
  }

  /** Per-minute statistics of one queue or all, for charts: arrivals, starts, finishes, wait and run times. */
  async queueStats(options: { queue?: string; since?: number } = {}): Promise<StatsBucket[]> {
    await this.stats.flush();
    const since = options.since ?? this.clock.now() - 3_600_000;
    return this.store.readStats({ since, ...(options.queue ? { queue: options.queue } : {}) });
  }

  // ---------------------------------------------------------------------------
  // Schedules (issue #5). Thin entry points; the logic is in src/scheduler/.
  // ---------------------------------------------------------------------------
  private readonly schedulers = new Set<Scheduler>();

  /**
   * Declares a schedule, or updates the one with this name (paused state and
   * tick history are kept, so every process may declare its schedules at
   * start-up). The input is validated against the task now. Ticks are fired
   * by schedulers: `startScheduler()`, `docket worker`, `docket scheduler`.
   */
  async schedule<I>(name: string, definition: ScheduleDefinition<I>): Promise<ScheduleInfo> {
    this.assertOpen();
    const now = this.clock.now();
    const { task, input = {}, options } = definition as ScheduleDefinition;
    const job = await this.prepare({ task, input, options: schedules.scheduleJobOptions(options) }, now);
    const spec = toScheduleSpec(name, definition as ScheduleDefinition, toTemplate(job), now);
    const record = await this.store.upsertSchedule({ now, schedule: spec });
    this.schedulesChanged();
    return schedules.withNextRun(record, now);
  }

  /** Every schedule with its state and next run time, by name. */
  async listSchedules(): Promise<ScheduleInfo[]> {
    const now = this.clock.now();
    return (await this.store.listSchedules()).map((record) => schedules.withNextRun(record, now));
  }

  /** One schedule with its next run time, or DOCKET_NOT_FOUND. */
  async getSchedule(name: string): Promise<ScheduleInfo> {
    return schedules.withNextRun(await schedules.requireSchedule(this, name), this.clock.now());
  }

  /** Stops a schedule from firing (on every host) until it is resumed. */
  pauseSchedule(name: string): Promise<ScheduleInfo> {
    return schedules.setSchedulePaused(this, name, true).finally(() => this.schedulesChanged());
  }

  /** Lets a schedule fire again from its next tick; ticks that fell while paused are not caught up. */
  resumeSchedule(name: string): Promise<ScheduleInfo> {
    return schedules.setSchedulePaused(this, name, false).finally(() => this.schedulesChanged());
  }

  /** Deletes a schedule; the jobs it enqueued stay. */
  removeSchedule(name: string): Promise<void> {
    return schedules.removeSchedule(this, name).finally(() => this.schedulesChanged());
  }

  /** Enqueues one run of a schedule now, outside its ticks. */
  triggerSchedule(name: string): Promise<Job> {
    this.assertOpen();
    return schedules.triggerSchedule(this, name);
  }

  /** Starts a scheduler in this process (see Scheduler). Stop it with `await scheduler.stop()`. */
  startScheduler(options: SchedulerOptions = {}): Scheduler {
    this.assertOpen();
    const scheduler = new Scheduler(this, options);
    this.schedulers.add(scheduler);
    scheduler.once('stopped', () => this.schedulers.delete(scheduler));
    scheduler.start();
    return scheduler;
  }

  /** Wakes this process's schedulers so a change here takes effect at once, not at the next poll. */
  private schedulesChanged(): void {
    for (const scheduler of this.schedulers) scheduler.wake();
  }

  private assertOpen(): void {
    if (this.closed) throw new DocketError('DOCKET_CLOSED', 'this Docket instance is closed');
  }
}

function toTime(value: number | Date): number {
  const time = typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(time)) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', 'runAt is not a valid time', {
      details: { field: 'runAt' },
    });
  }
  return time;
}

/** Opens Docket: connects the store, applies migrations and loads tasks. */
export async function createDocket(options: DocketOptions = {}): Promise<Docket> {
  const store =
    typeof options.store === 'object'
      ? options.store
      : await openStore(options.store ?? 'sqlite:./docket.db');
  if (options.migrate !== false) await store.migrate();
  const registry = new TaskRegistry();
  if (options.tasks !== undefined) await registry.load(options.tasks);
  return new Docket(store, registry, options);
}
