import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock, Scheduler } from '../../src/index.js';
import {
  allJobs,
  clockedDocket,
  duplicates,
  firedTicks,
  intervalTicks,
  iso,
  runCleanups,
  sibling,
  T0,
} from './helpers.js';

afterEach(runCleanups);

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('scheduler with an injected clock', () => {
  it('fires each tick once as time moves forward in small steps', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('every-5s', { every: '5s', task: 'tick' });
    const scheduler = new Scheduler(docket);
    for (let i = 0; i < 120; i++) {
      clock.advance(700);
      await scheduler.runOnce();
    }
    assert.deepEqual(
      iso(await firedTicks(docket, 'every-5s')),
      iso(intervalTicks(5 * SECOND, T0, clock.now())),
    );
  });

  it('catches up every tick within grace after a big step, oldest first, each once', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('every-1s', { every: '1s', task: 'tick', grace: '1m' });
    const scheduler = new Scheduler(docket);
    clock.advance(45 * SECOND);
    const report = await scheduler.runOnce();
    assert.deepEqual(
      report.fired.map((f) => f.tick),
      intervalTicks(SECOND, T0, T0 + 45 * SECOND),
    );
    clock.advance(10 * SECOND);
    await scheduler.runOnce();
    assert.deepEqual(await firedTicks(docket, 'every-1s'), intervalTicks(SECOND, T0, T0 + 55 * SECOND));
  });

  it('fires each tick exactly once for any walk of the clock, forwards and backwards', async () => {
    // Steps up to 59 s forward (under the 60 s grace, so nothing counts as missed) or 2 min back.
    const steps = fc.array(fc.integer({ min: -120_000, max: 59_000 }), { minLength: 1, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(steps, async (walk) => {
        const { docket, clock } = await clockedDocket();
        await docket.schedule('walk', { every: '7s', task: 'tick' });
        const scheduler = new Scheduler(docket);
        let furthest = clock.now();
        for (const step of walk) {
          clock.advance(step);
          furthest = Math.max(furthest, clock.now());
          await scheduler.runOnce();
        }
        assert.deepEqual(iso(await firedTicks(docket, 'walk')), iso(intervalTicks(7 * SECOND, T0, furthest)));
        await runCleanups();
      }),
      { numRuns: 25 },
    );
  });

  it('fires nothing a second time when the clock steps back', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('minutely', { cron: '* * * * *', task: 'tick' });
    const scheduler = new Scheduler(docket);
    clock.advance(3 * MINUTE);
    await scheduler.runOnce();
    clock.advance(10 * SECOND);
    await scheduler.runOnce();
    const before = await firedTicks(docket, 'minutely');
    assert.deepEqual(iso(before), iso([T0 + 3 * MINUTE]));
    for (const back of [-30 * SECOND, -2 * MINUTE, -3 * 60 * MINUTE]) {
      clock.set(T0 + 3 * MINUTE + 10 * SECOND + back);
      const report = await scheduler.runOnce();
      assert.equal(report.fired.length, 0, `stepped back ${back} ms`);
    }
    // Forward again: the clock passes ticks already fired without firing them, then fires the new one.
    for (let t = T0 - 3 * 60 * MINUTE; t <= T0 + 4 * MINUTE; t += 20 * SECOND) {
      clock.set(t);
      await scheduler.runOnce();
    }
    assert.deepEqual(iso(await firedTicks(docket, 'minutely')), iso([T0 + 3 * MINUTE, T0 + 4 * MINUTE]));
  });

  it('two schedulers 60 s apart (±30 s skew) on one store fire every tick once', async () => {
    const { docket, clock, url } = await clockedDocket(T0 - 30 * SECOND);
    await docket.schedule('every-2s', { every: '2s', task: 'tick' });
    const fastClock = new ManualClock(T0 + 30 * SECOND);
    const fast = new Scheduler(await sibling(url, fastClock));
    const slow = new Scheduler(docket);
    const stopFastAt = T0 + 90 * SECOND;
    let fastFired = 0;
    let slowFired = 0;
    for (let step = 0; step < 400; step++) {
      clock.advance(450);
      fastClock.advance(450);
      // Alternate who goes first; the fast one dies half way.
      const order = step % 2 === 0 ? [slow, fast] : [fast, slow];
      for (const scheduler of order) {
        if (scheduler === fast && fastClock.now() > stopFastAt) continue;
        const { fired } = await scheduler.runOnce();
        if (scheduler === fast) fastFired += fired.length;
        else slowFired += fired.length;
      }
    }
    const ticks = await firedTicks(docket, 'every-2s');
    assert.deepEqual(duplicates(ticks), []);
    // Every tick from the schedule's creation (by the slow clock) up to the slow clock's now, none missing.
    assert.deepEqual(iso(ticks), iso(intervalTicks(2 * SECOND, T0 - 30 * SECOND, clock.now())));
    assert.ok(fastFired > 0 && slowFired > 0, `both fired some (fast ${fastFired}, slow ${slowFired})`);
  });

  it('a scheduler stalled between planning and firing cannot enqueue a tick twice', async () => {
    const { docket, clock, url } = await clockedDocket();
    await docket.schedule('every-1s', { every: '1s', task: 'tick' });
    // The stalled scheduler's store holds every fireTick until released, like a process stopped mid-pass.
    const stalledClock = new ManualClock(T0);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const stalledDocket = await sibling(url, stalledClock);
    const realFire = stalledDocket.store.fireTick.bind(stalledDocket.store);
    stalledDocket.store.fireTick = async (params) => {
      await gate;
      return realFire(params);
    };
    const stalled = new Scheduler(stalledDocket);
    const healthy = new Scheduler(docket);
    clock.advance(5 * SECOND);
    stalledClock.advance(5 * SECOND);
    const stalledPass = stalled.runOnce(); // plans ticks 1..5, then waits at the gate
    for (let i = 0; i < 40; i++) {
      clock.advance(SECOND);
      await healthy.runOnce();
    }
    release();
    const late = await stalledPass;
    assert.equal(late.fired.length, 0);
    assert.ok(late.stale >= 1);
    const ticks = await firedTicks(docket, 'every-1s');
    assert.deepEqual(duplicates(ticks), []);
    assert.deepEqual(ticks, intervalTicks(SECOND, T0, clock.now()));
  });
});

describe('missed ticks after an outage', () => {
  async function outage(missed: 'skip' | 'latest' | 'all', missedLimit?: number) {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('hourly', {
      cron: '0 * * * *',
      task: 'tick',
      missed,
      ...(missedLimit === undefined ? {} : { missedLimit }),
    });
    const scheduler = new Scheduler(docket);
    clock.set(T0 + 60 * MINUTE);
    await scheduler.runOnce(); // 01:00 fires on time
    clock.set(T0 + 6 * 60 * MINUTE + 20 * MINUTE); // down from 01:00 to 06:20: 02:00…06:00 missed
    const report = await scheduler.runOnce();
    clock.set(T0 + 7 * 60 * MINUTE + 10 * SECOND); // then 07:00 on time again
    await scheduler.runOnce();
    return { report, ticks: await firedTicks(docket, 'hourly') };
  }
  const hour = (h: number) => T0 + h * 60 * MINUTE;

  it('skip (the default) runs none of them', async () => {
    const { ticks } = await outage('skip');
    assert.deepEqual(iso(ticks), iso([hour(1), hour(7)]));
  });

  it('latest runs the most recent one once', async () => {
    const { ticks } = await outage('latest');
    assert.deepEqual(iso(ticks), iso([hour(1), hour(6), hour(7)]));
  });

  it('all runs each one, up to the limit, newest kept, oldest first', async () => {
    assert.deepEqual(iso((await outage('all')).ticks), iso([1, 2, 3, 4, 5, 6, 7].map(hour)));
    const { report, ticks } = await outage('all', 3);
    assert.deepEqual(iso(ticks), iso([1, 4, 5, 6, 7].map(hour)));
    assert.deepEqual(
      report.fired.map((f) => f.tick),
      [4, 5, 6].map(hour),
    );
  });

  it('ticks within grace are late, not missed', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('hourly', { cron: '0 * * * *', task: 'tick', grace: '5m' });
    clock.set(T0 + 60 * MINUTE + 4 * MINUTE);
    await new Scheduler(docket).runOnce();
    assert.deepEqual(iso(await firedTicks(docket, 'hourly')), iso([T0 + 60 * MINUTE]));
  });

  it('a new schedule fires nothing from before it existed', async () => {
    const { docket, clock } = await clockedDocket(T0 + 30 * MINUTE);
    await docket.schedule('hourly', { cron: '0 * * * *', task: 'tick', missed: 'all' });
    await new Scheduler(docket).runOnce();
    clock.set(T0 + 60 * MINUTE);
    await new Scheduler(docket).runOnce();
    assert.deepEqual(iso(await firedTicks(docket, 'hourly')), iso([T0 + 60 * MINUTE]));
  });
});

describe('overlap', () => {
  it('skip consumes ticks while the previous run is unfinished, allow does not', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('exclusive', { every: '1m', task: 'tick', overlap: 'skip' });
    await docket.schedule('overlapping', { every: '1m', task: 'tick', options: { queue: 'other' } });
    const scheduler = new Scheduler(docket);
    clock.set(T0 + MINUTE);
    await scheduler.runOnce();
    const [first] = await docket.store.claim({
      now: clock.now(),
      queues: ['default'],
      limit: 1,
      workerId: 'w',
      leaseMs: 3_600_000,
    });
    assert.equal(first?.key, `schedule:exclusive@${new Date(T0 + MINUTE).toISOString()}`);
    clock.set(T0 + 2 * MINUTE);
    const second = await scheduler.runOnce();
    assert.deepEqual(second.overlapped, [{ schedule: 'exclusive', tick: T0 + 2 * MINUTE }]);
    await docket.store.complete({ now: clock.now(), jobs: [{ id: first!.id, attempt: 1, result: null }] });
    clock.set(T0 + 3 * MINUTE);
    await scheduler.runOnce();
    assert.deepEqual(await firedTicks(docket, 'exclusive'), [T0 + MINUTE, T0 + 3 * MINUTE]);
    assert.deepEqual(
      await firedTicks(docket, 'overlapping'),
      [1, 2, 3].map((m) => T0 + m * MINUTE),
    );
    // The skipped tick stays consumed: time passing does not bring it back.
    clock.set(T0 + 3 * MINUTE + 30 * SECOND);
    assert.equal((await scheduler.runOnce()).fired.length, 0);
  });
});

describe('managing schedules', () => {
  it('pause stops firing; resume does not catch up the paused ticks', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('m', { every: '1m', task: 'tick', missed: 'all' });
    const scheduler = new Scheduler(docket);
    clock.set(T0 + MINUTE);
    await scheduler.runOnce();
    const paused = await docket.pauseSchedule('m');
    assert.equal(paused.paused, true);
    assert.equal(paused.nextRunAt, null);
    clock.set(T0 + 10 * MINUTE + 30 * SECOND);
    assert.equal((await scheduler.runOnce()).fired.length, 0);
    const resumed = await docket.resumeSchedule('m');
    assert.equal(resumed.nextRunAt, T0 + 11 * MINUTE);
    assert.equal((await scheduler.runOnce()).fired.length, 0);
    clock.set(T0 + 11 * MINUTE);
    await scheduler.runOnce();
    assert.deepEqual(await firedTicks(docket, 'm'), [T0 + MINUTE, T0 + 11 * MINUTE]);
  });

  it('declaring again updates the definition and keeps the cursor and paused state', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('m', { every: '1m', task: 'tick', input: { label: 'old' } });
    const scheduler = new Scheduler(docket);
    clock.set(T0 + 2 * MINUTE);
    await scheduler.runOnce();
    await docket.pauseSchedule('m');
    clock.set(T0 + 2 * MINUTE + 10 * SECOND);
    const again = await docket.schedule('m', {
      every: '1m',
      task: 'tick',
      input: { label: 'new' },
      missed: 'all',
    });
    assert.equal(again.paused, true);
    assert.equal(again.cursor, T0 + 2 * MINUTE);
    assert.equal(again.lastTick, T0 + 2 * MINUTE);
    await docket.resumeSchedule('m');
    clock.set(T0 + 3 * MINUTE);
    await scheduler.runOnce();
    const jobs = await allJobs(docket);
    assert.deepEqual(
      jobs.map((j) => [j.runAt, (j.input as { label: string }).label]),
      [
        [T0 + 2 * MINUTE, 'old'],
        [T0 + 3 * MINUTE, 'new'],
      ],
    );
  });

  it('lists schedules with next run times, in their time zone', async () => {
    const { docket } = await clockedDocket();
    await docket.schedule('berlin-9', { cron: '0 9 * * *', tz: 'Europe/Berlin', task: 'tick' });
    await docket.schedule('every-90s', { every: '90s', task: 'tick' });
    const list = await docket.listSchedules();
    assert.deepEqual(
      list.map((s) => [s.name, s.nextRunAt === null ? null : new Date(s.nextRunAt).toISOString()]),
      [
        ['berlin-9', '2030-01-01T08:00:00.000Z'],
        ['every-90s', '2030-01-01T00:01:30.000Z'],
      ],
    );
    assert.equal(list[0]!.job.task, 'tick');
    assert.equal(list[0]!.missed, 'skip');
    assert.equal(list[0]!.overlap, 'allow');
  });

  it('trigger enqueues one run now, outside the ticks, even when paused', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('m', { every: '1h', task: 'tick', overlap: 'skip' });
    await docket.pauseSchedule('m');
    clock.advance(5 * SECOND);
    const job = await docket.triggerSchedule('m');
    assert.equal(job.runAt, clock.now());
    assert.equal(job.state, 'available');
    assert.equal(job.key, null);
    assert.equal((await docket.getSchedule('m')).lastJobId, job.id);
    assert.equal((await docket.getSchedule('m')).cursor, T0, 'a manual run consumes no tick');
  });

  it('remove deletes the schedule and keeps its jobs; unknown names are DOCKET_NOT_FOUND', async () => {
    const { docket, clock } = await clockedDocket();
    await docket.schedule('m', { every: '1m', task: 'tick' });
    clock.set(T0 + MINUTE);
    await new Scheduler(docket).runOnce();
    await docket.removeSchedule('m');
    assert.deepEqual(await docket.listSchedules(), []);
    assert.equal((await allJobs(docket)).length, 1);
    for (const call of [
      () => docket.removeSchedule('m'),
      () => docket.pauseSchedule('m'),
      () => docket.resumeSchedule('m'),
      () => docket.triggerSchedule('m'),
      () => docket.getSchedule('m'),
    ]) {
      await assert.rejects(call, { code: 'DOCKET_NOT_FOUND' });
    }
  });

  it('refuses bad definitions with the field named, storing nothing', async () => {
    const { docket } = await clockedDocket();
    const cases: [Parameters<typeof docket.schedule>[1], string, string?][] = [
      [{ task: 'tick' }, 'cron'],
      [{ cron: '* * * * *', every: '1m', task: 'tick' }, 'cron'],
      [{ cron: '61 * * * *', task: 'tick' }, 'cron'],
      [{ cron: '0 0 1 1 * 2031', task: 'tick' }, 'cron'],
      [{ cron: '0 0 30 2 *', task: 'tick' }, 'cron'],
      [{ cron: '@daily', tz: 'Mars/Olympus_Mons', task: 'tick' }, 'tz'],
      [{ every: '1m', tz: 'Europe/Berlin', task: 'tick' }, 'tz'],
      [{ every: '500ms', task: 'tick' }, 'every'],
      [{ every: 'often', task: 'tick' }, 'every'],
      [{ every: '1m', task: 'tick', missed: 'some' as 'all' }, 'missed'],
      [{ every: '1m', task: 'tick', missed: 'all', missedLimit: 0 }, 'missedLimit'],
      [{ every: '1m', task: 'tick', overlap: 'queue' as 'skip' }, 'overlap'],
      [{ every: '1m', task: 'tick', grace: -1 }, 'grace'],
      [{ every: '1m', task: 'tick', options: { queue: 'bad queue' } }, 'queue'],
    ];
    for (const [definition, field] of cases) {
      await assert.rejects(
        () => docket.schedule('bad', definition),
        (error: { code?: string; details?: { field?: string } }) =>
          error.code === 'DOCKET_INVALID_ARGUMENT' && error.details?.field === field,
        `${JSON.stringify(definition)} should be refused on ${field}`,
      );
    }
    await assert.rejects(() => docket.schedule('bad name!', { every: '1m', task: 'tick' }), {
      code: 'DOCKET_INVALID_ARGUMENT',
    });
    await assert.rejects(() => docket.schedule('x', { every: '1m', task: 'nope' }), {
      code: 'DOCKET_UNKNOWN_TASK',
    });
    await assert.rejects(() => docket.schedule('x', { every: '1m', task: 'tick', input: { label: 5 } }), {
      code: 'DOCKET_INVALID_INPUT',
    });
    assert.deepEqual(await docket.listSchedules(), []);
  });

  it('accepts 5 and 6 fields, names and nicknames', async () => {
    const { docket } = await clockedDocket();
    const next = async (cron: string) =>
      new Date((await docket.schedule('c', { cron, task: 'tick' })).nextRunAt!).toISOString();
    assert.equal(await next('*/15 * * * * *'), '2030-01-01T00:00:15.000Z');
    assert.equal(await next('0 9 * JAN WED'), '2030-01-02T09:00:00.000Z');
    assert.equal(await next('@hourly'), '2030-01-01T01:00:00.000Z');
    assert.equal(await next('@weekly'), '2030-01-06T00:00:00.000Z');
  });
});
