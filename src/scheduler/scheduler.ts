import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Docket } from '../client.js';
import { type Duration, toMs } from '../duration.js';
import type { Job } from '../job.js';
import { defaultLogger, type Logger } from '../logger.js';
import type { ScheduleRecord } from '../store/store.js';
import { Wakeup } from '../worker/wakeup.js';
import { tickJob } from './definition.js';
import { planTicks } from './plan.js';
import { TickCache } from './ticks.js';

/** How a scheduler runs. */
export interface SchedulerOptions {
  /**
   * Longest sleep between passes. The scheduler wakes at the next tick by a
   * timer; this only bounds how long a change made by another process
   * (a new schedule, a resume) goes unnoticed. Default 5 s.
   */
  pollInterval?: Duration;
  /** Names the scheduler in logs. Default: host-pid-random. */
  id?: string;
  logger?: Logger;
}

/** A tick this scheduler enqueued. */
export interface FiredTick {
  schedule: string;
  /** The tick, or null for a manual run. */
  tick: number | null;
  job: Job;
}

/** What one pass did. */
export interface SchedulerReport {
  fired: FiredTick[];
  /** Ticks consumed without a job because the previous run was unfinished (overlap: skip). */
  overlapped: { schedule: string; tick: number }[];
  /** Ticks another scheduler had already taken. */
  stale: number;
  /** The earliest tick still to come over all active schedules, or null. */
  nextTickAt: number | null;
  /** Schedules whose pass failed (store error, backlog limit); they are tried again next pass. */
  failed: { schedule: string; error: unknown }[];
}

/** After a failed pass, wait this long before trying a due tick again. */
const RETRY_MS = 1000;

/**
 * Fires the ticks of every schedule in the store. Any number of schedulers
 * may run, in any processes on any hosts: each tick is enqueued by the one
 * store transaction that moves the schedule's cursor past it (see
 * Store.fireTick), so there is no leader to elect and nothing to lose when a
 * scheduler dies. Between passes it sleeps until the next tick (a timer, to
 * the millisecond), or `pollInterval`, or an in-process change.
 * Events: 'fired' (FiredTick), 'error', 'stopped'.
 */
export class Scheduler extends EventEmitter {
  readonly id: string;
  readonly logger: Logger;
  private readonly pollMs: number;
  private readonly ticks = new TickCache();
  private readonly wakeup = new Wakeup();
  /** Per schedule, the cursor at which missed ticks were last reported, so each outage is logged once. */
  private readonly reportedMissed = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    readonly docket: Docket,
    options: SchedulerOptions = {},
  ) {
    super();
    this.id = options.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.pollMs = toMs(options.pollInterval ?? '5s', 'pollInterval');
    this.logger = (options.logger ?? defaultLogger()).child({ scheduler: this.id });
  }

  /** Starts the loop. Called by `docket.startScheduler`. */
  start(): void {
    if (this.loop || this.stopping) return;
    this.loop = this.run();
  }

  /** Cuts the current sleep short: schedules changed in this process. */
  wake(): void {
    this.wakeup.wake();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const report = await this.runOnce();
      if (this.stopping) break;
      await this.wakeup.wait(this.sleepMs(report));
    }
  }

  /** Until the next tick, at most pollInterval; a short retry when a pass failed. */
  private sleepMs(report: SchedulerReport): number {
    const now = this.docket.clock.now();
    let ms = this.pollMs;
    if (report.nextTickAt !== null) ms = Math.min(ms, Math.max(1, report.nextTickAt - now));
    if (report.failed.length > 0) ms = Math.min(ms, RETRY_MS);
    return ms;
  }

  /**
   * One pass: reads every schedule and fires the ticks due at the clock's
   * now, oldest first. Safe to call at any time, from any number of
   * schedulers; never throws (failures are in the report and logged).
   */
  async runOnce(): Promise<SchedulerReport> {
    const report: SchedulerReport = { fired: [], overlapped: [], stale: 0, nextTickAt: null, failed: [] };
    const now = this.docket.clock.now();
    let schedules: ScheduleRecord[];
    try {
      schedules = await this.docket.store.listSchedules();
    } catch (error) {
      this.fail(report, '*', error);
      return report;
    }
    for (const schedule of schedules) {
      if (schedule.paused) continue;
      try {
        const next = await this.fireDue(schedule, now, report);
        if (next !== null && (report.nextTickAt === null || next < report.nextTickAt))
          report.nextTickAt = next;
      } catch (error) {
        this.fail(report, schedule.name, error);
      }
    }
    return report;
  }

  /** Fires the due ticks of one schedule; returns its next tick. */
  private async fireDue(
    schedule: ScheduleRecord,
    now: number,
    report: SchedulerReport,
  ): Promise<number | null> {
    const source = this.ticks.get(schedule);
    const plan = planTicks(schedule, source, now);
    if (plan.skipped > 0 && this.reportedMissed.get(schedule.name) !== schedule.cursor) {
      this.reportedMissed.set(schedule.name, schedule.cursor);
      this.logger.warn(
        { schedule: schedule.name, skipped: plan.skipped, policy: schedule.missed },
        'ticks were missed while no scheduler ran; the missed policy leaves these out',
      );
    }
    let cursor = schedule.cursor;
    for (const tick of plan.ticks) {
      if (tick <= cursor) continue;
      const outcome = await this.docket.store.fireTick({
        now,
        name: schedule.name,
        tick,
        job: tickJob(schedule, tick, now),
      });
      if (outcome.status === 'fired') {
        cursor = tick;
        this.published(report, { schedule: schedule.name, tick, job: outcome.job });
      } else if (outcome.status === 'overlap') {
        cursor = tick;
        report.overlapped.push({ schedule: schedule.name, tick });
        this.logger.info(
          { schedule: schedule.name, tick, previous: outcome.previousJobId },
          'tick skipped: previous run unfinished',
        );
      } else if (outcome.status === 'stale') {
        report.stale++;
        cursor = Math.max(cursor, outcome.cursor);
      } else {
        return null; // paused or removed since the list was read
      }
    }
    return source.next(Math.max(cursor, now));
  }

  /** Reports a fired tick to this process: the 'fired' event and the job's 'enqueued' event. */
  private published(report: SchedulerReport, fired: FiredTick): void {
    report.fired.push(fired);
    this.docket.stats.arrival(fired.job.queue, fired.job.createdAt);
    this.docket.events.emit({
      type: 'enqueued',
      id: fired.job.id,
      job: fired.job,
      at: this.docket.clock.now(),
    });
    this.emit('fired', fired);
  }

  private fail(report: SchedulerReport, schedule: string, error: unknown): void {
    report.failed.push({ schedule, error });
    this.logger.error({ err: error, schedule }, 'scheduler pass failed; retrying');
    // An 'error' event with no listener would throw; the log is enough then.
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** Stops the loop; resolves once the pass in progress (if any) is done. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = (async () => {
        this.wakeup.wake();
        await this.loop;
        this.emit('stopped');
      })();
    }
    return this.stopping;
  }

  /** True once stop() was called. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }
}
