import type {
  MissedPolicy,
  OverlapPolicy,
  ScheduleJobTemplate,
  ScheduleRecord,
  ScheduleSpec,
} from './store.js';

/** A number as a driver may return it: PostgreSQL bigint as text, timestamps as Date. */
type Num = number | string | Date;

/** A docket_schedules row as both SQL dialects return it (snake_case, ms integers). */
export interface ScheduleRow {
  name: string;
  cron: string | null;
  every_ms: Num | null;
  tz: string;
  job: string | ScheduleJobTemplate;
  missed: string;
  missed_limit: Num;
  grace_ms: Num;
  overlap: string;
  paused: number | boolean;
  cursor: Num;
  last_tick: Num | null;
  last_job_id: Num | null;
  last_run_at: Num | null;
  created_at: Num;
  updated_at: Num;
}

/** Column values for a spec, in the shape the upsert statement binds. */
export function specToColumns(spec: ScheduleSpec): Record<string, string | number | null> {
  return {
    name: spec.name,
    cron: spec.cron,
    every_ms: spec.everyMs,
    tz: spec.tz,
    job: JSON.stringify(spec.job),
    missed: spec.missed,
    missed_limit: spec.missedLimit,
    grace_ms: spec.graceMs,
    overlap: spec.overlap,
  };
}

/** Maps a row to a record. Numbers may arrive as strings (PostgreSQL bigint), JSON as text or parsed. */
export function rowToSchedule(row: ScheduleRow): ScheduleRecord {
  return {
    name: row.name,
    cron: row.cron,
    everyMs: nullableNumber(row.every_ms),
    tz: row.tz,
    job: typeof row.job === 'string' ? (JSON.parse(row.job) as ScheduleJobTemplate) : row.job,
    missed: row.missed as MissedPolicy,
    missedLimit: Number(row.missed_limit),
    graceMs: Number(row.grace_ms),
    overlap: row.overlap as OverlapPolicy,
    paused: row.paused === true || row.paused === 1,
    cursor: nullableNumber(row.cursor)!,
    lastTick: nullableNumber(row.last_tick),
    lastJobId: row.last_job_id === null ? null : String(row.last_job_id),
    lastRunAt: nullableNumber(row.last_run_at),
    createdAt: nullableNumber(row.created_at)!,
    updatedAt: nullableNumber(row.updated_at)!,
  };
}

function nullableNumber(value: Num | null): number | null {
  return value === null ? null : Number(value instanceof Date ? value.getTime() : value);
}
