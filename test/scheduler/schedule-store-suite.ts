import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { NewJob, ScheduleSpec, Store } from '../../src/store/store.js';

/** Makes a migrated store on a fresh database, and a second connection to the same one. */
export interface ScheduleStoreFactory {
  name: string;
  makeStore(): Promise<{ store: Store; second: () => Promise<Store>; cleanup: () => Promise<void> }>;
}

const T0 = Date.UTC(2030, 0, 1);

function spec(overrides: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return {
    name: 'nightly',
    cron: '0 2 * * *',
    everyMs: null,
    tz: 'Europe/Berlin',
    job: {
      task: 'report',
      queue: 'reports',
      input: '{"day":"x"}',
      priority: 3,
      maxAttempts: 2,
      timeoutMs: 5000,
    },
    missed: 'skip',
    missedLimit: 100,
    graceMs: 60_000,
    overlap: 'allow',
    ...overrides,
  };
}

function job(tick: number | null, now = T0): NewJob {
  return {
    task: 'report',
    queue: 'reports',
    input: '{"day":"x"}',
    priority: 3,
    maxAttempts: 2,
    timeoutMs: 5000,
    runAt: tick ?? now,
    key: tick === null ? null : `schedule:nightly@${tick}`,
  };
}

/**
 * The schedule half of the store contract, for every store. Call it from a
 * store's conformance test with a factory; a store is done when this passes
 * unchanged.
 */
export function runScheduleStoreSuite(factory: ScheduleStoreFactory): void {
  describe(`schedule store: ${factory.name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      while (cleanups.length) await cleanups.pop()!();
    });
    async function make() {
      const made = await factory.makeStore();
      cleanups.push(made.cleanup);
      return made;
    }

    it('upserts: creates with the cursor at now, replaces the definition and keeps run-time state', async () => {
      const { store } = await make();
      const created = await store.upsertSchedule({ now: T0, schedule: spec() });
      assert.deepEqual(created, {
        ...spec(),
        paused: false,
        cursor: T0,
        lastTick: null,
        lastJobId: null,
        lastRunAt: null,
        createdAt: T0,
        updatedAt: T0,
      });
      const fired = await store.fireTick({ now: T0 + 10, name: 'nightly', tick: T0 + 5, job: job(T0 + 5) });
      assert.equal(fired.status, 'fired');
      await store.updateSchedule({ now: T0 + 20, name: 'nightly', paused: true });
      const replaced = await store.upsertSchedule({
        now: T0 + 30,
        schedule: spec({ cron: null, everyMs: 60_000, tz: 'UTC', missed: 'all', overlap: 'skip' }),
      });
      assert.equal(replaced.everyMs, 60_000);
      assert.equal(replaced.cron, null);
      assert.equal(replaced.missed, 'all');
      assert.equal(replaced.paused, true);
      assert.equal(replaced.cursor, T0 + 5);
      assert.equal(replaced.lastTick, T0 + 5);
      assert.equal(replaced.lastJobId, fired.status === 'fired' ? fired.job.id : null);
      assert.equal(replaced.createdAt, T0);
      assert.equal(replaced.updatedAt, T0 + 30);
      assert.deepEqual(await store.getSchedule({ name: 'nightly' }), replaced);
    });

    it('fireTick inserts the job and moves the cursor, once per tick', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      const first = await store.fireTick({
        now: T0 + 1000,
        name: 'nightly',
        tick: T0 + 1000,
        job: job(T0 + 1000),
      });
      assert.equal(first.status, 'fired');
      if (first.status !== 'fired') return;
      assert.equal(first.job.state, 'available');
      assert.equal(first.job.runAt, T0 + 1000);
      assert.equal(first.job.queue, 'reports');
      assert.equal(first.job.priority, 3);
      assert.equal(first.job.maxAttempts, 2);
      assert.deepEqual(first.job.input, { day: 'x' });
      for (const tick of [T0 + 1000, T0 + 999, T0]) {
        assert.deepEqual(await store.fireTick({ now: T0 + 2000, name: 'nightly', tick, job: job(tick) }), {
          status: 'stale',
          cursor: T0 + 1000,
        });
      }
      const record = await store.getSchedule({ name: 'nightly' });
      assert.equal(record?.cursor, T0 + 1000);
      assert.equal(record?.lastJobId, first.job.id);
      assert.equal(record?.lastRunAt, T0 + 1000);
      assert.equal((await store.listJobs({})).jobs.length, 1);
    });

    it('a tick stays fired after its job is finished and pruned', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      const fired = await store.fireTick({ now: T0 + 5, name: 'nightly', tick: T0 + 5, job: job(T0 + 5) });
      assert.equal(fired.status, 'fired');
      const [claimed] = await store.claim({
        now: T0 + 6,
        queues: [],
        limit: 1,
        workerId: 'w',
        leaseMs: 1000,
      });
      await store.complete({ now: T0 + 7, jobs: [{ id: claimed!.id, attempt: 1, result: null }] });
      assert.equal(await store.prune({ now: T0 + 8, finishedBefore: T0 + 8, limit: 10 }), 1);
      const again = await store.fireTick({ now: T0 + 9, name: 'nightly', tick: T0 + 5, job: job(T0 + 5) });
      assert.equal(again.status, 'stale');
      assert.equal((await store.listJobs({})).jobs.length, 0);
    });

    it('a future tick is inserted scheduled', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      const fired = await store.fireTick({
        now: T0 + 1,
        name: 'nightly',
        tick: T0 + 500,
        job: job(T0 + 500),
      });
      assert.equal(fired.status === 'fired' && fired.job.state, 'scheduled');
    });

    it('overlap skip consumes the tick without a job while the last run is unfinished', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec({ overlap: 'skip' }) });
      const first = await store.fireTick({ now: T0 + 1, name: 'nightly', tick: T0 + 1, job: job(T0 + 1) });
      assert.equal(first.status, 'fired');
      const id = first.status === 'fired' ? first.job.id : '';
      assert.deepEqual(
        await store.fireTick({ now: T0 + 2, name: 'nightly', tick: T0 + 2, job: job(T0 + 2) }),
        {
          status: 'overlap',
          previousJobId: id,
        },
      );
      assert.equal((await store.getSchedule({ name: 'nightly' }))?.cursor, T0 + 2);
      await store.cancel({ now: T0 + 3, id });
      const third = await store.fireTick({ now: T0 + 4, name: 'nightly', tick: T0 + 4, job: job(T0 + 4) });
      assert.equal(third.status, 'fired');
      assert.equal((await store.listJobs({})).jobs.length, 2);
    });

    it('paused schedules refuse ticks; resume moves the cursor to now, never back', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      await store.fireTick({ now: T0, name: 'nightly', tick: T0 + 10_000, job: job(T0 + 10_000) });
      const paused = await store.updateSchedule({ now: T0 + 1, name: 'nightly', paused: true });
      assert.equal(paused?.paused, true);
      assert.deepEqual(
        await store.fireTick({ now: T0 + 2, name: 'nightly', tick: T0 + 20_000, job: job(T0 + 2) }),
        {
          status: 'paused',
        },
      );
      const resumedEarly = await store.updateSchedule({ now: T0 + 5_000, name: 'nightly', paused: false });
      assert.equal(resumedEarly?.cursor, T0 + 10_000, 'resume never moves the cursor back');
      await store.updateSchedule({ now: T0 + 5_001, name: 'nightly', paused: true });
      const resumed = await store.updateSchedule({ now: T0 + 30_000, name: 'nightly', paused: false });
      assert.equal(resumed?.paused, false);
      assert.equal(resumed?.cursor, T0 + 30_000);
      assert.equal(await store.updateSchedule({ now: T0, name: 'nope', paused: true }), null);
    });

    it('a manual run (tick null) checks neither cursor nor pause, and records the run', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec({ overlap: 'skip' }) });
      await store.updateSchedule({ now: T0, name: 'nightly', paused: true });
      const manual = await store.fireTick({
        now: T0 + 3,
        name: 'nightly',
        tick: null,
        job: job(null, T0 + 3),
      });
      assert.equal(manual.status, 'fired');
      const record = await store.getSchedule({ name: 'nightly' });
      assert.equal(record?.cursor, T0);
      assert.equal(record?.lastJobId, manual.status === 'fired' ? manual.job.id : null);
    });

    it('lists by name, removes, and answers not-found', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec({ name: 'b' }) });
      await store.upsertSchedule({
        now: T0,
        schedule: spec({ name: 'a', cron: null, everyMs: 1000, tz: 'UTC' }),
      });
      assert.deepEqual(
        (await store.listSchedules()).map((s) => s.name),
        ['a', 'b'],
      );
      assert.equal(await store.removeSchedule({ name: 'a' }), true);
      assert.equal(await store.removeSchedule({ name: 'a' }), false);
      assert.equal(await store.getSchedule({ name: 'a' }), null);
      assert.deepEqual(await store.fireTick({ now: T0, name: 'a', tick: T0 + 1, job: job(T0 + 1) }), {
        status: 'not-found',
      });
    });

    it('a refused insert (backlog limit) leaves the tick unfired', async () => {
      const { store } = await make();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      await store.updateQueue({ now: T0, name: 'reports', backlogLimit: 0 });
      await assert.rejects(
        () => store.fireTick({ now: T0 + 1, name: 'nightly', tick: T0 + 1, job: job(T0 + 1) }),
        { code: 'DOCKET_QUEUE_FULL' },
      );
      assert.equal((await store.getSchedule({ name: 'nightly' }))?.cursor, T0);
    });

    it('racing connections fire each tick exactly once', async () => {
      const { store, second } = await make();
      const other = await second();
      await store.upsertSchedule({ now: T0, schedule: spec() });
      // Schedulers fire ticks oldest first, so the race that matters is many callers on one tick.
      const ticks = Array.from({ length: 30 }, (_, i) => T0 + (i + 1) * 1000);
      for (const tick of ticks) {
        const outcomes = await Promise.all(
          [store, other, store, other].map((s) =>
            s.fireTick({ now: tick, name: 'nightly', tick, job: job(tick) }),
          ),
        );
        assert.equal(outcomes.filter((o) => o.status === 'fired').length, 1, `tick ${tick}`);
        assert.equal(outcomes.filter((o) => o.status === 'stale').length, 3, `tick ${tick}`);
      }
      const runAts = (await store.listJobs({ limit: 1000 })).jobs.map((j) => j.runAt).sort((a, b) => a - b);
      assert.deepEqual(runAts, ticks);
    });
  });
}
