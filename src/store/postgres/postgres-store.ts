import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DocketError, QueueFullError } from '../../errors.js';
import type { Job, JobState } from '../../job.js';
import { defaultLogger, type Logger } from '../../logger.js';
import { type FlowRow, flowColumns, num, rowToFlow } from '../flow/limits.js';
import {
  compareClaimOrder,
  emptyCounts,
  type JobRow,
  jobFromInsert,
  parseJson,
  retryAfterSeconds,
  rowToJob,
} from '../rows.js';
import { rowToSchedule, type ScheduleRow, specToColumns } from '../schedule-rows.js';
import { rowToStats, type StatsRow } from '../stats-rows.js';
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
import { isConnectionError, isRetryable, mapPgError } from './pg-errors.js';
import { claimLimitedPg, holdReasonsPg, queueHoldsPg, type RunStatement } from './pg-flow.js';
import { runMigrations } from './pg-migrate.js';
import { channelFor, PgNotifier, payload, sharedListener } from './pg-notifier.js';
import { bind, isValidSchemaName, loadPgStatements, type PgStatement } from './pg-sql.js';

/**
 * Statements whose commit need not wait for the disk: losing one in a
 * database crash only means a job is renewed, finished or reclaimed again
 * (its lease runs out and it runs once more, which at-least-once allows).
 * Claims stay durable: a lost claim could let two workers hold the same
 * attempt number, and the attempt is the fence every later write checks.
 */
const ASYNC_COMMIT = new Set([
  'renewLeases',
  'complete',
  'fail',
  'markCancelled',
  'release',
  'reclaimExpired',
  'setProgress',
  'appendLogs',
  'heartbeat',
  'addStats',
]);

/**
 * On the connections the store opens, prepared statements always run their
 * generic plan. PostgreSQL would otherwise keep re-planning statements whose
 * generic plan it misjudges as dearer: the enqueue's unnest() of array
 * parameters is estimated at 100 rows, not 1, so every single enqueue was
 * planned afresh (0.78 ms a call instead of 0.43). The few statements that
 * need a plan for their actual filters run with custom plans (CUSTOM_PLANS).
 */
const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

/** Statements whose optional filters (`:x IS NULL OR …`) want a plan made for the values given. */
const CUSTOM_PLANS = new Set(['listJobs', 'countJobs', 'readStats']);

/** Options of the PostgreSQL store. Give a connection string or your own pool. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`. Ignored when `pool` is given. */
  connectionString?: string;
  /** Your own pool; Docket never ends it (you do). */
  pool?: pg.Pool;
  /** Schema for Docket's tables. Default `docket`. Lower-case letters, digits and `_`. */
  schema?: string;
  /** Connections in the pool Docket creates. Default 10. */
  poolSize?: number;
  /** How long a query may wait for its answer before its connection is dropped (a partition, a hung server). Default 30 s. */
  queryTimeoutMs?: number;
  /** How long to wait for a new connection. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * How long one of Docket's own transactions may sit idle between its
   * statements before the server ends it. A process that stalls mid-enqueue
   * (SIGSTOP, a blocked event loop, a partition) would otherwise hold its row
   * locks and block every other host. Default 10 s.
   */
  transactionIdleTimeoutMs?: number;
  logger?: Logger;
}

/** Anything with pg's `query`: a Pool, a Client, a PoolClient — or the caller's client inside a transaction. */
export interface Queryable {
  query(config: {
    text: string;
    values: unknown[];
  }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

type Row = Record<string, unknown>;

const here = fileURLToPath(new URL('.', import.meta.url));
const RETRIES = 3;
const ID = /^\d{1,18}$/;

/** True when `id` can be a job id here; any other string simply matches no job. */
function validId(id: string): boolean {
  return ID.test(id);
}

/**
 * The store for many hosts: every Docket process on every machine points at
 * one PostgreSQL. Claims use FOR UPDATE SKIP LOCKED; every batched write is
 * one statement fenced by (id, attempt, state = 'active'); wake-ups and
 * cancel requests travel by LISTEN/NOTIFY; enqueue can join the caller's
 * own transaction.
 */
export class PostgresStore implements Store {
  readonly capabilities: StoreCapabilities = {
    crossProcessNotify: true,
    transactionalEnqueue: true,
    multiHost: true,
    timePrecisionMs: 1,
  };
  readonly notifier: PgNotifier;
  readonly schema: string;
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  /** Connections with synchronous_commit off, for writes whose loss only means a job runs again. */
  private readonly asyncPool: pg.Pool;
  private readonly sql: Map<string, PgStatement>;
  private readonly logger: Logger;
  private readonly channel: string;
  private readonly onPoolError = (error: Error) => {
    this.logger.warn({ err: error }, 'an idle PostgreSQL connection failed; the pool replaces it');
  };
  private closed = false;
  private readonly begin: string;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'docket';
    if (!isValidSchemaName(this.schema)) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `schema "${this.schema}" must be lower-case letters, digits and _ (at most 50)`,
        { details: { field: 'schema' } },
      );
    }
    if (!options.pool && !options.connectionString) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        'give the PostgreSQL store a connectionString or a pool',
        {
          details: { field: 'connectionString' },
        },
      );
    }
    this.logger = options.logger ?? defaultLogger();
    const idleMs = Math.max(1, Math.floor(options.transactionIdleTimeoutMs ?? 10_000));
    // SET LOCAL lasts for the transaction only, so it also works on a pool the caller owns.
    this.begin = `BEGIN; SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`;
    this.ownsPool = !options.pool;
    this.pool =
      options.pool ??
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        query_timeout: options.queryTimeoutMs ?? 30_000,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        keepAlive: true,
        application_name: 'docket',
        options: GENERIC_PLANS,
      });
    // Worker bookkeeping (see ASYNC_COMMIT) goes through connections with
    // synchronous_commit off: a renewal or completion lost in a database
    // crash only means a job runs again, which at-least-once allows, so those
    // commits need not wait for the disk. Enqueues, claims and every other
    // write stay durable. A pool the caller passes in is used for everything.
    this.asyncPool = options.pool
      ? this.pool
      : new pg.Pool({
          connectionString: options.connectionString,
          max: Math.max(2, Math.ceil((options.poolSize ?? 10) / 2)),
          query_timeout: options.queryTimeoutMs ?? 30_000,
          connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
          keepAlive: true,
          application_name: 'docket-worker',
          options: `-c synchronous_commit=off ${GENERIC_PLANS}`,
        });
    // An 'error' event without a listener crashes Node; a dead idle connection must only be logged.
    this.pool.on('error', this.onPoolError);
    if (this.asyncPool !== this.pool) this.asyncPool.on('error', this.onPoolError);
    this.sql = new Map([
      ...loadPgStatements(resolve(here, 'queries.sql'), this.schema),
      ...loadPgStatements(resolve(here, 'schedules.sql'), this.schema),
      ...loadPgStatements(resolve(here, 'stats.sql'), this.schema),
      ...loadPgStatements(resolve(here, 'flow.sql'), this.schema),
    ]);
    this.channel = channelFor(this.schema);
    const config = this.pool.options as pg.ClientConfig;
    const listener = sharedListener(`${listenKey(config)}|${this.schema}`, {
      config,
      schema: this.schema,
      onError: (error) => this.logger.warn({ err: error }, 'LISTEN connection lost; reconnecting'),
    });
    this.notifier = new PgNotifier(
      listener,
      (payloads) => this.sendNotify(this.pool, payloads),
      (error) => this.logger.warn({ err: error }, 'NOTIFY failed; workers will find the jobs by polling'),
    );
  }

  /** Runs one named statement, on `executor` or the pool; retries deadlocks; maps connection faults. */
  /** Part of every prepared statement's name; raised when a plan went stale (see run). */
  private planGeneration = 0;

  private async run<T extends Row = Row>(
    name: string,
    values: Record<string, unknown>,
    executor?: Queryable,
  ): Promise<T[]> {
    const stmt = this.sql.get(name);
    if (!stmt) throw new Error(`no SQL statement named "${name}"`);
    if (!executor && this.ownsPool && CUSTOM_PLANS.has(name)) {
      return this.transaction(async (client) => {
        await client.query({ text: 'SET LOCAL plan_cache_mode = force_custom_plan', values: [] });
        return this.run<T>(name, values, client);
      });
    }
    // Named, so each connection parses and plans a statement once and then
    // only binds and runs it: planning the claim's CTEs cost more than running them.
    const query = { name: '', text: stmt.text, values: bind(stmt, values) };
    for (let attempt = 1; ; attempt++) {
      query.name = `${this.schema}.${name}.${this.planGeneration}`;
      try {
        const pool = ASYNC_COMMIT.has(name) ? this.asyncPool : this.pool;
        const result = await (executor ?? (pool as unknown as Queryable)).query(query);
        return result.rows as T[];
      } catch (error) {
        // A deadlock rolled back only this statement when it runs alone; inside a caller's transaction it cannot be retried here.
        if (!executor && isRetryable(error) && attempt < RETRIES) continue;
        // A migration by a newer process changed a table under a prepared
        // statement: prepare every statement afresh, under new names.
        // (Inside a transaction the statement cannot be retried, but the next one gets the new names.)
        if (isStalePlan(error)) {
          this.planGeneration++;
          const own = !executor || executor === (this.pool as unknown as Queryable);
          if (own && attempt < RETRIES) continue;
        }
        throw mapPgError(error);
      }
    }
  }

  /** Runs `fn` in a transaction on one pooled connection; the whole transaction is retried on deadlock. */
  private async transaction<T>(fn: (client: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: pg.PoolClient;
      try {
        client = await this.pool.connect();
      } catch (error) {
        throw mapPgError(error);
      }
      // Between queries an error event on the checked-out client has no other listener.
      const ignore = () => {};
      client.on('error', ignore);
      let broken: Error | undefined;
      try {
        await client.query(this.begin);
        const result = await fn(client as unknown as Queryable);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        if (isConnectionError(error)) broken = error as Error;
        else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        if (!broken && isRetryable(error) && attempt < RETRIES) continue;
        throw mapPgError(error);
      } finally {
        client.off('error', ignore);
        // A broken connection is destroyed rather than handed to the next caller.
        client.release(broken);
      }
    }
  }

  private async sendNotify(executor: Queryable, payloads: string[]): Promise<void> {
    if (payloads.length > 0) await this.run('notify', { channel: this.channel, payloads }, executor);
  }

  async migrate(): Promise<void> {
    try {
      await runMigrations(this.pool, this.schema, resolve(here, 'migrations'));
    } catch (error) {
      throw mapPgError(error);
    }
  }

  async enqueue(params: EnqueueParams): Promise<EnqueueOutcome[]> {
    if (params.jobs.length === 0) return [];
    const executor = params.executor as Queryable | undefined;
    if (executor !== undefined && typeof executor?.query !== 'function') {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        'executor must be a pg client (or anything with query())',
        {
          details: { field: 'executor' },
        },
      );
    }
    const queues = (outcomes: EnqueueOutcome[]) => [
      ...new Set(outcomes.filter((o) => !o.duplicate && o.job.state === 'available').map((o) => o.job.queue)),
    ];
    if (executor) {
      // On the caller's client, so the NOTIFY is delivered on commit and never after a rollback; the
      // empty origin makes this process's own workers act on the echo too, since locally the jobs
      // do not exist until then.
      return this.insert(executor, params, '');
    }
    const outcomes = await this.insert(this.pool as unknown as Queryable, params);
    for (const queue of queues(outcomes)) this.notifier.listener.local.jobsAvailable(queue);
    return outcomes;
  }

  /**
   * Checks backlog limits, inserts the batch and NOTIFYs the queues that got
   * due jobs, as one statement (enqueueOneTrip) on `client`: one round trip
   * on its own, or part of the caller's (or fireTick's) transaction.
   */
  private async insert(client: Queryable, params: EnqueueParams, origin?: string): Promise<EnqueueOutcome[]> {
    const { jobs, now } = params;
    const rows = await this.run<JobRow & Row>(
      'enqueueOneTrip',
      {
        now,
        since: now - 60_000,
        channel: this.channel,
        notify_prefix: origin === undefined ? payload('j', '') : payload('j', '', origin),
        ...insertColumns(jobs),
      },
      client,
    );
    const over = rows[0]?.over as
      | { name: string; backlog_limit: number; waiting: number; drained: number }[]
      | null;
    if (over && over.length > 0) {
      const first = over.sort((a, b) => a.name.localeCompare(b.name))[0]!;
      const limit = Number(first.backlog_limit);
      throw new QueueFullError(
        first.name,
        limit,
        retryAfterSeconds(Number(first.waiting) - limit, Number(first.drained)),
      );
    }
    const inserted = rows.filter((row) => row.id !== null) as { id: string; key: string | null }[];
    return this.resolveOutcomes(client, params, inserted);
  }

  /** Pairs each job of a batch with the row it inserted, or with the unfinished job that holds its key. */
  private async resolveOutcomes(
    client: Queryable,
    { jobs, now }: EnqueueParams,
    rows: { id: string; key: string | null }[],
  ): Promise<EnqueueOutcome[]> {
    const inserted = rows.sort((a, b) => Number(a.id) - Number(b.id));
    // Inserted rows come back in input order (ids follow it). A keyless job always inserts; a keyed
    // one inserted when the next row carries its key and no earlier job of the batch took that key.
    const outcomes: (EnqueueOutcome | null)[] = [];
    const byKey = new Map<string, Job>();
    let next = 0;
    for (const job of jobs) {
      const row = inserted[next];
      if (row && (job.key === null || (row.key === job.key && !byKey.has(job.key)))) {
        const made = jobFromInsert(job, row.id, job.runAt <= now ? 'available' : 'scheduled', now);
        if (job.key !== null) byKey.set(job.key, made);
        outcomes.push({ job: made, duplicate: false });
        next++;
      } else {
        outcomes.push(null);
      }
    }
    const missing = jobs.filter((_, i) => outcomes[i] === null).map((j) => j.key!);
    if (missing.length === 0) return outcomes as EnqueueOutcome[];
    const existing = await this.run<JobRow & Row>(
      'unfinishedByKeys',
      { keys: [...new Set(missing)] },
      client,
    );
    for (const row of existing) byKey.set(String(row.key), rowToJob(row));
    return jobs.map((job, i) => {
      const outcome = outcomes[i];
      if (outcome) return outcome;
      const found = byKey.get(job.key!);
      if (!found) {
        // The unfinished job finished between our insert and this read; the caller may simply retry.
        throw new DocketError(
          'DOCKET_INVALID_STATE',
          `the job holding key "${job.key}" changed during enqueue; retry`,
          {
            details: { key: job.key },
          },
        );
      }
      return { job: found, duplicate: true };
    });
  }

  /**
   * Unlimited queues: one statement, lock-free (SKIP LOCKED). It also names
   * the limited queues among those asked for; they are claimed in a
   * transaction that locks their queue rows (claimLimitedPg). When the last
   * claim for this set of queues met limited ones, they go first, so a
   * worker serving both kinds does not starve the limited ones.
   */
  async claim(params: ClaimParams): Promise<Job[]> {
    if (params.limit <= 0) return [];
    const hintKey = params.queues.join('\u0000');
    const hinted = this.limitedHint.get(hintKey);
    let rows: (JobRow & Row)[] = [];
    if (hinted) {
      rows = (await claimLimitedPg(this.runner, hinted, params, params.limit)) as (JobRow & Row)[];
      if (rows.length >= params.limit) return rows.map(rowToJob).sort(compareClaimOrder);
    }
    const result = await this.run<JobRow & Row>('claim', {
      now: params.now,
      worker_id: params.workerId,
      lease_expires_at: params.now + params.leaseMs,
      all_queues: params.queues.length === 0,
      queues: params.queues,
      limit: params.limit - rows.length,
    });
    const limited = (result[0]?.limited_queues as string[] | null | undefined) ?? null;
    rows = rows.concat(result.filter((r) => r.id !== null));
    if (limited === null || limited.length === 0) {
      this.limitedHint.delete(hintKey);
    } else {
      this.limitedHint.set(hintKey, limited);
      if (!hinted && rows.length < params.limit) {
        const more = await claimLimitedPg(this.runner, limited, params, params.limit - rows.length);
        rows = rows.concat(more as (JobRow & Row)[]);
      }
    }
    return rows.map(rowToJob).sort(compareClaimOrder);
  }
  private readonly limitedHint = new Map<string, string[]>();
  private readonly runner: RunStatement = (name, values) => this.run(name, values);

  async renewLeases(params: RenewParams): Promise<RenewOutcome> {
    const outcome: RenewOutcome = { lost: [], cancelRequested: [] };
    if (params.jobs.length === 0) return outcome;
    const rows = await this.run('renewLeases', {
      ...fenceArrays(params.jobs),
      worker_id: params.workerId,
      lease_expires_at: params.now + params.leaseMs,
    });
    const held = new Map(rows.map((r) => [String(r.id), r.cancel_requested === true]));
    for (const fence of params.jobs) {
      if (!held.has(fence.id)) outcome.lost.push(fence.id);
      else if (held.get(fence.id)) outcome.cancelRequested.push(fence.id);
    }
    return outcome;
  }

  async complete(params: CompleteParams): Promise<boolean[]> {
    if (params.jobs.length === 0) return [];
    const rows = await this.run('complete', {
      ...fenceArrays(params.jobs),
      results: params.jobs.map((j) => j.result),
      now: params.now,
    });
    return applied(params.jobs, rows);
  }

  async fail(params: FailParams): Promise<boolean[]> {
    if (params.jobs.length === 0) return [];
    const rows = await this.run('fail', {
      ...fenceArrays(params.jobs),
      errors: params.jobs.map((j) => JSON.stringify(j.error)),
      retry_ats: params.jobs.map((j) => j.retryAt),
      now: params.now,
    });
    this.wake(rows.filter((r) => r.state === 'available'));
    return applied(params.jobs, rows);
  }

  async markCancelled(params: FencedParams): Promise<boolean[]> {
    if (params.jobs.length === 0) return [];
    const rows = await this.run('markCancelled', { ...fenceArrays(params.jobs), now: params.now });
    return applied(params.jobs, rows);
  }

  async release(params: FencedParams): Promise<boolean[]> {
    if (params.jobs.length === 0) return [];
    const rows = await this.run('release', { ...fenceArrays(params.jobs), now: params.now });
    this.wake(rows);
    return applied(params.jobs, rows);
  }

  async reclaimExpired(params: ReclaimParams): Promise<ReclaimOutcome> {
    const rows = await this.run('reclaimExpired', { now: params.now, limit: params.limit });
    const outcome: ReclaimOutcome = { retried: [], failed: [] };
    for (const row of rows) (row.state === 'failed' ? outcome.failed : outcome.retried).push(String(row.id));
    this.wake(rows.filter((r) => r.state === 'available'));
    return outcome;
  }

  /** Wakes workers, here and on other hosts, for the queues of rows that became available. */
  private wake(rows: Row[]): void {
    for (const queue of new Set(rows.map((r) => String(r.queue)))) this.notifier.jobsAvailable(queue);
  }

  async cancel(params: IdParams): Promise<ChangeOutcome | null> {
    if (!validId(params.id)) return null;
    const [row] = await this.run('cancel', { id: params.id, now: params.now });
    if (row?.was === 'active') this.notifier.cancelRequested(params.id);
    const job = await this.getJob(params);
    return job && { job, changed: row !== undefined };
  }

  async retry(params: IdParams): Promise<ChangeOutcome | null> {
    if (!validId(params.id)) return null;
    const rows = await this.run('retry', { id: params.id, now: params.now });
    this.wake(rows);
    const job = await this.getJob(params);
    return job && { job, changed: rows.length === 1 };
  }

  async deleteJob(params: IdParams): Promise<'deleted' | 'not-found' | 'running'> {
    if (!validId(params.id)) return 'not-found';
    const [row] = await this.run('deleteJob', { id: params.id });
    if (Number(row?.deleted) === 1) return 'deleted';
    return row?.present ? 'running' : 'not-found';
  }

  async setProgress(params: ProgressParams): Promise<boolean> {
    if (!validId(params.id)) return false;
    const stmt = this.sql.get('setProgress')!;
    try {
      const result = await this.pool.query(stmt.text, bind(stmt, { ...params }));
      return result.rowCount === 1;
    } catch (error) {
      throw mapPgError(error);
    }
  }

  async appendLogs(params: AppendLogsParams): Promise<void> {
    const lines = params.lines.filter((l) => validId(l.id));
    if (lines.length === 0) return;
    await this.run('appendLogs', {
      ...fenceArrays(lines),
      ats: lines.map((l) => l.at),
      levels: lines.map((l) => l.level),
      messages: lines.map((l) => l.message),
    });
  }

  async getJob(params: { id: string }): Promise<Job | null> {
    if (!validId(params.id)) return null;
    const [row] = await this.run<JobRow & Row>('getJob', { id: params.id });
    return row ? rowToJob(row) : null;
  }

  async getLogs(params: { id: string; afterSeq?: number; limit?: number }): Promise<StoredLogLine[]> {
    if (!validId(params.id)) return [];
    const rows = await this.run('getLogs', {
      id: params.id,
      after_seq: params.afterSeq ?? 0,
      limit: params.limit ?? 1000,
    });
    return rows.map((r) => ({
      seq: Number(r.seq),
      attempt: Number(r.attempt),
      at: Number(r.at),
      level: r.level as StoredLogLine['level'],
      message: String(r.message),
    }));
  }

  async listJobs(params: ListParams): Promise<JobPage> {
    const limit = Math.min(Math.max(params.limit ?? 50, 1), 1000);
    const cursor = params.cursor === undefined ? null : params.cursor;
    if (cursor !== null && !validId(cursor)) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `cursor "${cursor}" is not one this store gave out`, {
        details: { field: 'cursor' },
      });
    }
    const rows = await this.run<JobRow & Row>('listJobs', {
      states: params.states?.length ? params.states : null,
      queue: params.queue ?? null,
      task: params.task ?? null,
      key: params.key ?? null,
      text: params.text ?? null,
      cursor,
      limit: limit + 1,
    });
    const jobs = rows.slice(0, limit).map(rowToJob);
    return { jobs, nextCursor: rows.length > limit ? jobs[jobs.length - 1]!.id : null };
  }

  async countJobs(params: { queue?: string } = {}): Promise<QueueCounts[]> {
    const rows = await this.run('countJobs', { queue: params.queue ?? null });
    const byQueue = new Map<string, QueueCounts>();
    for (const row of rows) {
      const queue = String(row.queue);
      let entry = byQueue.get(queue);
      if (!entry) {
        entry = { queue, counts: emptyCounts() };
        byQueue.set(queue, entry);
      }
      entry.counts[row.state as JobState] = Number(row.n);
    }
    return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  async listQueues(params: { now: number }): Promise<QueueInfo[]> {
    const [settings, stats, counts] = await Promise.all([
      this.run('queueSettings', {}),
      this.run('queueStats', { since: params.now - 60_000 }),
      this.countJobs(),
    ]);
    const names = new Set<string>([...settings.map((s) => String(s.name)), ...counts.map((c) => c.queue)]);
    return Promise.all(
      [...names].sort().map(async (name): Promise<QueueInfo> => {
        const setting = settings.find((s) => s.name === name) as (FlowRow & Row) | undefined;
        const stat = stats.find((s) => s.queue === name);
        const oldest = stat?.oldest_available_at;
        return {
          name,
          paused: setting?.paused === true,
          backlogLimit: num(setting?.backlog_limit),
          flow: rowToFlow(setting),
          holding: setting ? await queueHoldsPg(this.runner, setting, params.now) : [],
          counts: counts.find((c) => c.queue === name)?.counts ?? emptyCounts(),
          oldestAvailableAt: oldest === null || oldest === undefined ? null : Number(oldest),
          finishedLastMinute: Number(stat?.finished_last_minute ?? 0),
        };
      }),
    );
  }

  async updateQueue(params: UpdateQueueParams): Promise<QueueSettings> {
    const row = await this.transaction(async (client) => {
      await this.run(
        'upsertQueue',
        {
          ...flowColumns(params),
          name: params.name,
          paused: params.paused ?? null,
          backlog_limit: params.backlogLimit ?? null,
          set_backlog: params.backlogLimit !== undefined,
          now: params.now,
        },
        client,
      );
      const [refreshed] = await this.run('flowRefresh', { name: params.name }, client);
      return refreshed as FlowRow & Row;
    });
    // A resumed or loosened queue may have jobs to start now, on any host.
    this.notifier.jobsAvailable(params.name);
    return {
      name: String(row.name),
      paused: row.paused === true,
      backlogLimit: num(row.backlog_limit),
      flow: rowToFlow(row),
    };
  }

  async holdReasons(params: { now: number; ids: string[] }): Promise<Record<string, HoldReason[]>> {
    return holdReasonsPg(this.runner, params.ids, params.now);
  }

  async heartbeat(params: HeartbeatParams): Promise<void> {
    const w = params.worker;
    await this.run('heartbeat', {
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
    if (!params.ids?.length && params.staleBefore === undefined) return 0;
    const stmt = this.sql.get('removeWorkers')!;
    try {
      const result = await this.pool.query(
        stmt.text,
        bind(stmt, { ids: params.ids ?? [], stale_before: params.staleBefore ?? null }),
      );
      return result.rowCount ?? 0;
    } catch (error) {
      throw mapPgError(error);
    }
  }

  async listWorkers(_params: { now: number }): Promise<WorkerRecord[]> {
    const rows = await this.run('listWorkers', {});
    return rows.map((row) => ({
      id: String(row.id),
      host: String(row.host),
      pid: Number(row.pid),
      queues: parseJson(row.queues) as string[],
      concurrency: Number(row.concurrency),
      startedAt: Number(row.started_at),
      heartbeatAt: Number(row.heartbeat_at),
      info: parseJson(row.info) as Record<string, unknown>,
    }));
  }

  async prune(params: PruneParams): Promise<number> {
    const [row] = await this.run('prune', { finished_before: params.finishedBefore, limit: params.limit });
    return Number(row?.n ?? 0);
  }

  // --- Schedules (issue #5); statements in schedules.sql ---

  async upsertSchedule(params: UpsertScheduleParams): Promise<ScheduleRecord> {
    const [row] = await this.run('upsertSchedule', { ...specToColumns(params.schedule), now: params.now });
    return rowToSchedule(row as unknown as ScheduleRow);
  }

  async getSchedule(params: { name: string }): Promise<ScheduleRecord | null> {
    const [row] = await this.run('getSchedule', { name: params.name });
    return row ? rowToSchedule(row as unknown as ScheduleRow) : null;
  }

  async listSchedules(): Promise<ScheduleRecord[]> {
    return (await this.run('listSchedules', {})).map((row) => rowToSchedule(row as unknown as ScheduleRow));
  }

  async updateSchedule(params: UpdateScheduleParams): Promise<ScheduleRecord | null> {
    const name =
      params.paused === undefined ? 'getSchedule' : params.paused ? 'pauseSchedule' : 'resumeSchedule';
    const [row] = await this.run(name, { name: params.name, now: params.now });
    return row ? rowToSchedule(row as unknown as ScheduleRow) : null;
  }

  async removeSchedule(params: { name: string }): Promise<boolean> {
    return (await this.run('removeSchedule', { name: params.name })).length === 1;
  }

  async fireTick(params: FireTickParams): Promise<FireTickOutcome> {
    const outcome = await this.transaction(async (client): Promise<FireTickOutcome> => {
      const [row] = await this.run('lockSchedule', { name: params.name }, client);
      if (!row) return { status: 'not-found' };
      const schedule = rowToSchedule(row as unknown as ScheduleRow);
      if (params.tick !== null) {
        if (schedule.paused) return { status: 'paused' };
        const moved = await this.run('advanceCursor', { name: params.name, tick: params.tick }, client);
        if (moved.length === 0) return { status: 'stale', cursor: schedule.cursor };
        if (schedule.overlap === 'skip' && schedule.lastJobId !== null) {
          const [previous] = await this.run('previousRunState', { id: schedule.lastJobId }, client);
          if (previous && ['scheduled', 'available', 'active'].includes(String(previous.state))) {
            return { status: 'overlap', previousJobId: schedule.lastJobId };
          }
        }
      }
      // Throws QueueFullError over a backlog limit, which rolls the cursor back: the tick stays due.
      const [inserted] = await this.insert(client, { now: params.now, jobs: [params.job] });
      await this.run('recordRun', { name: params.name, job_id: inserted!.job.id, now: params.now }, client);
      return { status: 'fired', job: inserted!.job };
    });
    if (outcome.status === 'fired' && outcome.job.state === 'available') {
      this.notifier.listener.local.jobsAvailable(outcome.job.queue);
    }
    return outcome;
  }

  // --- Queue statistics (issue #8); statements in stats.sql ---

  async recordStats(params: { buckets: StatsBucket[] }): Promise<void> {
    const buckets = params.buckets;
    if (buckets.length === 0) return;
    await this.run('addStats', {
      queues: buckets.map((b) => b.queue),
      buckets: buckets.map((b) => b.bucket),
      arrivals: buckets.map((b) => b.arrivals),
      starts: buckets.map((b) => b.starts),
      completions: buckets.map((b) => b.completions),
      failures: buckets.map((b) => b.failures),
      wait_ms_sums: buckets.map((b) => b.waitMsSum),
      run_ms_sums: buckets.map((b) => b.runMsSum),
      wait_hists: buckets.map((b) => JSON.stringify(b.waitHist)),
      run_hists: buckets.map((b) => JSON.stringify(b.runHist)),
    });
  }

  async readStats(params: { since: number; queue?: string }): Promise<StatsBucket[]> {
    const rows = await this.run('readStats', { since: params.since, queue: params.queue ?? null });
    return rows.map((row) => rowToStats(row as unknown as StatsRow));
  }

  async pruneStats(params: { before: number }): Promise<number> {
    const stmt = this.sql.get('pruneStats')!;
    try {
      return (await this.pool.query(stmt.text, bind(stmt, { before: params.before }))).rowCount ?? 0;
    } catch (error) {
      throw mapPgError(error);
    }
  }

  /** Closes the pool Docket created (a pool you passed in stays yours). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) {
      await Promise.all([this.pool.end(), this.asyncPool.end()]);
    }
    this.pool.off('error', this.onPoolError);
    this.asyncPool.off('error', this.onPoolError);
  }
}

/**
 * Options from a connection string: Docket's own parameters (`schema`,
 * `poolSize`, `queryTimeoutMs`) are taken out, everything else (sslmode,
 * application_name…) is left for pg.
 */
export function postgresOptionsFromUrl(url: string): PostgresStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `store "${url}" is not a valid postgres:// URL`, {
      cause: error,
      details: { field: 'store' },
    });
  }
  const options: PostgresStoreOptions = {};
  const take = (name: string): string | null => {
    const value = parsed.searchParams.get(name);
    parsed.searchParams.delete(name);
    return value;
  };
  const schema = take('schema');
  if (schema !== null) options.schema = schema;
  for (const name of ['poolSize', 'queryTimeoutMs'] as const) {
    const value = take(name);
    if (value === null) continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `${name}=${value} must be a positive integer`, {
        details: { field: `store.${name}` },
      });
    }
    options[name] = number;
  }
  options.connectionString = parsed.toString();
  return options;
}

/** The parallel id and attempt arrays every fenced statement unnests. */
function fenceArrays(jobs: { id: string; attempt: number }[]): { ids: string[]; attempts: number[] } {
  return { ids: jobs.map((j) => j.id), attempts: jobs.map((j) => j.attempt) };
}

/** One boolean per fence, in order: did the statement change that job? */
function applied(jobs: { id: string }[], rows: Row[]): boolean[] {
  const changed = new Set(rows.map((r) => String(r.id)));
  return jobs.map((j) => changed.has(j.id));
}

/** Identifies a database for sharing one listening connection: where it is, not how it was spelled. */
function listenKey(config: pg.ClientConfig): string {
  if (config.connectionString) return config.connectionString;
  return `${config.user ?? ''}@${config.host ?? ''}:${config.port ?? ''}/${config.database ?? ''}`;
}

/** The batch as column arrays, for the unnest() in enqueueOneTrip. */
function insertColumns(jobs: NewJob[]): Record<string, unknown[]> {
  return {
    tasks: jobs.map((j) => j.task),
    queues: jobs.map((j) => j.queue),
    inputs: jobs.map((j) => j.input),
    priorities: jobs.map((j) => j.priority),
    run_ats: jobs.map((j) => j.runAt),
    max_attempts: jobs.map((j) => j.maxAttempts),
    keys: jobs.map((j) => j.key),
    timeouts: jobs.map((j) => j.timeoutMs),
    trace_contexts: jobs.map((j) => j.traceContext ?? null),
    groups: jobs.map((j) => j.group ?? null),
  };
}

/** PostgreSQL refusing a prepared statement whose table changed shape since it was prepared. */
function isStalePlan(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan');
}
