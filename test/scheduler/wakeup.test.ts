import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createDocket, defineTask, type FiredTick, type Scheduler } from '../../src/index.js';
import type { AnyTask } from '../../src/task.js';
import { tempSqliteUrl } from '../helpers/tmp.js';
import { nextEvent } from '../helpers/wait.js';
import { cleanups, runCleanups, tick } from './helpers.js';

afterEach(runCleanups);

/** A deadline for a hung test (not a timing assertion): rejects after `ms` with `what`. */
function within<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

async function realDocket(tasks: AnyTask[] = [tick]) {
  const { url, cleanup } = tempSqliteUrl();
  const docket = await createDocket({ store: url, tasks });
  cleanups.push(cleanup, () => docket.close());
  return docket;
}

/** Resolves with the next `count` ticks the scheduler fires. */
async function nextFired(scheduler: Scheduler, count: number): Promise<FiredTick[]> {
  const fired: FiredTick[] = [];
  while (fired.length < count) fired.push((await nextEvent<[FiredTick]>(scheduler, 'fired'))[0]);
  return fired;
}

// Real time: the poll interval is an hour, so only the timer to the next tick (or a wake) can fire these.
describe('scheduler wake-up (wall clock)', () => {
  it('wakes at the next tick by a timer, not by polling', async () => {
    const docket = await realDocket();
    await docket.schedule('every-1s', { every: '1s', task: 'tick' });
    const scheduler = docket.startScheduler({ pollInterval: '1h' });
    const fired = await within(nextFired(scheduler, 2), 'two ticks');
    assert.equal(fired[1]!.tick! - fired[0]!.tick!, 1000);
    assert.equal(fired[0]!.job.runAt, fired[0]!.tick);
  });

  it('a schedule declared in this process wakes a sleeping scheduler', async () => {
    const docket = await realDocket();
    const scheduler = docket.startScheduler({ pollInterval: '1h' });
    await scheduler.runOnce(); // it now sleeps for an hour: no schedules
    const fired = nextFired(scheduler, 1);
    await docket.schedule('every-1s', { every: '1s', task: 'tick' });
    assert.equal((await within(fired, 'the first tick'))[0]!.schedule, 'every-1s');
  });

  it('a fired tick wakes an idle worker in the same process, which runs the job', async () => {
    const ran: string[] = [];
    const recorder = defineTask({
      name: 'recorder',
      run: (_input, ctx) => {
        ran.push(ctx.jobId);
      },
    });
    const docket = await realDocket([tick, recorder]);
    await docket.schedule('every-1s', { every: '1s', task: 'recorder' });
    const worker = docket.startWorker({ pollInterval: '1h', maintenance: false });
    const scheduler = docket.startScheduler({ pollInterval: '1h' });
    const [fired] = await within(nextFired(scheduler, 1), 'a tick');
    await within(
      nextEvent<[{ id: string }]>(worker, 'job', (job) => job.id === fired!.job.id),
      'the worker to run the tick',
    );
    assert.ok(ran.includes(fired!.job.id));
  });

  it('stop() ends the loop; docket.close() stops running schedulers', async () => {
    const docket = await realDocket();
    await docket.schedule('every-1s', { every: '1s', task: 'tick' });
    const a = docket.startScheduler({ pollInterval: '1h' });
    const b = docket.startScheduler({ pollInterval: '1h' });
    await a.stop();
    assert.equal(a.isStopping, true);
    const stopped = nextEvent(b, 'stopped');
    await docket.close();
    await within(stopped, 'the second scheduler to stop');
    assert.equal(b.isStopping, true);
  });
});
