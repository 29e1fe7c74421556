// Sizes, connections and the list of systems. Every number in BENCHMARKS.md comes from here.
import type { ScenarioName, SystemInfo } from './types.ts';

export interface Sizes {
  rounds: number;
  singleJobs: number;
  bulkJobs: number;
  bulkBatch: number;
  drainJobs: number;
  /** A drain still running after this long stops and reports the rate so far. */
  drainCapSeconds: number;
  /** An enqueue-single run still going after this long stops and reports the rate so far. */
  singleCapSeconds: number;
  latencyRate: number;
  latencySeconds: number;
  /** Single jobs sent to an idle queue after the paced ones, each after a pause. */
  idleProbes: number;
  idlePauseMs: number;
}

export const FULL: Sizes = {
  rounds: 3,
  singleJobs: 5000,
  bulkJobs: 50_000,
  bulkBatch: 1000,
  drainJobs: 50_000,
  drainCapSeconds: 8,
  singleCapSeconds: 6,
  latencyRate: 100,
  latencySeconds: 10,
  idleProbes: 3,
  idlePauseMs: 700,
};

export const QUICK: Sizes = {
  rounds: 1,
  singleJobs: 500,
  bulkJobs: 5000,
  bulkBatch: 1000,
  drainJobs: 5000,
  drainCapSeconds: 3,
  singleCapSeconds: 2,
  latencyRate: 100,
  latencySeconds: 2,
  idleProbes: 2,
  idlePauseMs: 600,
};

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_HOST = process.env.BENCH_REDIS_HOST ?? '127.0.0.1';
export const REDIS_PORT = Number(process.env.BENCH_REDIS_PORT ?? 6379);

export const SCENARIOS: ScenarioName[] = [
  'enqueue-single',
  'enqueue-bulk',
  'drain-10',
  'drain-100',
  'latency',
  'latency-inproc',
];

const THROUGHPUT: ScenarioName[] = ['enqueue-single', 'enqueue-bulk', 'drain-10', 'drain-100'];
const ALL_BUT_INPROC: ScenarioName[] = [...THROUGHPUT, 'latency'];

export const SYSTEMS: SystemInfo[] = [
  {
    name: 'docket-sqlite',
    label: 'Docket · SQLite',
    store: 'sqlite',
    module: 'docket-sqlite.ts',
    kind: 'docket',
    scenarios: SCENARIOS,
    settings: [
      'store `sqlite:<file>` (WAL, `synchronous=normal`, the default: survives a process crash, may lose the last commits on power loss)',
      'worker `prefetch: 500` (jobs claimed ahead of free slots and held, as graphile-worker’s local queue of 500; `batchSize` = concurrency + prefetch), otherwise defaults: `pollInterval` 500 ms, lease 30 s, maintenance on',
    ],
  },
  {
    name: 'docket-sqlite-full',
    label: 'Docket · SQLite full',
    store: 'sqlite',
    module: 'docket-sqlite.ts',
    kind: 'docket',
    scenarios: THROUGHPUT,
    settings: ['as Docket · SQLite, with `?synchronous=full` (one fsync per commit: survives power loss)'],
  },
  {
    name: 'docket-pg',
    label: 'Docket · PostgreSQL',
    store: 'postgres',
    module: 'docket-postgres.ts',
    kind: 'docket',
    scenarios: SCENARIOS,
    settings: [
      "store `postgres://…/<fresh database>` (schema `docket`, pool 10; PostgreSQL's defaults: `synchronous_commit=on`, `fsync=on`)",
      'worker defaults, as for SQLite; wake-up by LISTEN/NOTIFY',
    ],
  },
  {
    name: 'bullmq',
    label: 'BullMQ',
    store: 'redis',
    module: 'bullmq.ts',
    kind: 'peer',
    scenarios: ALL_BUT_INPROC,
    settings: [
      'Worker `concurrency` = the scenario concurrency; jobs added with `removeOnComplete: true, removeOnFail: true` (the auto-removal the docs recommend, keeps Redis memory flat)',
      'ioredis `maxRetriesPerRequest: null` (required by Worker); Redis as configured on this machine (see durability)',
      'bulk: `Queue.addBulk` with 1,000 jobs per call',
    ],
  },
  {
    name: 'graphile-worker',
    label: 'graphile-worker',
    store: 'postgres',
    module: 'graphile-worker.ts',
    kind: 'peer',
    scenarios: ALL_BUT_INPROC,
    settings: [
      '`concurrentJobs` = the scenario concurrency, `maxPoolSize` = max(10, concurrency + 2) (the docs’ advice)',
      '`localQueue: { size: 500 }`, `completeJobBatchDelay: 0`, `failJobBatchDelay: 0` (the performance page’s configuration)',
      '`pollInterval` 2000 ms (default; new jobs arrive by LISTEN/NOTIFY); bulk: `WorkerUtils.addJobs`',
    ],
  },
  {
    name: 'pg-boss',
    label: 'pg-boss',
    store: 'postgres',
    module: 'pg-boss.ts',
    kind: 'peer',
    scenarios: ALL_BUT_INPROC,
    settings: [
      '`work(queue, { batchSize: concurrency, pollingIntervalSeconds: 0.5 }, jobs => Promise.allSettled(jobs.map(run)))` — batch fetching with the minimum polling interval; concurrency inside the batch as the maintainer advises for v10',
      'pg-boss 10 waits the polling interval after every fetch, even a full one, so one `work()` drains at most batchSize / 0.5 s',
      'bulk: `insert()` with 1,000 jobs per call; queue made with `createQueue` (standard policy)',
    ],
  },
  {
    name: 'raw-pg',
    label: 'raw SQL · PostgreSQL',
    store: 'postgres',
    module: 'raw-pg.ts',
    kind: 'raw',
    scenarios: THROUGHPUT,
    settings: [
      'one table (bigserial id, jsonb payload); single: one `INSERT` per add; bulk: `INSERT … SELECT FROM unnest($1::jsonb[])`',
      'claim: `DELETE FROM jobs WHERE id IN (SELECT id … ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 500) RETURNING` (a local queue of 500, as graphile-worker’s), run `concurrency` at a time; polls every 5 ms when empty',
      'no retries, no leases, no results: at-most-once, the ceiling of the store',
    ],
  },
  {
    name: 'raw-sqlite',
    label: 'raw SQL · SQLite',
    store: 'sqlite',
    module: 'raw-sqlite.ts',
    kind: 'raw',
    scenarios: THROUGHPUT,
    settings: [
      'better-sqlite3 (the same build Docket uses), WAL, `synchronous=normal`; one table (integer id, text payload)',
      'single: one `INSERT` per add (autocommit); bulk: 1,000 prepared `INSERT`s in one transaction',
      'claim: `DELETE … WHERE id IN (SELECT id … ORDER BY id LIMIT 500) RETURNING` in one transaction, run `concurrency` at a time; polls every 5 ms when empty',
    ],
  },
  {
    name: 'raw-sqlite-full',
    label: 'raw SQL · SQLite full',
    store: 'sqlite',
    module: 'raw-sqlite.ts',
    kind: 'raw',
    scenarios: THROUGHPUT,
    settings: ['as raw SQL · SQLite, with `synchronous=full`'],
  },
];

export function systemByName(name: string): SystemInfo {
  const system = SYSTEMS.find((s) => s.name === name);
  if (!system) throw new Error(`unknown system ${name}; known: ${SYSTEMS.map((s) => s.name).join(', ')}`);
  return system;
}
