// Flow control across real processes on PostgreSQL: four worker processes
// share one queue. Every run writes 'start' and 'end' rows into a ledger
// table whose sequence orders all events across processes, so the checks
// replay that order: never more than the global limit running, never two
// of one group at once, every job done; and fair claims finish small
// groups long before a big one.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { newJob } from '../conformance/store-suite.js';
import { adminQuery, makePgStore, PG_URL, pgSkipReason } from '../helpers/pg.js';
import { until } from '../helpers/wait.js';

const skip = await pgSkipReason();
const SCRIPT = fileURLToPath(new URL('./fixtures/flow-worker.ts', import.meta.url));

interface Event {
  seq: number;
  job_id: string;
  grp: string;
  event: 'start' | 'end';
}

function startWorkers(schema: string, count: number, concurrency: number): ChildProcess[] {
  return Array.from({ length: count }, (_, i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, PG_URL, SCHEMA: schema, NAME: String(i), CONCURRENCY: String(concurrency) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return child;
  });
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.send({ type: 'stop' });
        }),
    ),
  );
}

async function events(schema: string): Promise<Event[]> {
  const result = await adminQuery(`SELECT seq::int, job_id, grp, event FROM "${schema}".ledger ORDER BY seq`);
  return result.rows as Event[];
}

async function setUp(): Promise<{ store: PostgresStore; schema: string; cleanup: () => Promise<void> }> {
  const made = await makePgStore();
  await adminQuery(
    `CREATE TABLE "${made.schema}".ledger (seq bigserial PRIMARY KEY, job_id text NOT NULL, grp text NOT NULL, event text NOT NULL)`,
  );
  return made;
}

function enqueueAll(store: PostgresStore, jobs: { group: string; ms: number }[]) {
  const now = Date.now();
  return store.enqueue({
    now,
    jobs: jobs.map((input) =>
      newJob({
        task: 'flow-job',
        queue: 'flow',
        runAt: now,
        group: input.group,
        input: JSON.stringify(input),
      }),
    ),
  });
}

describe('flow control across four PostgreSQL worker processes', { skip }, () => {
  let made: Awaited<ReturnType<typeof setUp>>;
  let children: ChildProcess[] = [];
  before(async () => {
    made = await setUp();
  });
  after(async () => {
    await stopWorkers(children);
    await made?.cleanup();
  });

  it('global concurrency 3 and group concurrency 1 hold over 2,000 jobs in 50 groups', async () => {
    const { store, schema } = made;
    await store.updateQueue({ now: Date.now(), name: 'flow', concurrency: 3, groupConcurrency: 1 });
    const jobs = Array.from({ length: 2000 }, (_, i) => ({ group: `g${i % 50}`, ms: i % 3 }));
    for (let i = 0; i < jobs.length; i += 500) await enqueueAll(store, jobs.slice(i, i + 500));
    children = startWorkers(schema, 4, 3);
    await until(
      async () => (await store.countJobs({ queue: 'flow' }))[0]?.counts.completed === 2000,
      'all 2,000 jobs to complete',
      { timeoutMs: 300_000, everyMs: 200 },
    );
    const log = await events(schema);
    let running = 0;
    let most = 0;
    const byGroup = new Map<string, number>();
    const started = new Set<string>();
    const ended = new Set<string>();
    for (const e of log) {
      const delta = e.event === 'start' ? 1 : -1;
      running += delta;
      most = Math.max(most, running);
      const inGroup = (byGroup.get(e.grp) ?? 0) + delta;
      byGroup.set(e.grp, inGroup);
      assert.ok(running <= 3, `more than 3 running at event ${e.seq}`);
      assert.ok(inGroup <= 1, `two jobs of group ${e.grp} running at event ${e.seq}`);
      (e.event === 'start' ? started : ended).add(e.job_id);
    }
    assert.equal(started.size, 2000);
    assert.equal(ended.size, 2000);
    // The limit is reached, not only respected: a test that could not fail otherwise.
    assert.equal(most, 3);
    await stopWorkers(children);
    children = [];
  });
});

describe('fairness across four PostgreSQL worker processes', { skip }, () => {
  let made: Awaited<ReturnType<typeof setUp>>;
  let children: ChildProcess[] = [];
  before(async () => {
    made = await setUp();
  });
  after(async () => {
    await stopWorkers(children);
    await made?.cleanup();
  });

  it('nine groups of 10 finish long before one group of 10,000', async () => {
    const { store, schema } = made;
    await store.updateQueue({ now: Date.now(), name: 'flow', fair: true });
    // The big group is enqueued first: without fairness the small ones would finish last.
    const big = Array.from({ length: 10_000 }, () => ({ group: 'big', ms: 0 }));
    for (let i = 0; i < big.length; i += 2000) await enqueueAll(store, big.slice(i, i + 2000));
    const small = Array.from({ length: 90 }, (_, i) => ({ group: `small-${i % 9}`, ms: 0 }));
    await enqueueAll(store, small);
    children = startWorkers(schema, 4, 5);
    const smallDone = async () => {
      const r = await adminQuery(
        `SELECT count(*)::int AS n FROM "${schema}".ledger WHERE event = 'end' AND grp <> 'big'`,
      );
      return r.rows[0].n === 90;
    };
    await until(smallDone, 'the small groups to finish', { timeoutMs: 300_000, everyMs: 100 });
    await stopWorkers(children);
    children = [];
    const ends = (await events(schema)).filter((e) => e.event === 'end');
    const lastSmall = ends.map((e) => e.grp !== 'big').lastIndexOf(true);
    const bigBefore = ends.slice(0, lastSmall).filter((e) => e.grp === 'big').length;
    // Round-robin serves each of the 10 groups in turn: about 10 big jobs per small one.
    assert.ok(lastSmall < 400, `the last small job finished at position ${lastSmall}`);
    const bigLeft = 10_000 - ends.filter((e) => e.grp === 'big').length;
    assert.ok(bigLeft > 9000, `only ${bigLeft} big jobs were left when the small groups were done`);
    assert.ok(bigBefore > 0);
  });
});
