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
