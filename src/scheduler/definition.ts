import { type Duration, toMs } from '../duration.js';
import { DocketError } from '../errors.js';
import type {
  MissedPolicy,
  NewJob,
  OverlapPolicy,
  ScheduleJobTemplate,
  ScheduleRecord,
  ScheduleSpec,
} from '../store/store.js';
import type { Task } from '../task.js';
import { tickSource } from './ticks.js';

/** Per-job options a schedule may set; timing and keys belong to the schedule itself. */
export interface ScheduleJobOptions {
  /** Overrides the task's queue. */
  queue?: string;
  /** Overrides the task's priority. */
  priority?: number;
  /** Overrides the task's retry.attempts. */
  attempts?: number;
  /** Overrides the task's timeout. */
  timeout?: Duration;
}

/**
 * A schedule as declared in code: `docket.schedule(name, definition)`.
 * Give exactly one of `cron` and `every`.
 */
export interface ScheduleDefinition<Input = unknown> {
  /**
   * Cron expression read by croner: 5 fields (minute hour day month weekday)
   * or 6 (seconds first), names (`MON`, `JAN`), and nicknames such as
   * `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
   */
  cron?: string;
  /** A fixed interval (`'30s'`, `'5m'`, ms). Ticks are multiples of it since the Unix epoch, in UTC. */
  every?: Duration;
  /** IANA time zone the cron expression is read in. Default `'UTC'`, so every host agrees. */
  tz?: string;
  /** The task to enqueue at each tick: a task object or the name of a registered task. */
  task: Task<Input, unknown> | string;
  /** The job's input, validated against the task's schema now. Default `{}`. */
  input?: Input;
  options?: ScheduleJobOptions;
  /** Ticks more than `grace` late (everything was down): `skip` (default), `latest` (run the newest once) or `all`. */
  missed?: MissedPolicy;
  /** With `missed: 'all'`: the most missed ticks run after one outage, newest kept. Default 100. */
  missedLimit?: number;
  /** How late a tick may be fired and still count as on time. Default 60 s. */
  grace?: Duration;
  /** `allow` (default) or `skip` a tick while the previous run is still unfinished. */
  overlap?: OverlapPolicy;
}

/** A schedule as listed: its definition, run-time state and next run. */
export interface ScheduleInfo extends ScheduleRecord {
  /** When the next tick falls (not before `now`), or null when paused or when the expression has no more ticks. */
  nextRunAt: number | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const MISSED: MissedPolicy[] = ['skip', 'latest', 'all'];
const OVERLAP: OverlapPolicy[] = ['allow', 'skip'];
/** Default grace: a scheduler restart or a slow pass must not lose a daily job. */
export const DEFAULT_GRACE_MS = 60_000;
/** Default cap on ticks caught up with `missed: 'all'`. */
export const DEFAULT_MISSED_LIMIT = 100;

function invalid(field: string, message: string, value?: unknown): DocketError {
  return new DocketError('DOCKET_INVALID_ARGUMENT', message, { details: { field, value } });
}

/** Refuses a schedule name that is not 1-128 letters, digits, `_ . : -`. */
export function checkScheduleName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalid(
      'name',
      `schedule name "${String(name)}" must be 1-128 letters, digits, '_', '.', ':' or '-'`,
      name,
    );
  }
  return name;
}

/**
 * Validates a definition and turns it into the stored spec, given the job
 * template the client resolved from the task. Every mistake is a
 * DOCKET_INVALID_ARGUMENT naming its field, raised before anything is stored.
 */
export function toScheduleSpec(
  name: string,
  definition: ScheduleDefinition,
  job: ScheduleJobTemplate,
  now: number,
): ScheduleSpec {
  checkScheduleName(name);
  const hasCron = definition.cron !== undefined;
  const hasEvery = definition.every !== undefined;
  if (hasCron === hasEvery) throw invalid('cron', `schedule "${name}" needs exactly one of cron and every`);
  if (hasEvery && definition.tz !== undefined) {
    throw invalid('tz', 'tz applies to cron expressions; an interval (every) is the same in every zone');
  }
  if (hasCron && typeof definition.cron !== 'string')
    throw invalid('cron', 'cron must be a string', definition.cron);
  const everyMs = hasEvery ? toMs(definition.every!, 'every') : null;
  if (everyMs !== null && everyMs < 1000)
    throw invalid('every', 'every must be at least 1s', definition.every);
  const missed = definition.missed ?? 'skip';
  if (!MISSED.includes(missed)) throw invalid('missed', `missed must be one of ${MISSED.join(', ')}`, missed);
  const overlap = definition.overlap ?? 'allow';
  if (!OVERLAP.includes(overlap))
    throw invalid('overlap', `overlap must be one of ${OVERLAP.join(', ')}`, overlap);
  const missedLimit = definition.missedLimit ?? DEFAULT_MISSED_LIMIT;
  if (!Number.isInteger(missedLimit) || missedLimit < 1) {
    throw invalid('missedLimit', 'missedLimit must be an integer ≥ 1', missedLimit);
  }
  const spec: ScheduleSpec = {
    name,
    cron: hasCron ? definition.cron!.trim() : null,
    everyMs,
    tz: definition.tz ?? 'UTC',
    job,
    missed,
    missedLimit,
    graceMs: toMs(definition.grace ?? DEFAULT_GRACE_MS, 'grace'),
    overlap,
  };
  tickSource(spec, now);
  return spec;
}

/** The stored template of a resolved job: what every tick enqueues. */
export function toTemplate(job: NewJob): ScheduleJobTemplate {
  return {
    task: job.task,
    queue: job.queue,
    input: job.input,
    priority: job.priority,
    maxAttempts: job.maxAttempts,
    timeoutMs: job.timeoutMs,
  };
}

/**
 * The job a tick enqueues: due at the tick, with the key
 * `schedule:<name>@<ISO tick>` so it names its schedule and tick wherever it
 * is shown. A manual run (tick null) is due now and has no key.
 */
export function tickJob(schedule: ScheduleSpec, tick: number | null, now: number): NewJob {
  const { job } = schedule;
  return {
    task: job.task,
    queue: job.queue,
    input: job.input,
    priority: job.priority,
    maxAttempts: job.maxAttempts,
    timeoutMs: job.timeoutMs,
    runAt: tick ?? now,
    key: tick === null ? null : `schedule:${schedule.name}@${new Date(tick).toISOString()}`,
  };
}
