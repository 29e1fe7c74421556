import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DocketError, QueueFullError } from '../../errors.js';
import type { Job, JobState } from '../../job.js';
import { type FlowRow, flag, flowColumns, num, rowToFlow } from '../flow/limits.js';
import { sharedNotifier } from '../local-notifier.js';
import {
  compareClaimOrder,
  emptyCounts,
  type JobRow,
  jobFromInsert,
  retryAfterSeconds,
  rowToJob,
} from '../rows.js';
import { rowToSchedule, type ScheduleRow, specToColumns } from '../schedule-rows.js';
import { loadMigrations, loadNamedStatements, statement } from '../sql-file.js';
import { addStats, rowToStats, type StatsRow, statsToColumns } from '../stats-rows.js';
import type {
  AppendLogsParams,
  ChangeOutcome,
  ClaimParams,
  CompleteParams,
  EnqueueOutcome,
  EnqueueParams,
  FailParams,
  FencedParams,
  FireTickOutcome,
  FireTickParams,
  HeartbeatParams,
  HoldReason,
  IdParams,
  JobPage,
  ListParams,
  NewJob,
  Notifier,
  ProgressParams,
  PruneParams,
  QueueCounts,
  QueueInfo,
  QueueSettings,
  ReclaimOutcome,
  ReclaimParams,
  RenewOutcome,
  RenewParams,
  ScheduleRecord,
  StatsBucket,
  Store,
  StoreCapabilities,
  StoredLogLine,
  UpdateQueueParams,
  UpdateScheduleParams,
  UpsertScheduleParams,
  WorkerRecord,
} from '../store.js';
import { type Candidate, mergeQueues } from './claim-merge.js';
import { type RowsReader, rowsReader } from './raw-rows.js';
import { claimLimitedSqlite, holdReasonsSqlite, queueHoldsSqlite } from './sqlite-flow.js';
import { watchWal } from './wal-watch.js';

/**
 * SQLite `synchronous` setting, in WAL mode:
 * - `normal` (default): a commit survives a crash of the process; a power
 *   loss or OS crash may lose the last commits, never corrupts the file.
 * - `full`: every commit is fsynced; survives power loss too, at the cost of
 *   one fsync per transaction.
 * - `off`: leaves syncing to the OS; for throwaway data only.
 */
export type SqliteSynchronous = 'off' | 'normal' | 'full' | 'extra';

/** Options of the SQLite store. */
export interface SqliteStoreOptions {
  /** Database file, or `:memory:` (one process only). */
  filename: string;
  synchronous?: SqliteSynchronous;
  /** How long a write waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

const here = fileURLToPath(new URL('.', import.meta.url));
const SQL = new Map([
  ...loadNamedStatements(resolve(here, 'queries.sql')),
  ...loadNamedStatements(resolve(here, 'schedules.sql')),
  ...loadNamedStatements(resolve(here, 'stats.sql')),
  ...loadNamedStatements(resolve(here, 'flow.sql')),
]);
const MIGRATIONS = loadMigrations(resolve(here, 'migrations'));

type Row = Record<string, unknown>;
/** The embedded default store: one SQLite file, any number of processes on one host. */
export class SqliteStore implements Store {
  readonly capabilities: StoreCapabilities = {
    crossProcessNotify: false,
    transactionalEnqueue: false,
    multiHost: false,
    timePrecisionMs: 1,
  };
  readonly notifier: Notifier;
  readonly filename: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly readers = new Map<string, RowsReader<JobRow>>();

  constructor(options: SqliteStoreOptions) {
    this.filename = options.filename === ':memory:' ? ':memory:' : resolve(options.filename);
    this.db = new Database(this.filename);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (this.filename !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${(options.synchronous ?? 'normal').toUpperCase()}`);
    this.transaction = this.db.transaction((fn: () => unknown) => fn());
    this.notifier =
      this.filename === ':memory:'
        ? sharedNotifier(`memory:${Math.random()}`)
        : sharedNotifier(this.filename, (wake) => watchWal(this.filename, wake));
  }

  private stmt(name: string): Database.Statement {
    let prepared = this.statements.get(name);
    if (!prepared) {
      prepared = this.db.prepare(statement(SQL, name));
      this.statements.set(name, prepared);
    }
    return prepared;
  }

  /** Job rows of a statement that returns whole rows (claims), read the fast way (see rowsReader). */
  private jobRows(name: string, params: Record<string, unknown>): JobRow[] {
    let reader = this.readers.get(name);
    if (!reader) {
      // Its own prepared statement: raw mode belongs to the statement object.
      reader = rowsReader<JobRow>(this.db.prepare(statement(SQL, name)));
      this.readers.set(name, reader);
    }
    return reader(params);
  }

  /**
   * Runs `fn` in a BEGIN IMMEDIATE transaction: the write lock is taken up
   * front, so two processes never deadlock upgrading a read lock. The wrapper
   * is built once; building one per call costs more than a small write.
   */
  private write<T>(fn: () => T): T {
    return this.transaction.immediate(fn) as T;
  }
  private readonly transaction: Database.Transaction<(fn: () => unknown) => unknown>;

  async migrate(): Promise<void> {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS docket_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    // BEGIN IMMEDIATE serialises concurrent migrators: the second waits, then sees the versions applied.
    this.write(() => {
      const applied = new Set(
        (this.db.prepare('SELECT version FROM docket_migrations').all() as { version: number }[]).map(
          (r) => r.version,
        ),
      );
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO docket_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, Date.now());
      }
    });
  }

  async enqueue(params: EnqueueParams): Promise<EnqueueOutcome[]> {
    const outcomes = this.write(() => this.insertJobs(params));
    const woken = new Set<string>();
    for (const { job, duplicate } of outcomes) {
      if (!duplicate && job.state === 'available' && !woken.has(job.queue)) {
        woken.add(job.queue);
        this.notifier.jobsAvailable(job.queue);
      }
    }
    return outcomes;
  }

  /**
   * Inserts each job with its values bound by position (insertJob), inside
   * the caller's transaction; returns the rows inserted, in input order. A
   * job whose key an unfinished job holds (an earlier one of the batch
   * included) changes nothing and is left out. Positional binding and
   * `run()` (the id is the last insert rowid) instead of named values and
   * RETURNING: 6.7 against 13.2 µs a job, and against 12.6 for the whole
   * batch as one JSON array that SQLite unpacks, which was faster only
   * while the table's checks built lookup tables on every run (migration 012).
   */
  private insertRows(
    jobs: NewJob[],
    state: (job: NewJob) => JobState,
    now: number,
  ): { id: number; key: string | null }[] {
    const insert = this.stmt('insertJob');
    const inserted: { id: number; key: string | null }[] = [];
    for (const job of jobs) {
      const { changes, lastInsertRowid } = insert.run(
        job.task,
        job.queue,
        state(job),
        job.input,
        job.priority,
        job.runAt,
        job.maxAttempts,
        job.key,
        job.timeoutMs,
        job.traceContext ?? null,
        job.group ?? null,
        job.queue,
        now,
      );
      if (changes === 1) inserted.push({ id: Number(lastInsertRowid), key: job.key });
    }
    return inserted;
  }

  /**
   * Inserts jobs inside the caller's transaction (enqueue, fireTick): the
   * backlog check, then one insert per job (insertRows). The new jobs are built
   * from what was inserted rather than read back (a row object per job cost
   * more than the insert); a job whose key was taken is read from the store.
   */
  private insertJobs(params: EnqueueParams): EnqueueOutcome[] {
    this.checkBacklog(params);
    const { now, jobs } = params;
    const state = (job: NewJob): JobState => (job.runAt <= now ? 'available' : 'scheduled');
    const inserted = this.insertRows(jobs, state, now);
    // Ids rise in input order; a job with a key that is not next in line was skipped.
    let next = 0;
    return jobs.map((job): EnqueueOutcome => {
      const row = inserted[next];
      if (row && (job.key === null || row.key === job.key)) {
        next++;
        return { job: jobFromInsert(job, row.id, state(job), now), duplicate: false };
      }
      const existing = this.stmt('unfinishedByKey').get({ key: job.key }) as JobRow;
      return { job: rowToJob(existing), duplicate: true };
    });
  }

  /** Refuses the batch when a queue with a backlog limit would pass it. Costs one indexed read without limits. */
  private checkBacklog(params: EnqueueParams): void {
    const limits = this.stmt('backlogLimits').all({}) as { name: string; backlog_limit: number }[];
    if (limits.length === 0) return;
    const adding = new Map<string, number>();
    for (const job of params.jobs) adding.set(job.queue, (adding.get(job.queue) ?? 0) + 1);
    for (const { name: queue, backlog_limit: limit } of limits) {
      const count = adding.get(queue);
      if (count === undefined) continue;
      const row = this.stmt('queueBacklog').get({ queue, since: params.now - 60_000 }) as {
        waiting: number;
        drained: number;
      };
      if (row.waiting + count > limit) {
        const excess = row.waiting + count - limit;
        throw new QueueFullError(queue, limit, retryAfterSeconds(excess, row.drained));
      }
    }
  }

  /**
   * Picks the first `limit` jobs in claim order, then leases them, in one
   * transaction. Each candidate query walks an index in claim order and
   * stops at LIMIT, so a claim costs the same with 10 or 10 million jobs
   * waiting. A claim of every queue claims the queues with a job waiting.
   * With several queues, their claim orders are merged a page at a time
   * (claim-merge.ts) and each queue's share is leased from its front.
   * Limited queues (flow control) are claimed first, each by its plan,
   * inside the same transaction, so their limits hold across every process;
   * their own limits keep them from starving the unlimited queues.
   */
  async claim(params: ClaimParams): Promise<Job[]> {
    if (params.limit <= 0) return [];
    const rows = this.write(() => {
      this.stmt('promoteDue').run({ now: params.now });
      const held = this.stmt('heldQueues').all({}) as FlowRow[];
      const wanted = new Set(params.queues);
      const limited = held.filter(
        (r) => flag(r.flow) && !flag(r.paused) && (wanted.size === 0 || wanted.has(r.name)),
      );
      const claimed: JobRow[] = [];
      // Rotating the start keeps one limited queue from always going first.
      const start = limited.length > 0 ? this.flowTurn++ % limited.length : 0;
      for (let i = 0; i < limited.length && claimed.length < params.limit; i++) {
        const row = limited[(start + i) % limited.length]!;
        claimed.push(
          ...claimLimitedSqlite(
            (n) => this.stmt(n),
            (n, values) => this.jobRows(n, values),
            row,
            params,
            params.limit - claimed.length,
          ),
        );
      }
      const rest = params.limit - claimed.length;
      if (rest <= 0) return claimed;
      const lease = {
        now: params.now,
        worker_id: params.workerId,
        lease_expires_at: params.now + params.leaseMs,
        limit: rest,
      };
      // The queues to claim from: those named, or every queue with a job waiting.
      const skip = new Set(held.map((r) => r.name));
      const queues = (
        params.queues.length > 0
          ? [...wanted]
          : (this.stmt('availableQueues').all({}) as { name: string }[]).map((r) => r.name)
      ).filter((queue) => !skip.has(queue));
      if (queues.length === 0) return claimed;
      // One queue: pick and lease in one statement.
      if (queues.length === 1) {
        return claimed.concat(this.jobRows('claimDirect', { ...lease, queue: queues[0] }));
      }
      // Several queues: their claim orders merged, then each queue's share leased from its front.
      const candidates = this.stmt('claimCandidatesInQueue').raw(true);
      const shares = mergeQueues(
        queues,
        rest,
        (queue, n) => candidates.all({ queue, limit: n }) as Candidate[],
      );
      for (const [queue, n] of shares)
        claimed.push(...this.jobRows('claimDirect', { ...lease, queue, limit: n }));
      return claimed;
    });
    return rows.map(rowToJob).sort(compareClaimOrder);
  }
  private flowTurn = 0;

  async renewLeases(params: RenewParams): Promise<RenewOutcome> {
    const outcome: RenewOutcome = { lost: [], cancelRequested: [] };
    if (params.jobs.length === 0) return outcome;
    this.write(() => {
      for (const fence of params.jobs) {
        const row = this.stmt('renewLease').get({
          id: fence.id,
          attempt: fence.attempt,
          worker_id: params.workerId,
          lease_expires_at: params.now + params.leaseMs,
        }) as { id: number; cancel_requested: number } | undefined;
        if (!row) outcome.lost.push(fence.id);
        else if (row.cancel_requested) outcome.cancelRequested.push(fence.id);
      }
    });
    return outcome;
  }

  async complete(params: CompleteParams): Promise<boolean[]> {
    if (params.jobs.length === 0) return [];
    const done = this.write(
      () =>
        this.stmt('complete')
          .pluck()
          .all({
            now: params.now,
            jobs: JSON.stringify(params.jobs.map((j) => [Number(j.id), j.attempt, j.result])),
          }) as number[],
    );
    const applied = new Set(done.map(String));
    return params.jobs.map((j) => applied.has(j.id));
  }

  async fail(params: FailParams): Promise<boolean[]> {
    let woke = false;
    const done = this.write(() =>
      params.jobs.map((job) => {
        const error = JSON.stringify(job.error);
        const base = { id: job.id, attempt: job.attempt, now: params.now, error };
        if (job.retryAt === null) return this.stmt('failFinal').run(base).changes === 1;
        if (job.retryAt <= params.now) woke = true;
        return this.stmt('failRetry').run({ ...base, retry_at: job.retryAt }).changes === 1;
      }),
    );
    if (woke) this.notifier.jobsAvailable('*');
    return done;
  }

  async markCancelled(params: FencedParams): Promise<boolean[]> {
    return this.fenced('markCancelled', params);
  }

  async release(params: FencedParams): Promise<boolean[]> {
    const done = this.fenced('release', params);
    if (done.some(Boolean)) this.notifier.jobsAvailable('*');
    return done;
  }

  private fenced(name: string, params: FencedParams): boolean[] {
    return this.write(() =>
      params.jobs.map(
        (job) => this.stmt(name).run({ id: job.id, attempt: job.attempt, now: params.now }).changes === 1,
      ),
    );
  }

  async reclaimExpired(params: ReclaimParams): Promise<ReclaimOutcome> {
    const outcome: ReclaimOutcome = { retried: [], failed: [] };
    this.write(() => {
      const expired = this.stmt('expiredLeases').all({ now: params.now, limit: params.limit }) as {
        id: number;
        attempt: number;
        max_attempts: number;
        worker_id: string;
      }[];
      for (const row of expired) {
        const error = JSON.stringify({
          attempt: row.attempt,
          code: 'DOCKET_LEASE_LOST',
          message: 'lease expired: the worker stopped renewing it (crashed, hung or cut off)',
          at: params.now,
          workerId: row.worker_id,
        });
        const base = { id: row.id, attempt: row.attempt, now: params.now, error };
        if (row.attempt >= row.max_attempts) {
          this.stmt('failFinal').run(base);
          outcome.failed.push(String(row.id));
        } else {
          this.stmt('reclaimRetry').run(base);
          outcome.retried.push(String(row.id));
        }
      }
    });
    if (outcome.retried.length > 0) this.notifier.jobsAvailable('*');
    return outcome;
  }

  async cancel(params: IdParams): Promise<ChangeOutcome | null> {
    let requested = false;
    const outcome = this.write(() => {
      if (this.stmt('cancelWaiting').run({ id: params.id, now: params.now }).changes === 1) {
        return { changed: true };
      }
      requested = this.stmt('requestCancel').run({ id: params.id }).changes === 1;
      return { changed: requested };
    });
    if (requested) this.notifier.cancelRequested(params.id);
    const job = await this.getJob(params);
    return job && { job, changed: outcome.changed };
  }

  async retry(params: IdParams): Promise<ChangeOutcome | null> {
    const changed = this.write(
      () => this.stmt('retry').run({ id: params.id, now: params.now }).changes === 1,
    );
    const job = await this.getJob(params);
    if (changed && job) this.notifier.jobsAvailable(job.queue);
    return job && { job, changed };
  }

  async deleteJob(params: IdParams): Promise<'deleted' | 'not-found' | 'running'> {
    return this.write(() => {
      if (this.stmt('deleteJob').run({ id: params.id }).changes === 1) {
        this.stmt('deleteLogs').run({ id: params.id });
        return 'deleted';
      }
      return this.stmt('getJob').get({ id: params.id }) ? 'running' : 'not-found';
    });
  }

  async setProgress(params: ProgressParams): Promise<boolean> {
    return (
      this.stmt('setProgress').run({ id: params.id, attempt: params.attempt, progress: params.progress })
        .changes === 1
    );
  }

  async appendLogs(params: AppendLogsParams): Promise<void> {
    if (params.lines.length === 0) return;
    this.write(() => {
      for (const line of params.lines) {
        this.stmt('appendLog').run({
          id: line.id,
          attempt: line.attempt,
          at: line.at,
          level: line.level,
          message: line.message,
        });
      }
    });
  }

  async getJob(params: { id: string }): Promise<Job | null> {
    const row = this.stmt('getJob').get({ id: params.id }) as JobRow | undefined;
    return row ? rowToJob(row) : null;
  }

  async getLogs(params: { id: string; afterSeq?: number; limit?: number }): Promise<StoredLogLine[]> {
    return this.stmt('getLogs').all({
      id: params.id,
      after_seq: params.afterSeq ?? 0,
      limit: params.limit ?? 1000,
    }) as StoredLogLine[];
  }

  async listJobs(params: ListParams): Promise<JobPage> {
    const limit = Math.min(Math.max(params.limit ?? 50, 1), 1000);
    if (params.cursor !== undefined && !/^\d{1,18}$/.test(params.cursor)) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `cursor "${params.cursor}" is not one this store gave out`,
        {
          details: { field: 'cursor' },
        },
      );
    }
    const rows = this.stmt('listJobs').all({
      states: params.states?.length ? JSON.stringify(params.states) : null,
      queue: params.queue ?? null,
      task: params.task ?? null,
      key: params.key ?? null,
      text: params.text ?? null,
      cursor: params.cursor === undefined ? null : Number(params.cursor),
      limit: limit + 1,
    }) as JobRow[];
    const jobs = rows.slice(0, limit).map(rowToJob);
    return { jobs, nextCursor: rows.length > limit ? jobs[jobs.length - 1]!.id : null };
  }

  async countJobs(params: { queue?: string } = {}): Promise<QueueCounts[]> {
    const rows = this.stmt('countJobs').all({ queue: params.queue ?? null }) as {
      queue: string;
      state: JobState;
      n: number;
    }[];
    const byQueue = new Map<string, QueueCounts>();
    for (const row of rows) {
      let entry = byQueue.get(row.queue);
      if (!entry) {
        entry = { queue: row.queue, counts: emptyCounts() };
        byQueue.set(row.queue, entry);
      }
      entry.counts[row.state] = row.n;
    }
    return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  async listQueues(params: { now: number }): Promise<QueueInfo[]> {
    const settings = this.stmt('queueSettings').all({}) as (FlowRow & Row)[];
    const stats = this.stmt('queueStats').all({ since: params.now - 60_000 }) as Row[];
    const counts = await this.countJobs();
    const names = new Set<string>([...settings.map((s) => String(s.name)), ...counts.map((c) => c.queue)]);
    return [...names].sort().map((name): QueueInfo => {
      const setting = settings.find((s) => s.name === name);
      const stat = stats.find((s) => s.queue === name);
      return {
        name,
        paused: setting ? setting.paused === 1 : false,
        backlogLimit: (setting?.backlog_limit as number | null | undefined) ?? null,
        flow: rowToFlow(setting),
        holding: setting ? queueHoldsSqlite((n) => this.stmt(n), setting, params.now) : [],
        counts: counts.find((c) => c.queue === name)?.counts ?? emptyCounts(),
        oldestAvailableAt: (stat?.oldest_available_at as number | null | undefined) ?? null,
        finishedLastMinute: Number(stat?.finished_last_minute ?? 0),
      };
    });
  }

  async updateQueue(params: UpdateQueueParams): Promise<QueueSettings> {
    const columns = Object.fromEntries(
      Object.entries(flowColumns(params)).map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]),
    );
    const row = this.write(() => {
      this.stmt('upsertQueue').run({
        ...columns,
        name: params.name,
        paused: params.paused === undefined ? null : params.paused ? 1 : 0,
        backlog_limit: params.backlogLimit ?? null,
        set_backlog: params.backlogLimit === undefined ? 0 : 1,
        now: params.now,
      });
      const refreshed = this.stmt('flowRefresh').get({ name: params.name }) as FlowRow & Row;
      // Only a queue that walks groups keeps its jobs without a group in the group index.
      if (refreshed.walks_groups) this.stmt('flowUngroupedToMarker').run({ name: params.name });
      return refreshed;
    });
    // A resumed or loosened queue may have jobs to start now.
    this.notifier.jobsAvailable(params.name);
    return {
      name: String(row.name),
      paused: row.paused === 1,
      backlogLimit: num(row.backlog_limit),
      flow: rowToFlow(row),
    };
  }

  async holdReasons(params: { now: number; ids: string[] }): Promise<Record<string, HoldReason[]>> {
    return holdReasonsSqlite((n) => this.stmt(n), params.ids, params.now);
  }

  async heartbeat(params: HeartbeatParams): Promise<void> {
    const w = params.worker;
    this.stmt('heartbeat').run({
      id: w.id,
      host: w.host,
      pid: w.pid,
      queues: JSON.stringify(w.queues),
      concurrency: w.concurrency,
      started_at: w.startedAt,
      heartbeat_at: params.now,
      info: JSON.stringify(w.info),
    });
  }

  async removeWorkers(params: { ids?: string[]; staleBefore?: number }): Promise<number> {
    return this.write(() => {
      let removed = 0;
      for (const id of params.ids ?? []) removed += this.stmt('removeWorker').run({ id }).changes;
      if (params.staleBefore !== undefined) {
        removed += this.stmt('removeStaleWorkers').run({ stale_before: params.staleBefore }).changes;
      }
      return removed;
    });
  }

  async listWorkers(_params: { now: number }): Promise<WorkerRecord[]> {
    return (this.stmt('listWorkers').all({}) as Row[]).map((row) => ({
      id: String(row.id),
      host: String(row.host),
      pid: Number(row.pid),
      queues: JSON.parse(String(row.queues)) as string[],
      concurrency: Number(row.concurrency),
      startedAt: Number(row.started_at),
      heartbeatAt: Number(row.heartbeat_at),
      info: JSON.parse(String(row.info)) as Record<string, unknown>,
    }));
  }

  async prune(params: PruneParams): Promise<number> {
    return this.write(() => {
      const ids = this.stmt('pruneBatch').all({
        finished_before: params.finishedBefore,
        limit: params.limit,
      }) as { id: number }[];
      for (const { id } of ids) {
        this.stmt('deleteJob').run({ id });
        this.stmt('deleteLogs').run({ id });
      }
      return ids.length;
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  // --- Schedules (issue #5); statements in schedules.sql ---

  async upsertSchedule(params: UpsertScheduleParams): Promise<ScheduleRecord> {
    const row = this.write(
      () =>
        this.stmt('upsertSchedule').get({
          ...specToColumns(params.schedule),
          now: params.now,
        }) as ScheduleRow,
    );
    return rowToSchedule(row);
  }

  async getSchedule(params: { name: string }): Promise<ScheduleRecord | null> {
    const row = this.stmt('getSchedule').get({ name: params.name }) as ScheduleRow | undefined;
    return row ? rowToSchedule(row) : null;
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    return (this.stmt('listSchedules').all({}) as ScheduleRow[]).map(rowToSchedule);
  }

  async updateSchedule(params: UpdateScheduleParams): Promise<ScheduleRecord | null> {
    const row = this.write(() => {
      if (params.paused === undefined) return this.stmt('getSchedule').get({ name: params.name });
      const name = params.paused ? 'pauseSchedule' : 'resumeSchedule';
      return this.stmt(name).get({ name: params.name, now: params.now });
    }) as ScheduleRow | undefined;
    return row ? rowToSchedule(row) : null;
  }

  async removeSchedule(params: { name: string }): Promise<boolean> {
    return this.write(() => this.stmt('removeSchedule').run({ name: params.name }).changes === 1);
  }

  async fireTick(params: FireTickParams): Promise<FireTickOutcome> {
    const outcome = this.write((): FireTickOutcome => {
      const row = this.stmt('getSchedule').get({ name: params.name }) as ScheduleRow | undefined;
      if (!row) return { status: 'not-found' };
      const schedule = rowToSchedule(row);
      if (params.tick !== null) {
        if (schedule.paused) return { status: 'paused' };
        const moved = this.stmt('advanceCursor').run({ name: params.name, tick: params.tick }).changes === 1;
        if (!moved) return { status: 'stale', cursor: schedule.cursor };
        if (schedule.overlap === 'skip' && schedule.lastJobId !== null) {
          const previous = this.stmt('previousRunState').get({ id: schedule.lastJobId }) as
            | { state: JobState }
            | undefined;
          if (previous && ['scheduled', 'available', 'active'].includes(previous.state)) {
            return { status: 'overlap', previousJobId: schedule.lastJobId };
          }
        }
      }
      // Throws QueueFullError over a backlog limit, which rolls the cursor back: the tick stays due.
      const [inserted] = this.insertJobs({ now: params.now, jobs: [params.job] });
      this.stmt('recordRun').run({ name: params.name, job_id: Number(inserted!.job.id), now: params.now });
      return { status: 'fired', job: inserted!.job };
    });
    if (outcome.status === 'fired' && outcome.job.state === 'available') {
      this.notifier.jobsAvailable(outcome.job.queue);
    }
    return outcome;
  }

  // --- Queue statistics (issue #8); statements in stats.sql ---

  async recordStats(params: { buckets: StatsBucket[] }): Promise<void> {
    if (params.buckets.length === 0) return;
    this.write(() => {
      for (const add of params.buckets) {
        const row = this.stmt('statsBucket').get({ queue: add.queue, bucket: add.bucket }) as
          | StatsRow
          | undefined;
        const merged = row ? addStats(rowToStats(row), add) : add;
        this.stmt('upsertStatsBucket').run(statsToColumns(merged));
      }
    });
  }

  async readStats(params: { since: number; queue?: string }): Promise<StatsBucket[]> {
    const rows = this.stmt('readStats').all({
      since: params.since,
      queue: params.queue ?? null,
    }) as StatsRow[];
    return rows.map(rowToStats);
  }

  async pruneStats(params: { before: number }): Promise<number> {
    return this.write(() => this.stmt('pruneStats').run({ before: params.before }).changes);
  }

  /** For tests and tools: runs a read-only query. Not part of the Store interface. */
  inspect<T = Row>(sql: string, ...args: unknown[]): T[] {
    return this.db.prepare(sql).all(...args) as T[];
  }
}
