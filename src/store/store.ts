import type { AttemptError, Job, JobLogLine, JobState } from '../job.js';

/**
 * The store is the only code that touches storage. Each method is one atomic
 * transaction, takes one params object that carries `now` (ms since the
 * epoch, from the injectable clock), and returns typed rows. Nothing above
 * this interface sees SQL or driver types. A store is done when the
 * conformance suite (test/conformance/store-suite.ts) passes on it unchanged.
 */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /** Applies pending numbered migrations; safe when several processes run it at once. */
  migrate(): Promise<void>;
  /**
   * Inserts jobs in one transaction, all or nothing. Unique keys return the
   * unfinished job already there. Refuses the whole batch with QueueFullError
   * when a queue's backlog limit would be passed.
   */
  enqueue(params: EnqueueParams): Promise<EnqueueOutcome[]>;
  /** Leases up to `limit` due jobs from `queues`, highest priority first, then earliest run time, then oldest. */
  claim(params: ClaimParams): Promise<Job[]>;
  /** Extends the leases a worker holds; says which it lost and which were asked to cancel. */
  renewLeases(params: RenewParams): Promise<RenewOutcome>;
  /** Marks jobs completed. Refused (false) for a job whose lease the caller no longer holds. */
  complete(params: CompleteParams): Promise<boolean[]>;
  /** Records failed attempts: back to `scheduled` at `retryAt`, or `failed` when it is null. Fenced like complete. */
  fail(params: FailParams): Promise<boolean[]>;
  /** Ends running jobs that honoured a cancel request as `cancelled`. Fenced like complete. */
  markCancelled(params: FencedParams): Promise<boolean[]>;
  /** Hands jobs back without counting an attempt (graceful shutdown). Fenced like complete. */
  release(params: FencedParams): Promise<boolean[]>;
  /** Returns jobs whose lease expired to the queue as a failed attempt, or to `failed` when none are left. */
  reclaimExpired(params: ReclaimParams): Promise<ReclaimOutcome>;
  /** Cancels a job: at once when it is waiting; by request (signal) when it is running. */
  cancel(params: IdParams): Promise<ChangeOutcome | null>;
  /** Puts a failed or cancelled job back to `available` with one more attempt allowed. */
  retry(params: IdParams): Promise<ChangeOutcome | null>;
  /** Removes a job that is not running, with its logs. */
  deleteJob(params: IdParams): Promise<'deleted' | 'not-found' | 'running'>;
  /** Records progress on a running job. Fenced. */
  setProgress(params: ProgressParams): Promise<boolean>;
  /** Appends handler log lines to running jobs. Lines for a lease no longer held are dropped. */
  appendLogs(params: AppendLogsParams): Promise<void>;
  getJob(params: { id: string }): Promise<Job | null>;
  getLogs(params: { id: string; afterSeq?: number; limit?: number }): Promise<StoredLogLine[]>;
  /** Lists jobs newest first, by filters, with an opaque cursor for the next page. */
  listJobs(params: ListParams): Promise<JobPage>;
  /** Job counts per queue and state. */
  countJobs(params?: { queue?: string }): Promise<QueueCounts[]>;
  /** Queue settings and counts. Queues appear once they have a job or a setting. */
  listQueues(params: { now: number }): Promise<QueueInfo[]>;
  /** Changes queue settings; fields left undefined keep their value, `null` clears a limit. */
  updateQueue(params: UpdateQueueParams): Promise<QueueSettings>;
  /** Registers a live worker or refreshes its heartbeat. */
  heartbeat(params: HeartbeatParams): Promise<void>;
  /** Removes a worker from the registry (clean shutdown), and workers silent since `staleBefore`. */
  removeWorkers(params: { ids?: string[]; staleBefore?: number }): Promise<number>;
  listWorkers(params: { now: number }): Promise<WorkerRecord[]>;
  /** Deletes up to `limit` finished jobs that finished before `finishedBefore`. Returns how many. */
  prune(params: PruneParams): Promise<number>;
  /** Wake-ups between processes; see Notifier. */
  readonly notifier: Notifier;
  close(): Promise<void>;
}

/** What a store can do; the core branches on these, never on the dialect's name. */
export interface StoreCapabilities {
  /** Notifications reach other processes and hosts (LISTEN/NOTIFY). Otherwise the core polls. */
  crossProcessNotify: boolean;
  /** Enqueue can run on the caller's own connection inside the caller's transaction. */
  transactionalEnqueue: boolean;
  /** Hosts other than this one can share the store. */
  multiHost: boolean;
  /** Smallest time step stored, in ms. */
  timePrecisionMs: number;
}

/** A job to insert, with every default already resolved by the client. */
export interface NewJob {
  task: string;
  queue: string;
  /** JSON text of the validated input. */
  input: string;
  priority: number;
  runAt: number;
  maxAttempts: number;
  key: string | null;
  timeoutMs: number | null;
  /** JSON of the enqueuer's trace context (W3C traceparent/tracestate), when it had one. */
  traceContext?: string | null;
}

export interface EnqueueParams {
  now: number;
  jobs: NewJob[];
  /**
   * A store-specific handle to run the insert on, inside the caller's own
   * transaction (PostgreSQL: a `pg` client in a transaction). Only for stores
   * with `capabilities.transactionalEnqueue`.
   */
  executor?: unknown;
}

export interface EnqueueOutcome {
  job: Job;
  /** The key matched an unfinished job, which is returned instead. */
  duplicate: boolean;
}

export interface ClaimParams {
  now: number;
  queues: string[];
  limit: number;
  workerId: string;
  leaseMs: number;
}

/** A job held by a worker: its id and the attempt it leased, which fences every write. */
export interface Fence {
  id: string;
  attempt: number;
}

export interface RenewParams {
  now: number;
  workerId: string;
  leaseMs: number;
  jobs: Fence[];
}

export interface RenewOutcome {
  /** Jobs whose lease this worker no longer holds: stop them and drop their outcome. */
  lost: string[];
  /** Jobs someone asked to cancel: abort them. */
  cancelRequested: string[];
}

export interface CompleteParams {
  now: number;
  jobs: (Fence & { result: string | null })[];
}

export interface FailParams {
  now: number;
  jobs: (Fence & { error: AttemptError; retryAt: number | null })[];
}

export interface FencedParams {
  now: number;
  jobs: Fence[];
}

export interface ReclaimParams {
  now: number;
  limit: number;
}

export interface ReclaimOutcome {
  /** Jobs put back to run again. */
  retried: string[];
  /** Jobs that had no attempts left. */
  failed: string[];
}

export interface IdParams {
  now: number;
  id: string;
}

/** The job after a cancel or retry, and whether the call changed it (false: its state did not allow it). */
export interface ChangeOutcome {
  job: Job;
  changed: boolean;
}

export interface ProgressParams extends Fence {
  now: number;
  progress: string;
}

export interface AppendLogsParams {
  lines: (Fence & Omit<JobLogLine, 'attempt'>)[];
}

/** A log line as read back, with its sequence number for paging. */
export interface StoredLogLine extends JobLogLine {
  seq: number;
}

export interface ListParams {
  states?: JobState[];
  queue?: string;
  task?: string;
  key?: string;
  /** Case-insensitive substring of the input's JSON text. */
  text?: string;
  limit?: number;
  cursor?: string;
}

export interface JobPage {
  jobs: Job[];
  /** Pass back to get the next page; null on the last one. */
  nextCursor: string | null;
}

export interface QueueCounts {
  queue: string;
  counts: Record<JobState, number>;
}

export interface QueueSettings {
  name: string;
  paused: boolean;
  /** Most jobs that may wait (scheduled + available); null for no limit. */
  backlogLimit: number | null;
}

export interface QueueInfo extends QueueSettings {
  counts: Record<JobState, number>;
  /** Run time of the oldest available job, or null when none waits. */
  oldestAvailableAt: number | null;
  /** Jobs finished (completed or failed) in the last minute: the drain rate behind Retry-After. */
  finishedLastMinute: number;
}

export interface UpdateQueueParams {
  now: number;
  name: string;
  paused?: boolean;
  backlogLimit?: number | null;
}

export interface WorkerRecord {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  concurrency: number;
  startedAt: number;
  heartbeatAt: number;
  /** Free-form facts the worker reports: running count, isolation modes, warnings. */
  info: Record<string, unknown>;
}

export interface HeartbeatParams {
  now: number;
  worker: WorkerRecord;
}

export interface PruneParams {
  now: number;
  finishedBefore: number;
  limit: number;
}

/**
 * Wakes sleeping workers when jobs arrive and carries cancel requests to
 * running jobs. In-process delivery is always immediate; across processes it
 * works where `capabilities.crossProcessNotify` is true, and polling covers
 * the rest (polling is always the source of truth).
 */
export interface Notifier {
  /** Tells listeners that jobs are due on `queue`. */
  jobsAvailable(queue: string): void;
  /** Tells listeners that job `id` was asked to cancel. */
  cancelRequested(id: string): void;
  onJobsAvailable(listener: (queue: string) => void): () => void;
  onCancelRequested(listener: (id: string) => void): () => void;
}

// ---------------------------------------------------------------------------
// Schedules (issue #5). Declared as a second `interface Store` block, which
// TypeScript merges into the one above, so the whole schedule contract reads
// in one place and the rest of the file stays untouched.
// ---------------------------------------------------------------------------

export interface Store {
  /**
   * Creates a schedule, or replaces the definition of the one with this name.
   * Replacing keeps what belongs to the run time, not to the code: paused,
   * the tick cursor and the last run. So every process may declare its
   * schedules at start-up without resetting anything.
   */
  upsertSchedule(params: UpsertScheduleParams): Promise<ScheduleRecord>;
  getSchedule(params: { name: string }): Promise<ScheduleRecord | null>;
  /** Every schedule, by name. */
  listSchedules(params?: Record<string, never>): Promise<ScheduleRecord[]>;
  /**
   * Pauses or resumes a schedule. Resuming moves the cursor up to `now`
   * (never back), so ticks that fell while it was paused are not caught up.
   * Null when there is no such schedule.
   */
  updateSchedule(params: UpdateScheduleParams): Promise<ScheduleRecord | null>;
  /** Deletes a schedule; its jobs stay. False when there was none. */
  removeSchedule(params: { name: string }): Promise<boolean>;
  /**
   * The one write that fires a tick, in one transaction: when `tick` is
   * newer than the schedule's cursor (and the schedule exists and is not
   * paused), moves the cursor to `tick` and inserts `job` — unless the
   * schedule's overlap policy is `skip` and its previous job is unfinished,
   * in which case the tick is consumed without a job. The cursor only moves
   * forward and outlives the job, so a tick is enqueued at most once however
   * many schedulers race, stall or run on skewed clocks. `tick: null` is a
   * manual run (trigger): no cursor check, no overlap check.
   */
  fireTick(params: FireTickParams): Promise<FireTickOutcome>;
}

/** When a tick comes due later than its grace allows, what happens to it. */
export type MissedPolicy = 'skip' | 'latest' | 'all';

/** What to do with a tick while the schedule's previous job is unfinished. */
export type OverlapPolicy = 'allow' | 'skip';

/**
 * The job a schedule enqueues at each tick, resolved and validated when the
 * schedule was declared, so a scheduler can fire it without loading the task.
 */
export interface ScheduleJobTemplate {
  task: string;
  queue: string;
  /** JSON text of the validated input. */
  input: string;
  priority: number;
  maxAttempts: number;
  timeoutMs: number | null;
}

/** A schedule's definition as stored: exactly one of `cron` and `everyMs`. */
export interface ScheduleSpec {
  name: string;
  /** Cron expression (5 or 6 fields, or a nickname such as `@daily`), read in `tz`. */
  cron: string | null;
  /** Fixed interval in ms; ticks are multiples of it since the Unix epoch. */
  everyMs: number | null;
  /** IANA time zone the cron expression is read in. */
  tz: string;
  job: ScheduleJobTemplate;
  missed: MissedPolicy;
  /** With `missed: 'all'`: most missed ticks fired after one outage (the most recent ones). */
  missedLimit: number;
  /** A tick at most this late is fired as usual; a later one counts as missed. */
  graceMs: number;
  overlap: OverlapPolicy;
}

/** A stored schedule with its run-time state. */
export interface ScheduleRecord extends ScheduleSpec {
  paused: boolean;
  /** Ticks at or before this time are done: fired, skipped, or before the schedule existed or resumed. */
  cursor: number;
  /** The last tick that was fired or consumed, or null. */
  lastTick: number | null;
  /** The job of the last run (tick or trigger), or null. */
  lastJobId: string | null;
  /** When the last run was enqueued, or null. */
  lastRunAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface UpsertScheduleParams {
  now: number;
  schedule: ScheduleSpec;
}

export interface UpdateScheduleParams {
  now: number;
  name: string;
  paused?: boolean;
}

export interface FireTickParams {
  now: number;
  name: string;
  /** The tick (ms since the epoch), or null for a manual run. */
  tick: number | null;
  job: NewJob;
}

/**
 * What fireTick did: `fired` (the job was inserted), `overlap` (the tick was
 * consumed without a job), `stale` (the cursor was already at or past the
 * tick; `cursor` says where), `paused`, `not-found`.
 */
export type FireTickOutcome =
  | { status: 'fired'; job: Job }
  | { status: 'overlap'; previousJobId: string }
  | { status: 'stale'; cursor: number }
  | { status: 'paused' }
  | { status: 'not-found' };

// ---------------------------------------------------------------------------
// Queue statistics (issue #8), merged into Store like the schedules block.
// Every process measures what it sees and adds it to per-minute buckets, so
// all hosts contribute and a restart loses at most one unflushed interval.

export interface Store {
  /** Adds each bucket's counts and histograms to the stored bucket of the same queue and minute. */
  recordStats(params: { buckets: StatsBucket[] }): Promise<void>;
  /** Buckets from `since` (ms), of one queue or all, oldest first. */
  readStats(params: { since: number; queue?: string }): Promise<StatsBucket[]>;
  /** Deletes buckets older than `before`. Returns how many. */
  pruneStats(params: { before: number }): Promise<number>;
}

/** What was measured for one queue in one minute. Durations in ms; histograms as in capacity/histogram.ts. */
export interface StatsBucket {
  queue: string;
  /** Start of the minute, ms since the epoch (a multiple of 60,000). */
  bucket: number;
  /** Jobs enqueued. */
  arrivals: number;
  /** Attempts started. */
  starts: number;
  /** Attempts that succeeded. */
  completions: number;
  /** Attempts that failed (retried or not), timed out or lost their lease. */
  failures: number;
  /** Sum of waits: from the run time (enqueue, delay or retry time) to the start. */
  waitMsSum: number;
  /** Sum of run times of finished attempts. */
  runMsSum: number;
  waitHist: Record<number, number>;
  runHist: Record<number, number>;
}

// ---------------------------------------------------------------------------
// Flow control (issue #9), merged into Store and the queue types like the
// blocks above: cluster-wide concurrency and rate limits per queue and per
// group, enforced inside claim. See docs/flow-control.md.

export interface Store {
  /**
   * Why each of these jobs (by id) is held back now: for `available` jobs
   * whose queue or group is at a limit, the binding limits; an empty list
   * for jobs that are not held (or not available). Unknown ids are left out.
   */
  holdReasons(params: { now: number; ids: string[] }): Promise<Record<string, HoldReason[]>>;
}

/** N starts per period, as a token bucket holding at most `burst` tokens (default N). */
export interface RateLimit {
  limit: number;
  periodMs: number;
  /** Most starts at once after a quiet spell; null means `limit`. 1 spaces starts evenly. */
  burst: number | null;
}

/** A queue's flow-control settings; null means no limit. */
export interface FlowLimits {
  /** Most active jobs of the queue across every worker and host. */
  concurrency: number | null;
  /** Most starts per period across every worker and host. */
  rate: RateLimit | null;
  /** Most active jobs per group (jobs without a group are exempt). */
  groupConcurrency: number | null;
  /** Most starts per period per group. */
  groupRate: RateLimit | null;
  /** Round-robin between groups even without group limits (group limits imply it). */
  fair: boolean;
}

/** A limit holding jobs back now, with a sentence for people. */
export interface HoldReason {
  kind: 'paused' | 'concurrency' | 'rate' | 'group-concurrency' | 'group-rate';
  queue: string;
  /** The group, for the group kinds. */
  group?: string;
  /** For rate kinds: when the next start is allowed (ms since the epoch). */
  until?: number;
  message: string;
}

export interface QueueSettings {
  flow: FlowLimits;
}

export interface QueueInfo {
  /** The queue-level limits binding now (paused, concurrency, rate); group limits show per job. */
  holding: HoldReason[];
}

export interface UpdateQueueParams {
  concurrency?: number | null;
  rate?: RateLimit | null;
  groupConcurrency?: number | null;
  groupRate?: RateLimit | null;
  fair?: boolean;
}

export interface NewJob {
  /** Flow-control group (a user, a tenant); null or absent for none. */
  group?: string | null;
}
