import type { AttemptError, Job, JobState } from '../job.js';
import type { NewJob } from './store.js';

/** A docket_jobs row as a driver returns it (numbers may arrive as strings, JSON as text or parsed). */
export interface JobRow {
  id: number | string | bigint;
  task: string;
  queue: string;
  state: string;
  input: unknown;
  priority: number | string;
  run_at: number | string | Date;
  attempt: number | string;
  max_attempts: number | string;
  key: string | null;
  timeout_ms: number | string | null;
  progress: unknown;
  result: unknown;
  errors: unknown;
  worker_id: string | null;
  lease_expires_at: number | string | Date | null;
  cancel_requested: number | boolean;
  created_at: number | string | Date;
  started_at: number | string | Date | null;
  finished_at: number | string | Date | null;
  trace_context?: unknown;
  /** Text, or (SQLite) the BLOB x'00' for a job without a group in a queue that walks groups. */
  group_key?: string | Uint8Array | null;
  ready_at?: number | string | null;
}

function time(value: number | string | Date): number {
  if (value instanceof Date) return value.getTime();
  return typeof value === 'number' ? value : Number(value);
}

function optionalTime(value: number | string | Date | null): number | null {
  return value === null ? null : time(value);
}

/** JSON columns: text in SQLite, already parsed when a driver decodes json/jsonb. */
export function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/**
 * A stored group key as the job's group: text is the group; anything else is
 * no group (SQLite marks a job without a group in a queue that walks groups
 * with the BLOB x'00', its migration 010).
 */
export function groupOf(key: unknown): string | null {
  return typeof key === 'string' ? key : null;
}

/** Maps a stored row to the public Job shape; shared by every store. */
export function rowToJob(row: JobRow): Job {
  return {
    id: String(row.id),
    task: row.task,
    queue: row.queue,
    state: row.state as JobState,
    input: parseJson(row.input),
    priority: Number(row.priority),
    runAt: time(row.run_at),
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    key: row.key,
    timeoutMs: row.timeout_ms === null ? null : Number(row.timeout_ms),
    progress: row.progress === null ? null : parseJson(row.progress),
    result: row.result === null ? null : parseJson(row.result),
    // Most jobs have no errors yet: '[]' needs no parser.
    errors: row.errors === '[]' ? [] : ((parseJson(row.errors) as AttemptError[] | null) ?? []),
    workerId: row.worker_id,
    leaseExpiresAt: optionalTime(row.lease_expires_at),
    cancelRequested: row.cancel_requested === true || row.cancel_requested === 1,
    createdAt: time(row.created_at),
    startedAt: optionalTime(row.started_at),
    finishedAt: optionalTime(row.finished_at),
    group: groupOf(row.group_key),
    readyAt: row.ready_at === null || row.ready_at === undefined ? null : time(row.ready_at),
    traceContext: (row.trace_context ? parseJson(row.trace_context) : null) as Record<string, string> | null,
  };
}

/**
 * The Job a just-inserted row holds, built from what was inserted: the same
 * as rowToJob would read back (attempt 0, no errors, not started).
 */
export function jobFromInsert(job: NewJob, id: number | string, state: JobState, now: number): Job {
  return {
    id: String(id),
    task: job.task,
    queue: job.queue,
    state,
    input: JSON.parse(job.input),
    priority: job.priority,
    runAt: job.runAt,
    attempt: 0,
    maxAttempts: job.maxAttempts,
    key: job.key,
    timeoutMs: job.timeoutMs,
    progress: null,
    result: null,
    errors: [],
    workerId: null,
    leaseExpiresAt: null,
    cancelRequested: false,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    group: job.group ?? null,
    readyAt: null,
    traceContext: job.traceContext ? (JSON.parse(job.traceContext) as Record<string, string>) : null,
  };
}

/** Claim order: priority (higher first), then run time, then id. Stores sort claimed rows by it. */
export function compareClaimOrder(a: Job, b: Job): number {
  return b.priority - a.priority || a.runAt - b.runAt || Number(a.id) - Number(b.id);
}

/** Counts per state with every state present. */
export function emptyCounts(): Record<JobState, number> {
  return { scheduled: 0, available: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
}

/**
 * Seconds until a full queue is likely to accept again: the excess over the
 * limit divided by the jobs drained in the last minute; 60 s when nothing
 * drained (a guess that keeps clients from hammering).
 */
export function retryAfterSeconds(excess: number, drainedLastMinute: number): number {
  if (drainedLastMinute <= 0) return 60;
  const perSecond = drainedLastMinute / 60;
  return Math.min(3600, Math.max(1, Math.ceil(excess / perSecond)));
}
