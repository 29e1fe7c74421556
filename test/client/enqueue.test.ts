import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { z } from 'zod';
import { type Docket, defineTask, QueueFullError } from '../../src/index.js';
import { tempDocket } from '../helpers/docket.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const signup = defineTask({
  name: 'welcome-email',
  queue: 'emails',
  priority: 2,
  timeout: '30s',
  retry: { attempts: 5 },
  input: z.object({ to: z.string().email(), user: z.object({ id: z.number().int() }) }),
  run: () => null,
});

async function setup(maxPayloadBytes?: number): Promise<Docket> {
  const made = await tempDocket({ tasks: [signup], ...(maxPayloadBytes ? { maxPayloadBytes } : {}) });
  cleanups.push(made.cleanup);
  return made.docket;
}

const good = { to: 'ada@example.com', user: { id: 1 } };

async function storedCount(docket: Docket): Promise<number> {
  return (await docket.listJobs({ limit: 1000 })).jobs.length;
}

describe('enqueue', () => {
  it('applies the task defaults and the per-job options', async () => {
    const docket = await setup();
    const job = await docket.enqueue(signup, good);
    assert.equal(job.queue, 'emails');
    assert.equal(job.priority, 2);
    assert.equal(job.maxAttempts, 5);
    assert.equal(job.timeoutMs, 30_000);
    assert.equal(job.duplicate, false);
    const other = await docket.enqueue('welcome-email', good, {
      queue: 'urgent',
      priority: 9,
      attempts: 1,
      timeout: '2s',
      delay: '5m',
    });
    assert.equal(other.queue, 'urgent');
    assert.equal(other.priority, 9);
    assert.equal(other.maxAttempts, 1);
    assert.equal(other.timeoutMs, 2000);
    assert.equal(other.state, 'scheduled');
    assert.ok(other.runAt - other.createdAt >= 299_000);
    const at = Date.now() + 3_600_000;
    assert.equal((await docket.enqueue(signup, good, { runAt: new Date(at) })).runAt, at);
  });

  it('refuses invalid input naming the field, and stores nothing', async () => {
    const docket = await setup();
    await docket.enqueue(signup, good);
    await assert.rejects(
      docket.enqueue('welcome-email', { to: 'not-an-email', user: { id: 1.5 } }),
      (error: { code: string; details: { issues: { path: string }[] }; message: string }) => {
        assert.equal(error.code, 'DOCKET_INVALID_INPUT');
        assert.deepEqual(error.details.issues.map((i) => i.path).sort(), ['to', 'user.id']);
        assert.match(error.message, /to:/);
        return true;
      },
    );
    assert.equal(await storedCount(docket), 1);
  });

  it('refuses an unknown task, listing the known ones', async () => {
    const docket = await setup();
    await assert.rejects(docket.enqueue('nope', {}), (error: { code: string; message: string }) => {
      assert.equal(error.code, 'DOCKET_UNKNOWN_TASK');
      assert.match(error.message, /welcome-email/);
      return true;
    });
    assert.equal(await storedCount(docket), 0);
  });

  it('refuses an input over the size limit', async () => {
    const docket = await setup(1024);
    const free = defineTask({ name: 'free', run: () => null });
    await assert.rejects(docket.enqueue(free, { blob: 'x'.repeat(2000) }), {
      code: 'DOCKET_PAYLOAD_TOO_LARGE',
    });
    await assert.rejects(docket.enqueue(free, { n: 10n } as unknown), { code: 'DOCKET_INVALID_INPUT' });
    assert.equal(await storedCount(docket), 0);
  });

  it('refuses bad options with the field named', async () => {
    const docket = await setup();
    const cases: [object, string][] = [
      [{ delay: 'soon' }, 'delay'],
      [{ priority: 1.5 }, 'priority'],
      [{ attempts: 0 }, 'attempts'],
      [{ queue: 'has space' }, 'queue'],
      [{ delay: '1s', runAt: Date.now() }, 'delay'],
      [{ runAt: Number.NaN }, 'runAt'],
    ];
    for (const [options, field] of cases) {
      await assert.rejects(docket.enqueue(signup, good, options), (error: { details: { field: string } }) => {
        assert.equal(error.details.field, field, JSON.stringify(options));
        return true;
      });
    }
    assert.equal(await storedCount(docket), 0);
  });

  it('returns the unfinished job for a repeated key', async () => {
    const docket = await setup();
    const first = await docket.enqueue(signup, good, { key: 'welcome:1' });
    const second = await docket.enqueue(signup, { ...good, to: 'other@example.com' }, { key: 'welcome:1' });
    assert.equal(second.duplicate, true);
    assert.equal(second.id, first.id);
    assert.deepEqual(second.input, good);
    assert.equal(await storedCount(docket), 1);
  });

  it('enqueueMany stores all or nothing', async () => {
    const docket = await setup();
    await assert.rejects(
      docket.enqueueMany([
        { task: signup, input: good },
        { task: signup, input: { ...good, to: 'bad' } },
      ]),
      (error: { code: string; details: { index: number } }) => error.details.index === 1,
    );
    assert.equal(await storedCount(docket), 0);
    const jobs = await docket.enqueueMany([
      { task: signup, input: good },
      { task: 'welcome-email', input: good, options: { priority: 7 } },
    ]);
    assert.deepEqual(
      jobs.map((j) => j.priority),
      [2, 7],
    );
  });

  it('coalesces concurrent enqueues while each caller gets its own outcome', async () => {
    const docket = await setup();
    const inputs = Array.from({ length: 200 }, (_, i) =>
      i === 57 ? { to: 'broken' } : { ...good, user: { id: i } },
    );
    const settled = await Promise.allSettled(inputs.map((input) => docket.enqueue('welcome-email', input)));
    assert.equal(settled.filter((s) => s.status === 'rejected').length, 1);
    assert.equal((settled[57] as PromiseRejectedResult).reason.code, 'DOCKET_INVALID_INPUT');
    assert.equal(await storedCount(docket), 199);
    const ids = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.id] : []));
    assert.equal(new Set(ids).size, 199);
  });

  it('over the backlog limit only the calls that do not fit are refused', async () => {
    const docket = await setup();
    await docket.setQueue('emails', { backlogLimit: 5 });
    const settled = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => docket.enqueue(signup, { ...good, user: { id: i } })),
    );
    const refused = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(refused.length, 3);
    for (const r of refused) {
      assert.ok(r.reason instanceof QueueFullError);
      assert.equal(r.reason.code, 'DOCKET_QUEUE_FULL');
      assert.ok(r.reason.retryAfter > 0);
    }
    assert.equal(await storedCount(docket), 5);
    await docket.setQueue('emails', { backlogLimit: null });
    await docket.enqueue(signup, good);
    assert.equal(await storedCount(docket), 6);
  });

  it('lists, counts and deletes', async () => {
    const docket = await setup();
    const a = await docket.enqueue(signup, good);
    await docket.enqueue(signup, good, { queue: 'other', delay: '1h' });
    assert.equal((await docket.listJobs({ state: 'scheduled' })).jobs.length, 1);
    assert.equal((await docket.listJobs({ queue: 'emails' })).jobs[0]!.id, a.id);
    const counts = await docket.counts();
    assert.deepEqual(
      counts.map((c) => [c.queue, c.counts.available, c.counts.scheduled]),
      [
        ['emails', 1, 0],
        ['other', 0, 1],
      ],
    );
    await docket.deleteJob(a.id);
    assert.equal(await docket.getJob(a.id), null);
    await assert.rejects(docket.deleteJob(a.id), { code: 'DOCKET_NOT_FOUND' });
  });
});
