// PostgreSQL-only behaviour: transactional enqueue, LISTEN/NOTIFY across
// processes (wake-ups and cancel requests), listener reconnect, connection
// faults as DOCKET_STORE_UNAVAILABLE, concurrent migrations.
import assert from 'node:assert/strict';
import { type ChildProcess, fork } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { isDocketError } from '../../src/errors.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { loadMigrations } from '../../src/store/sql-file.js';
import { newJob } from '../conformance/store-suite.js';
import { adminQuery, dropSchema, makePgStore, PG_URL, pgSkipReason, uniqueSchema } from '../helpers/pg.js';
import { until } from '../helpers/wait.js';

const skip = await pgSkipReason();
const T0 = Date.UTC(2030, 0, 1);

/** Spawns the listening fixture and collects what it reports. */
function spawnListener(schema: string): {
  child: ChildProcess;
  messages: { type: string; queue?: string; id?: string }[];
} {
  const script = fileURLToPath(new URL('./fixtures/listen.ts', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PG_URL, SCHEMA: schema },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: { type: string; queue?: string; id?: string }[] = [];
  child.on('message', (m) => messages.push(m as (typeof messages)[number]));
  return { child, messages };
}

describe('postgres store', { skip }, () => {
  let made: Awaited<ReturnType<typeof makePgStore>>;
  before(async () => {
    made = await makePgStore();
  });
  after(async () => {
    await made?.cleanup();
  });

  describe('transactional enqueue', () => {
    it('a rollback leaves no job and no wake-up; a commit stores the job and wakes listeners', async () => {
      const { store } = made;
      const woken: string[] = [];
      const off = store.notifier.onJobsAvailable((q) => woken.push(q));
      await store.notifier.listener.ready();
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query('BEGIN');
        const [rolledBack] = await store.enqueue({
          now: T0,
          jobs: [newJob({ queue: 'tx-rollback' })],
          executor: client,
        });
        assert.equal(rolledBack!.job.state, 'available');
        // Not visible outside the transaction yet.
        assert.equal(await store.getJob({ id: rolledBack!.job.id }), null);
        await client.query('ROLLBACK');
        assert.equal(await store.getJob({ id: rolledBack!.job.id }), null);

        await client.query('BEGIN');
        const [committed] = await store.enqueue({
          now: T0,
          jobs: [newJob({ queue: 'tx-commit' })],
          executor: client,
        });
        await client.query('COMMIT');
        assert.equal((await store.getJob({ id: committed!.job.id }))?.state, 'available');
        // NOTIFYs arrive in commit order: once the commit's is here, the rolled-back one never will be.
        await until(() => woken.includes('tx-commit'), 'the wake-up of the committed enqueue');
        assert.ok(!woken.includes('tx-rollback'));
      } finally {
        off();
        await client.end();
      }
    });

    it('an error inside the transaction aborts it and maps nothing to a stored job', async () => {
      const { store } = made;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        await client.query('BEGIN');
        const [job] = await store.enqueue({
          now: T0,
          jobs: [newJob({ queue: 'tx-error' })],
          executor: client,
        });
        await assert.rejects(client.query('SELECT 1/0'));
        await client.query('ROLLBACK');
        assert.equal(await store.getJob({ id: job!.job.id }), null);
      } finally {
        await client.end();
      }
    });

    it('refuses an executor that cannot run queries', async () => {
      await assert.rejects(
        made.store.enqueue({ now: T0, jobs: [newJob()], executor: { nope: true } }),
        (e: unknown) => isDocketError(e, 'DOCKET_INVALID_ARGUMENT'),
      );
    });
  });

  describe('LISTEN/NOTIFY across processes', () => {
    it('an enqueue here wakes another process, and a cancel reaches it', async () => {
      const { store } = made;
      const { child, messages } = spawnListener(made.schema);
      try {
        await until(() => messages.some((m) => m.type === 'ready'), 'the other process to listen');
        await store.enqueue({ now: T0, jobs: [newJob({ queue: 'far' })] });
        await until(
          () => messages.some((m) => m.type === 'jobs' && m.queue === 'far'),
          'the wake-up in the other process',
        );
        const [job] = await store.claim({
          now: T0,
          queues: ['far'],
          limit: 1,
          workerId: 'w',
          leaseMs: 30_000,
        });
        await store.cancel({ now: T0, id: job!.id });
        await until(
          () => messages.some((m) => m.type === 'cancel' && m.id === job!.id),
          'the cancel in the other process',
        );
      } finally {
        child.send({ type: 'exit' });
        await new Promise((resolve) => child.once('exit', resolve));
      }
    });

    it('the listener reconnects after its connection is killed and hears notifications again', async () => {
      const { store } = made;
      const woken: string[] = [];
      const off = store.notifier.onJobsAvailable((q) => woken.push(q));
      try {
        await store.notifier.listener.ready();
        const killed = await adminQuery(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`,
          [`LISTEN "docket_${made.schema}"`],
        );
        assert.equal(killed.rowCount, 1);
        // The reconnect wakes every listener with '*', since notifications may have been missed.
        await until(() => woken.includes('*'), 'the reconnect wake-up');
        const { child, messages } = spawnListener(made.schema);
        try {
          await until(() => messages.some((m) => m.type === 'ready'), 'the other process to listen');
          child.send({ type: 'notify', queue: 'after-reconnect' });
          await until(() => woken.includes('after-reconnect'), 'a notification after the reconnect');
        } finally {
          child.send({ type: 'exit' });
          await new Promise((resolve) => child.once('exit', resolve));
        }
      } finally {
        off();
      }
    });
  });

  describe('connection faults', () => {
    it('calls to an unreachable server fail with DOCKET_STORE_UNAVAILABLE', async () => {
      const store = new PostgresStore({
        connectionString: 'postgres://postgres@127.0.0.1:1/test',
        schema: 'nowhere',
      });
      try {
        for (const call of [
          () => store.claim({ now: T0, queues: [], limit: 1, workerId: 'w', leaseMs: 1000 }),
          () => store.enqueue({ now: T0, jobs: [newJob()] }),
          () => store.migrate(),
          () => store.getJob({ id: '1' }),
        ]) {
          await assert.rejects(call(), (e: unknown) => isDocketError(e, 'DOCKET_STORE_UNAVAILABLE'));
        }
      } finally {
        await store.close();
      }
    });

    it('killed pool connections neither crash the process nor break the next calls', async () => {
      const schema = uniqueSchema();
      const appName = `docket-kill-${schema}`;
      const pool = new pg.Pool({ connectionString: PG_URL, max: 3, application_name: appName });
      const store = new PostgresStore({ pool, schema });
      try {
        await store.migrate();
        await Promise.all([1, 2, 3].map(() => store.enqueue({ now: T0, jobs: [newJob()] })));
        assert.ok(pool.idleCount >= 1);
        // Idle connections die: the pool's error event must be handled, not thrown.
        const killed = await adminQuery(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [appName],
        );
        assert.ok((killed.rowCount ?? 0) >= 1);
        await until(async () => {
          try {
            return (await store.listJobs({})).jobs.length === 3;
          } catch (error) {
            assert.ok(isDocketError(error, 'DOCKET_STORE_UNAVAILABLE'), String(error));
            return false;
          }
        }, 'the store to work again');
      } finally {
        await store.close();
        await pool.end();
        await dropSchema(schema);
      }
    });

    it('prepared statements survive a table changing shape under them (a newer migration)', async () => {
      const schema = uniqueSchema();
      const pool = new pg.Pool({ connectionString: PG_URL, max: 1 });
      const store = new PostgresStore({ pool, schema });
      try {
        await store.migrate();
        const [first] = await store.enqueue({ now: T0, jobs: [newJob()] });
        // Prepared on this one connection, with RETURNING * of the old shape.
        await store.getJob({ id: first!.job.id });
        await store.enqueue({ now: T0, jobs: [newJob()] });
        await adminQuery(`ALTER TABLE "${schema}".jobs ADD COLUMN added_later int`);
        const [second] = await store.enqueue({ now: T0, jobs: [newJob()] });
        assert.equal((await store.getJob({ id: second!.job.id }))?.id, second!.job.id);
        const claimed = await store.claim({ now: T0, queues: [], limit: 10, workerId: 'w', leaseMs: 1000 });
        assert.equal(claimed.length, 3);
      } finally {
        await store.close();
        await pool.end();
        await dropSchema(schema);
      }
    });
  });

  describe('migrations', () => {
    it('several processes migrating at once apply each version once', async () => {
      const schema = uniqueSchema();
      const stores = Array.from(
        { length: 4 },
        () => new PostgresStore({ connectionString: PG_URL, schema, poolSize: 1 }),
      );
      try {
        await Promise.all(stores.map((s) => s.migrate()));
        const { rows } = await adminQuery(`SELECT version FROM "${schema}".migrations ORDER BY version`);
        const expected = loadMigrations(
          fileURLToPath(new URL('../../src/store/postgres/migrations', import.meta.url)),
        );
        assert.deepEqual(
          rows.map((r) => r.version),
          expected.map((m) => m.version),
        );
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(schema);
      }
    });
  });
});
