import type { Docket } from '../client.js';
import { DocketError } from '../errors.js';
import type { Job } from '../job.js';
import type { ScheduleRecord } from '../store/store.js';
import { checkScheduleName, type ScheduleInfo, type ScheduleJobOptions, tickJob } from './definition.js';
import type { Scheduler, SchedulerOptions } from './scheduler.js';
import { tickSource } from './ticks.js';

/** A record with its next run: the first tick after both the cursor and (just before) now. */
export function withNextRun(record: ScheduleRecord, now: number): ScheduleInfo {
  let nextRunAt: number | null = null;
  if (!record.paused) {
    try {
      nextRunAt = tickSource(record, now).next(Math.max(record.cursor, now - 1));
    } catch {
      // A definition this version cannot read (written by a newer one): list it without a next run.
    }
  }
  return { ...record, nextRunAt };
}

/** The schedule named `name`, or DOCKET_NOT_FOUND. */
export async function requireSchedule(docket: Docket, name: string): Promise<ScheduleRecord> {
  const record = await docket.store.getSchedule({ name: checkScheduleName(name) });
  if (!record) throw notFound(name);
  return record;
}

function notFound(name: string): DocketError {
  return new DocketError('DOCKET_NOT_FOUND', `no schedule named "${name}"`, { details: { name } });
}

/** Pauses (true) or resumes (false) a schedule; resuming does not catch up ticks that fell while paused. */
export async function setSchedulePaused(
  docket: Docket,
  name: string,
  paused: boolean,
): Promise<ScheduleInfo> {
  const now = docket.clock.now();
  const record = await docket.store.updateSchedule({ now, name: checkScheduleName(name), paused });
  if (!record) throw notFound(name);
  return withNextRun(record, now);
}

/** Deletes a schedule (its jobs stay), or DOCKET_NOT_FOUND. */
export async function removeSchedule(docket: Docket, name: string): Promise<void> {
  if (!(await docket.store.removeSchedule({ name: checkScheduleName(name) }))) throw notFound(name);
}

/**
 * Runs a schedule now, outside its ticks: one job, due at once, counted as
 * the schedule's last run (so `overlap: 'skip'` waits for it too). Works on
 * a paused schedule: it is an operator's explicit request.
 */
export async function triggerSchedule(docket: Docket, name: string): Promise<Job> {
  const record = await requireSchedule(docket, name);
  const now = docket.clock.now();
  const outcome = await docket.store.fireTick({ now, name, tick: null, job: tickJob(record, null, now) });
  if (outcome.status !== 'fired') throw notFound(name);
  docket.events.emit({ type: 'enqueued', id: outcome.job.id, job: outcome.job, at: now });
  return outcome.job;
}

/** Keeps only the per-job options a schedule may set, so stray enqueue options (delay, key) cannot slip in. */
export function scheduleJobOptions(options: ScheduleJobOptions = {}): ScheduleJobOptions {
  const picked: ScheduleJobOptions = {};
  if (options.queue !== undefined) picked.queue = options.queue;
  if (options.priority !== undefined) picked.priority = options.priority;
  if (options.attempts !== undefined) picked.attempts = options.attempts;
  if (options.timeout !== undefined) picked.timeout = options.timeout;
  return picked;
}

/**
 * Starts a scheduler for `docket` in this process and returns it; stop it
 * with `await scheduler.stop()` (docket.close() stops it too). Any number of
 * processes may run one against the same store. `docket worker` and the demo
 * start one through this function unless told not to.
 */
export function startScheduler(docket: Docket, options: SchedulerOptions = {}): Scheduler {
  return docket.startScheduler(options);
}
