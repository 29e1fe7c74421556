// The public API of Docket, and nothing else.
export { createDocket, Docket } from './client.js';
export type { DocketOptions, EnqueueOptions, EnqueueItem, ListJobsOptions, JobWithLogs } from './client.js';
export { defineTask, DEFAULT_BACKOFF } from './task.js';
export type {
  Task,
  TaskOptions,
  TaskContext,
  TaskInput,
  TaskResult,
  RetryPolicy,
  Backoff,
  Isolation,
  JobLogger,
  InputSchema,
} from './task.js';
export type { Job, JobState, AttemptError, JobLogLine, EnqueuedJob } from './job.js';
export { JOB_STATES, FINAL_STATES, isFinal } from './job.js';
export { DocketError, QueueFullError, isDocketError } from './errors.js';
export type { DocketErrorCode, FieldIssue } from './errors.js';
export { toMs, formatMs } from './duration.js';
export type { Duration } from './duration.js';
export { ManualClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export type { JobEvent } from './events.js';
export { Worker } from './worker/worker.js';
export type { WorkerOptions } from './worker/worker.js';
export { Maintenance } from './worker/maintenance.js';
export type { MaintenanceOptions, MaintenanceReport } from './worker/maintenance.js';
export type { Runner, RunRequest } from './worker/runner.js';
export { openStore } from './store/open-store.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export type { SqliteStoreOptions, SqliteSynchronous } from './store/sqlite/sqlite-store.js';
export type * from './store/store.js';
