/** Where a job stands. See the lifecycle in docs/lifecycle.md. */
export type JobState = 'scheduled' | 'available' | 'active' | 'completed' | 'failed' | 'cancelled';

/** Every state, in lifecycle order. */
export const JOB_STATES: readonly JobState[] = [
  'scheduled',
  'available',
  'active',
  'completed',
  'failed',
  'cancelled',
];

/** States a job never leaves on its own (only `retry` brings a failed or cancelled job back). */
export const FINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

/** True for completed, failed and cancelled. */
export function isFinal(state: JobState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}

/** One failed attempt, kept on the job. */
export interface AttemptError {
  attempt: number;
  /** Stable code when Docket knows one (DOCKET_TIMEOUT, DOCKET_LEASE_LOST, …). */
  code?: string;
  message: string;
  stack?: string;
  /** When the attempt failed, in ms since the epoch. */
  at: number;
  workerId?: string;
}

/** One log line written by a handler through `ctx.log`. */
export interface JobLogLine {
  at: number;
  attempt: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** A job as stored: what `getJob` returns. Times are ms since the epoch. */
export interface Job<Input = unknown, Result = unknown> {
  id: string;
  task: string;
  queue: string;
  state: JobState;
  input: Input;
  /** Higher runs first. */
  priority: number;
  /** The earliest time the job may start. */
  runAt: number;
  /** Attempts started so far (the running one included). */
  attempt: number;
  maxAttempts: number;
  /** Unique key: at most one unfinished job per key. */
  key: string | null;
  /** Per-attempt timeout in ms, or null for none. */
  timeoutMs: number | null;
  progress: unknown;
  result: Result | null;
  errors: AttemptError[];
  workerId: string | null;
  leaseExpiresAt: number | null;
  cancelRequested: boolean;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Flow-control group (a user, a tenant) set at enqueue, or null. */
  group: string | null;
  /**
   * Set when claimed: the later of `runAt` and the last time a flow limit held
   * the job's queue or group back. Waits for capacity are measured from here.
   */
  readyAt: number | null;
  /** The enqueuer's trace context (W3C `traceparent`, `tracestate`), continued by the worker around the run. */
  traceContext: Record<string, string> | null;
}

/** What an enqueue returns: the job, and whether the key matched an unfinished job already there. */
export type EnqueuedJob<Input = unknown, Result = unknown> = Job<Input, Result> & {
  /** True when a job with the same unique key was already unfinished; that job is returned and nothing was added. */
  duplicate: boolean;
};
