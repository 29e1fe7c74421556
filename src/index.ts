// The public API of Docket, and nothing else.

export type { QueueCapacity } from './capacity/model.js';
export type { DocketOptions, EnqueueItem, EnqueueOptions, JobWithLogs, ListJobsOptions } from './client.js';
export { createDocket, Docket } from './client.js';
export type { Clock } from './clock.js';
export { ManualClock, systemClock } from './clock.js';
export type { Duration } from './duration.js';
export { formatMs, toMs } from './duration.js';
export type { DocketErrorCode, FieldIssue } from './errors.js';
export { DocketError, isDocketError, QueueFullError } from './errors.js';
export type { JobEvent } from './events.js';
export type { QueueSettingsInput, RateLimitInput } from './flow-settings.js';
export type { AttemptError, EnqueuedJob, Job, JobLogLine, JobState } from './job.js';
export { FINAL_STATES, isFinal, JOB_STATES } from './job.js';
// Schedules (issue #5).
export type { ScheduleDefinition, ScheduleInfo, ScheduleJobOptions } from './scheduler/definition.js';
export { startScheduler } from './scheduler/manage.js';
export type { FiredTick, SchedulerOptions, SchedulerReport } from './scheduler/scheduler.js';
export { Scheduler } from './scheduler/scheduler.js';
// HTTP server (issue #6).
export type {
  DocketServer,
  HttpErrorCode,
  HttpOnlyErrorCode,
  ListeningAddress,
  RateLimitOptions,
  ServerOptions,
  ServerTokens,
} from './server/index.js';
export { createServer } from './server/lazy.js';
export { openStore } from './store/open-store.js';
export type { PostgresStoreOptions } from './store/postgres/postgres-store.js';
export { PostgresStore } from './store/postgres/postgres-store.js';
export type { SqliteStoreOptions, SqliteSynchronous } from './store/sqlite/sqlite-store.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export type * from './store/store.js';
export type {
  Backoff,
  InputSchema,
  Isolation,
  JobLogger,
  RetryPolicy,
  Task,
  TaskContext,
  TaskInput,
  TaskOptions,
  TaskResult,
} from './task.js';
export { DEFAULT_BACKOFF, defineTask } from './task.js';
export type { LoopBlock, LoopInfo } from './worker/loop-monitor.js';
export type { MaintenanceOptions, MaintenanceReport } from './worker/maintenance.js';
export { Maintenance } from './worker/maintenance.js';
export type { Runner, RunRequest } from './worker/runner.js';
// Runners and the supervisor (issue #4).
export type { ProcessRunnerOptions } from './worker/runners/process.js';
export { ProcessRunner } from './worker/runners/process.js';
export type { PoolOptions } from './worker/runners/slot-pool.js';
export type { ThreadRunnerOptions } from './worker/runners/thread.js';
export { ThreadRunner } from './worker/runners/thread.js';
export type { SupervisedChild, SupervisorOptions } from './worker/supervisor.js';
export { isSupervisedChild, runSupervisor, Supervisor } from './worker/supervisor.js';
export type { WorkerOptions } from './worker/worker.js';
export { Worker } from './worker/worker.js';
