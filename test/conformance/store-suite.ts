// The store conformance suite: every store operation and every guarantee of
// DESIGN.md, as one function each store's test file calls. A store is done
// when this passes on it unchanged; any skip is named at the call with its reason.
import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { QueueFullError } from '../../src/errors.js';
import type { AttemptError } from '../../src/job.js';
import type { NewJob, Store } from '../../src/store/store.js';

/** What a store's test file passes to the suite. */
export interface StoreSuiteOptions {
  name: string;
  /** A fresh, migrated, empty store, and how to dispose of it. */
  makeStore: () => Promise<{ store: Store; cleanup: () => Promise<void> }>;
  /** Cases to skip, by name, each with its reason. */
  skip?: Record<string, string>;
}

const T0 = Date.UTC(2030, 0, 1);
const LEASE = 30_000;

/** A job row with defaults; override what a case is about. */
export function newJob(overrides: Partial<NewJob> = {}): NewJob {
  return {
    task: 'test-task',
    queue: 'default',
    input: JSON.stringify({ n: 1 }),
    priority: 0,
    runAt: T0,
    maxAttempts: 3,
    key: null,
    timeoutMs: null,
    ...overrides,
  };
}

function attemptError(attempt: number, message = 'boom'): AttemptError {
  return { attempt, message, at: T0, workerId: 'w1' };
}

/** Runs every conformance case against the stores `makeStore` returns. */
export function runStoreSuite(options: StoreSuiteOptions): void {
  describe(`store conformance: ${options.name}`, () => {
    let store: Store;
    const stores: { cleanup: () => Promise<void> }[] = [];

    beforeEach(async () => {
      const made = await options.makeStore();
      store = made.store;
      stores.push(made);
    });
    after(async () => {
      for (const made of stores) await made.cleanup();
    });

    const test = (name: string, fn: () => Promise<void>) => {
      const reason = options.skip?.[name];
      if (reason) it(name, { skip: reason }, fn);
      else it(name, fn);
    };

    const enqueue = async (...jobs: Partial<NewJob>[]) =>
      (await store.enqueue({ now: T0, jobs: jobs.map(newJob) })).map((o) => o.job);
    const claim = (limit = 10, now = T0, extra: { queues?: string[]; workerId?: string } = {}) =>
      store.claim({
        now,
        queues: extra.queues ?? [],
        limit,
        workerId: extra.workerId ?? 'w1',
        leaseMs: LEASE,
      });

    describe('migrate and enqueue', () => {
      test('migrate is idempotent', async () => {
        await store.migrate();
        await store.migrate();
        assert.equal((await store.listJobs({})).jobs.length, 0);
      });

      test('enqueue stores every field and returns the job', async () => {
        const [job] = await enqueue({
          task: 'email',
          queue: 'emails',
          input: JSON.stringify({ to: 'a@b.c', nested: { x: [1, 2] } }),
          priority: 7,
          maxAttempts: 5,
          key: 'k1',
          timeoutMs: 1234,
        });
        assert.ok(job);
        assert.equal(typeof job.id, 'string');
        assert.equal(job.task, 'email');
        assert.equal(job.queue, 'emails');
        assert.equal(job.state, 'available');
        assert.deepEqual(job.input, { to: 'a@b.c', nested: { x: [1, 2] } });
        assert.equal(job.priority, 7);
        assert.equal(job.maxAttempts, 5);
        assert.equal(job.attempt, 0);
        assert.equal(job.key, 'k1');
        assert.equal(job.timeoutMs, 1234);
        assert.equal(job.createdAt, T0);
        assert.equal(job.runAt, T0);
        assert.deepEqual(job.errors, []);
        assert.equal(job.result, null);
        assert.deepEqual(await store.getJob({ id: job.id }), job);
      });

      test('a future run time makes the job scheduled', async () => {
        const [job] = await enqueue({ runAt: T0 + 60_000 });
        assert.equal(job!.state, 'scheduled');
      });

      test('enqueue of many keeps their order and gives distinct ids', async () => {
        const jobs = await enqueue(
          ...Array.from({ length: 50 }, (_, n) => ({ input: JSON.stringify({ n }) })),
        );
        assert.equal(new Set(jobs.map((j) => j.id)).size, 50);
        assert.deepEqual(
          jobs.map((j) => (j.input as { n: number }).n),
          Array.from({ length: 50 }, (_, n) => n),
        );
      });

      test('a unique key returns the unfinished job instead of adding one', async () => {
        const [first] = await enqueue({ key: 'welcome:1' });
        const [again] = await store.enqueue({
          now: T0 + 1,
          jobs: [newJob({ key: 'welcome:1', input: '{"n":2}' })],
        });
        assert.equal(again!.duplicate, true);
        assert.equal(again!.job.id, first!.id);
        assert.deepEqual(again!.job.input, { n: 1 });
        assert.equal((await store.listJobs({ key: 'welcome:1' })).jobs.length, 1);
      });

      test('duplicate keys inside one batch resolve to the first', async () => {
        const outcomes = await store.enqueue({ now: T0, jobs: [newJob({ key: 'k' }), newJob({ key: 'k' })] });
        assert.equal(outcomes[0]!.duplicate, false);
        assert.equal(outcomes[1]!.duplicate, true);
        assert.equal(outcomes[1]!.job.id, outcomes[0]!.job.id);
      });

      test('a key is free again once its job has finished', async () => {
        const [first] = await enqueue({ key: 'once' });
        const [held] = await claim();
        assert.equal(held!.id, first!.id);
        assert.deepEqual(
          await store.complete({ now: T0, jobs: [{ id: held!.id, attempt: 1, result: null }] }),
          [true],
        );
        const [second] = await store.enqueue({ now: T0, jobs: [newJob({ key: 'once' })] });
        assert.equal(second!.duplicate, false);
        assert.notEqual(second!.job.id, first!.id);
      });

      test('the backlog limit refuses the whole batch and stores nothing', async () => {
        await store.updateQueue({ now: T0, name: 'small', backlogLimit: 3 });
        await enqueue({ queue: 'small' }, { queue: 'small' });
        await assert.rejects(
          store.enqueue({ now: T0, jobs: [newJob({ queue: 'small' }), newJob({ queue: 'small' })] }),
          (error: unknown) => error instanceof QueueFullError && error.retryAfter >= 1,
        );
        assert.equal((await store.listJobs({ queue: 'small' })).jobs.length, 2);
        await enqueue({ queue: 'small' });
        assert.equal((await store.listJobs({ queue: 'small' })).jobs.length, 3);
      });

      test('enqueue wakes listeners of the queue', async () => {
        const woken: string[] = [];
        const off = store.notifier.onJobsAvailable((queue) => woken.push(queue));
        await enqueue({ queue: 'wake-me' });
        for (let i = 0; i < 100 && !woken.includes('wake-me'); i++)
          await new Promise((r) => setTimeout(r, 20));
        off();
        assert.ok(woken.includes('wake-me'));
      });
    });

    describe('claim', () => {
      test('claims in order of priority, then run time, then arrival', async () => {
        const [a, b, c, d] = await enqueue(
          { priority: 0, runAt: T0 - 10 },
          { priority: 5, runAt: T0 - 1 },
          { priority: 0, runAt: T0 - 20 },
          { priority: 0, runAt: T0 - 20 },
        );
        const claimed = await claim(10);
        assert.deepEqual(
          claimed.map((j) => j.id),
          [b!.id, c!.id, d!.id, a!.id],
        );
      });

      test('a claim leases the job to the worker', async () => {
        await enqueue({});
        const [job] = await claim(1, T0 + 5, { workerId: 'worker-a' });
        assert.equal(job!.state, 'active');
        assert.equal(job!.attempt, 1);
        assert.equal(job!.workerId, 'worker-a');
        assert.equal(job!.leaseExpiresAt, T0 + 5 + LEASE);
        assert.equal(job!.startedAt, T0 + 5);
      });

      test('claims at most `limit` jobs and never one twice', async () => {
        await enqueue(...Array.from({ length: 25 }, () => ({})));
        const [x, y, z] = await Promise.all([claim(10), claim(10), claim(10)]);
        const ids = [...x!, ...y!, ...z!].map((j) => j.id);
        assert.equal(ids.length, 25);
        assert.equal(new Set(ids).size, 25);
        assert.ok(x!.length <= 10 && y!.length <= 10 && z!.length <= 10);
        assert.equal((await claim(10)).length, 0);
      });

      test('scheduled jobs are claimed only once due', async () => {
        await enqueue({ runAt: T0 + 1000 });
        assert.equal((await claim(10, T0 + 999)).length, 0);
        assert.equal((await claim(10, T0 + 1000)).length, 1);
      });

      test('claims only from the queues asked for; none means all', async () => {
        await enqueue({ queue: 'a' }, { queue: 'b' }, { queue: 'c' });
        const fromA = await claim(10, T0, { queues: ['a', 'b'] });
        assert.deepEqual(fromA.map((j) => j.queue).sort(), ['a', 'b']);
        const rest = await claim(10, T0);
        assert.deepEqual(
          rest.map((j) => j.queue),
          ['c'],
        );
      });

      test('a claim of several queues, or of all, takes their first jobs overall in claim order', async () => {
        // One queue ahead of the others, so a merge must read it past its first page.
        const specs = [
          ...Array.from({ length: 50 }, (_, i) => ({ queue: 'a', priority: 5, runAt: T0 - 100 + i })),
          ...Array.from({ length: 20 }, (_, i) => ({
            queue: 'b',
            priority: i % 2 === 0 ? 5 : 0,
            runAt: T0 - 90 + i,
          })),
          ...Array.from({ length: 20 }, (_, i) => ({ queue: 'c', priority: 0, runAt: T0 - 95 + i })),
        ];
        const jobs = await enqueue(...specs);
        const order = jobs
          .map((job, i) => ({ id: job!.id, ...specs[i]! }))
          .sort((x, y) => y.priority - x.priority || x.runAt - y.runAt || Number(x.id) - Number(y.id))
          .map((j) => j.id);
        const named = await claim(40, T0, { queues: ['a', 'b', 'c'] });
        assert.deepEqual(
          named.map((j) => j.id),
          order.slice(0, 40),
        );
        const all = await claim(40, T0);
        assert.deepEqual(
          all.map((j) => j.id),
          order.slice(40, 80),
        );
      });

      test('a paused queue is not claimed until resumed', async () => {
        await enqueue({ queue: 'p' }, { queue: 'q' });
        const settings = await store.updateQueue({ now: T0, name: 'p', paused: true });
        assert.equal(settings.paused, true);
        assert.deepEqual(
          (await claim(10)).map((j) => j.queue),
          ['q'],
        );
        await store.updateQueue({ now: T0, name: 'p', paused: false });
        assert.deepEqual(
          (await claim(10)).map((j) => j.queue),
          ['p'],
        );
      });
    });

    describe('leases and fencing', () => {
      test('renew extends held leases and reports lost ones', async () => {
        await enqueue({}, {});
        const [a, b] = await claim(2);
        const outcome = await store.renewLeases({
          now: T0 + 10_000,
          workerId: 'w1',
          leaseMs: LEASE,
          jobs: [
            { id: a!.id, attempt: 1 },
            { id: b!.id, attempt: 2 },
          ],
        });
        assert.deepEqual(outcome.lost, [b!.id]);
        assert.equal((await store.getJob({ id: a!.id }))!.leaseExpiresAt, T0 + 10_000 + LEASE);
        const other = await store.renewLeases({
          now: T0,
          workerId: 'w2',
          leaseMs: LEASE,
          jobs: [{ id: a!.id, attempt: 1 }],
        });
        assert.deepEqual(other.lost, [a!.id]);
      });

      test('complete stores the result; a second completion is refused', async () => {
        await enqueue({});
        const [job] = await claim(1);
        const done = await store.complete({
          now: T0 + 7,
          jobs: [{ id: job!.id, attempt: 1, result: '{"ok":true}' }],
        });
        assert.deepEqual(done, [true]);
        const stored = await store.getJob({ id: job!.id });
        assert.equal(stored!.state, 'completed');
        assert.deepEqual(stored!.result, { ok: true });
        assert.equal(stored!.finishedAt, T0 + 7);
        assert.equal(stored!.leaseExpiresAt, null);
        assert.deepEqual(
          await store.complete({ now: T0, jobs: [{ id: job!.id, attempt: 1, result: null }] }),
          [false],
        );
      });

      test('a worker whose lease expired cannot complete, fail, or write progress', async () => {
        await enqueue({});
        const [job] = await claim(1, T0, { workerId: 'old' });
        const reclaimed = await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 10 });
        assert.deepEqual(reclaimed.retried, [job!.id]);
        const [again] = await claim(1, T0 + LEASE + 2, { workerId: 'new' });
        assert.equal(again!.attempt, 2);
        const fence = { id: job!.id, attempt: 1 };
        assert.deepEqual(await store.complete({ now: T0, jobs: [{ ...fence, result: '"late"' }] }), [false]);
        assert.deepEqual(
          await store.fail({ now: T0, jobs: [{ ...fence, error: attemptError(1), retryAt: null }] }),
          [false],
        );
        assert.equal(await store.setProgress({ ...fence, now: T0, progress: '50' }), false);
        assert.deepEqual(await store.markCancelled({ now: T0, jobs: [fence] }), [false]);
        assert.deepEqual(await store.release({ now: T0, jobs: [fence] }), [false]);
        await store.appendLogs({ lines: [{ ...fence, at: T0, level: 'info', message: 'late' }] });
        assert.equal((await store.getLogs({ id: job!.id })).length, 0);
        const current = await store.getJob({ id: job!.id });
        assert.equal(current!.state, 'active');
        assert.equal(current!.workerId, 'new');
        assert.deepEqual(
          await store.complete({ now: T0, jobs: [{ id: job!.id, attempt: 2, result: '1' }] }),
          [true],
        );
      });

      test('batched completions are fenced one by one', async () => {
        await enqueue({}, {}, {});
        const [a, b, c] = await claim(3);
        const done = await store.complete({
          now: T0,
          jobs: [
            { id: a!.id, attempt: 1, result: '1' },
            { id: b!.id, attempt: 9, result: '2' },
            { id: c!.id, attempt: 1, result: '3' },
          ],
        });
        assert.deepEqual(done, [true, false, true]);
        assert.equal((await store.getJob({ id: b!.id }))!.state, 'active');
      });
    });

    describe('failures, retries and reclaim', () => {
      test('fail with a retry time schedules the next attempt and keeps the error', async () => {
        await enqueue({});
        const [job] = await claim(1);
        const error = { ...attemptError(1, 'smtp down'), code: 'E_SMTP', stack: 'Error: smtp down\n  at x' };
        assert.deepEqual(
          await store.fail({ now: T0, jobs: [{ id: job!.id, attempt: 1, error, retryAt: T0 + 5000 }] }),
          [true],
        );
        const stored = await store.getJob({ id: job!.id });
        assert.equal(stored!.state, 'scheduled');
        assert.equal(stored!.runAt, T0 + 5000);
        assert.deepEqual(stored!.errors, [error]);
        assert.equal((await claim(1, T0 + 4999)).length, 0);
        const [second] = await claim(1, T0 + 5000);
        assert.equal(second!.attempt, 2);
      });

      test('fail with a retry time already due makes the job available', async () => {
        await enqueue({});
        const [job] = await claim(1);
        await store.fail({
          now: T0 + 10,
          jobs: [{ id: job!.id, attempt: 1, error: attemptError(1), retryAt: T0 + 10 }],
        });
        assert.equal((await store.getJob({ id: job!.id }))!.state, 'available');
      });

      test('fail without a retry time ends the job failed with every error kept', async () => {
        await enqueue({ maxAttempts: 2 });
        let [job] = await claim(1);
        await store.fail({
          now: T0,
          jobs: [{ id: job!.id, attempt: 1, error: attemptError(1, 'one'), retryAt: T0 }],
        });
        [job] = await claim(1);
        await store.fail({
          now: T0 + 1,
          jobs: [{ id: job!.id, attempt: 2, error: attemptError(2, 'two'), retryAt: null }],
        });
        const stored = await store.getJob({ id: job!.id });
        assert.equal(stored!.state, 'failed');
        assert.equal(stored!.finishedAt, T0 + 1);
        assert.deepEqual(
          stored!.errors.map((e) => e.message),
          ['one', 'two'],
        );
      });

      test('reclaim returns expired leases to the queue as a failed attempt', async () => {
        await enqueue({}, {});
        const [a, b] = await claim(2);
        await store.renewLeases({
          now: T0 + 20_000,
          workerId: 'w1',
          leaseMs: LEASE,
          jobs: [{ id: b!.id, attempt: 1 }],
        });
        assert.deepEqual(await store.reclaimExpired({ now: T0 + LEASE - 1, limit: 10 }), {
          retried: [],
          failed: [],
        });
        const outcome = await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 10 });
        assert.deepEqual(outcome, { retried: [a!.id], failed: [] });
        const stored = await store.getJob({ id: a!.id });
        assert.equal(stored!.state, 'available');
        assert.equal(stored!.errors.length, 1);
        assert.equal(stored!.errors[0]!.code, 'DOCKET_LEASE_LOST');
        assert.match(stored!.errors[0]!.message, /lease expired/);
        assert.equal((await store.getJob({ id: b!.id }))!.state, 'active');
      });

      test('a reclaimed job keeps its place in line', async () => {
        const [first] = await enqueue({ runAt: T0 - 100 });
        await claim(1);
        await store.enqueue({ now: T0 + 1, jobs: [newJob({ runAt: T0 + 1 })] });
        await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 10 });
        const [next] = await claim(1, T0 + LEASE + 2);
        assert.equal(next!.id, first!.id);
        assert.equal(next!.runAt, T0 - 100);
      });

      test('reclaim fails a job that has no attempts left', async () => {
        await enqueue({ maxAttempts: 1 });
        const [job] = await claim(1);
        const outcome = await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 10 });
        assert.deepEqual(outcome, { retried: [], failed: [job!.id] });
        assert.equal((await store.getJob({ id: job!.id }))!.state, 'failed');
      });

      test('reclaim takes at most `limit` jobs per call', async () => {
        await enqueue({}, {}, {});
        await claim(3);
        const first = await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 2 });
        assert.equal(first.retried.length, 2);
        const second = await store.reclaimExpired({ now: T0 + LEASE + 1, limit: 2 });
        assert.equal(second.retried.length, 1);
      });

      test('release hands a job back without using up an attempt', async () => {
        await enqueue({ maxAttempts: 1 });
        const [job] = await claim(1);
        assert.deepEqual(await store.release({ now: T0 + 3, jobs: [{ id: job!.id, attempt: 1 }] }), [true]);
        const stored = await store.getJob({ id: job!.id });
        assert.equal(stored!.state, 'available');
        assert.equal(stored!.maxAttempts, 2);
        const [again] = await claim(1, T0 + 4);
        assert.equal(again!.attempt, 2);
      });

      test('retry puts a failed job back with one more attempt', async () => {
        await enqueue({ maxAttempts: 1 });
        const [job] = await claim(1);
        await store.fail({
          now: T0,
          jobs: [{ id: job!.id, attempt: 1, error: attemptError(1), retryAt: null }],
        });
        const outcome = await store.retry({ now: T0 + 100, id: job!.id });
        assert.equal(outcome!.changed, true);
        assert.equal(outcome!.job.state, 'available');
        assert.equal(outcome!.job.finishedAt, null);
        assert.ok(outcome!.job.maxAttempts >= 2);
        assert.equal(outcome!.job.errors.length, 1);
        const [again] = await claim(1, T0 + 100);
        assert.equal(again!.attempt, 2);
      });

      test('retry refuses jobs that are not failed or cancelled', async () => {
        const [job] = await enqueue({});
        const outcome = await store.retry({ now: T0, id: job!.id });
        assert.equal(outcome!.changed, false);
        assert.equal(outcome!.job.state, 'available');
        assert.equal(await store.retry({ now: T0, id: '999999999' }), null);
      });
    });

    describe('cancel', () => {
      test('a waiting job is cancelled at once', async () => {
        const [now, later] = await enqueue({}, { runAt: T0 + 60_000 });
        for (const job of [now!, later!]) {
          const outcome = await store.cancel({ now: T0 + 1, id: job.id });
          assert.equal(outcome!.changed, true);
          assert.equal(outcome!.job.state, 'cancelled');
          assert.equal(outcome!.job.finishedAt, T0 + 1);
        }
        assert.equal((await claim(10, T0 + 100_000)).length, 0);
      });

      test('a running job gets a cancel request, reported on renew and notified', async () => {
        await enqueue({});
        const [job] = await claim(1);
        const notified: string[] = [];
        const off = store.notifier.onCancelRequested((id) => notified.push(id));
        const outcome = await store.cancel({ now: T0, id: job!.id });
        assert.equal(outcome!.changed, true);
        assert.equal(outcome!.job.state, 'active');
        assert.equal(outcome!.job.cancelRequested, true);
        const renewed = await store.renewLeases({
          now: T0,
          workerId: 'w1',
          leaseMs: LEASE,
          jobs: [{ id: job!.id, attempt: 1 }],
        });
        assert.deepEqual(renewed.cancelRequested, [job!.id]);
        for (let i = 0; i < 100 && !notified.includes(job!.id); i++)
          await new Promise((r) => setTimeout(r, 20));
        off();
        assert.ok(notified.includes(job!.id));
        assert.deepEqual(await store.markCancelled({ now: T0 + 2, jobs: [{ id: job!.id, attempt: 1 }] }), [
          true,
        ]);
        assert.equal((await store.getJob({ id: job!.id }))!.state, 'cancelled');
      });

      test('a finished job cannot be cancelled; an unknown one is null', async () => {
        await enqueue({});
        const [job] = await claim(1);
        await store.complete({ now: T0, jobs: [{ id: job!.id, attempt: 1, result: null }] });
        const outcome = await store.cancel({ now: T0, id: job!.id });
        assert.equal(outcome!.changed, false);
        assert.equal(outcome!.job.state, 'completed');
        assert.equal(await store.cancel({ now: T0, id: '999999999' }), null);
      });

      test('a cancelled job can be retried', async () => {
        const [job] = await enqueue({});
        await store.cancel({ now: T0, id: job!.id });
        const outcome = await store.retry({ now: T0, id: job!.id });
        assert.equal(outcome!.job.state, 'available');
        assert.equal(outcome!.job.cancelRequested, false);
      });
    });

    describe('progress, logs and delete', () => {
      test('progress and logs are kept on the running job', async () => {
        await enqueue({});
        const [job] = await claim(1);
        const fence = { id: job!.id, attempt: 1 };
        assert.equal(await store.setProgress({ ...fence, now: T0, progress: '{"done":3,"of":10}' }), true);
        await store.appendLogs({
          lines: [
            { ...fence, at: T0, level: 'info', message: 'first' },
            { ...fence, at: T0 + 1, level: 'warn', message: 'second' },
            { ...fence, at: T0 + 2, level: 'error', message: 'third' },
          ],
        });
        assert.deepEqual((await store.getJob({ id: job!.id }))!.progress, { done: 3, of: 10 });
        const logs = await store.getLogs({ id: job!.id });
        assert.deepEqual(
          logs.map((l) => [l.level, l.message, l.attempt]),
          [
            ['info', 'first', 1],
            ['warn', 'second', 1],
            ['error', 'third', 1],
          ],
        );
        const after = await store.getLogs({ id: job!.id, afterSeq: logs[0]!.seq, limit: 1 });
        assert.deepEqual(
          after.map((l) => l.message),
          ['second'],
        );
      });

      test('delete removes a finished or waiting job with its logs, never a running one', async () => {
        const [waiting, running] = await enqueue({ priority: -1 }, { priority: 1 });
        const [held] = await claim(1);
        assert.equal(held!.id, running!.id);
        await store.appendLogs({
          lines: [{ id: held!.id, attempt: 1, at: T0, level: 'info', message: 'x' }],
        });
        assert.equal(await store.deleteJob({ now: T0, id: running!.id }), 'running');
        assert.equal(await store.deleteJob({ now: T0, id: waiting!.id }), 'deleted');
        assert.equal(await store.getJob({ id: waiting!.id }), null);
        await store.complete({ now: T0, jobs: [{ id: held!.id, attempt: 1, result: null }] });
        assert.equal(await store.deleteJob({ now: T0, id: held!.id }), 'deleted');
        assert.equal((await store.getLogs({ id: held!.id })).length, 0);
        assert.equal(await store.deleteJob({ now: T0, id: held!.id }), 'not-found');
      });
    });

    describe('listing and counting', () => {
      test('list filters by state, queue, task and key, newest first', async () => {
        await enqueue(
          { queue: 'a', task: 't1' },
          { queue: 'a', task: 't2', key: 'kk' },
          { queue: 'b', task: 't1', runAt: T0 + 1000 },
        );
        const all = await store.listJobs({});
        assert.equal(all.jobs.length, 3);
        assert.ok(Number(all.jobs[0]!.id) > Number(all.jobs[2]!.id));
        assert.equal((await store.listJobs({ queue: 'a' })).jobs.length, 2);
        assert.equal((await store.listJobs({ task: 't1' })).jobs.length, 2);
        assert.equal((await store.listJobs({ key: 'kk' })).jobs.length, 1);
        assert.equal((await store.listJobs({ states: ['scheduled'] })).jobs.length, 1);
        assert.equal(
          (await store.listJobs({ states: ['scheduled', 'available'], queue: 'a', task: 't1' })).jobs.length,
          1,
        );
      });

      test('list finds jobs by text in their input; a foreign cursor is refused', async () => {
        await enqueue(
          { input: JSON.stringify({ to: 'Ada@Example.com' }) },
          { input: JSON.stringify({ to: 'grace@example.com' }) },
        );
        const found = await store.listJobs({ text: 'ada@example' });
        assert.deepEqual(
          found.jobs.map((j) => j.input),
          [{ to: 'Ada@Example.com' }],
        );
        assert.equal((await store.listJobs({ text: 'example.com' })).jobs.length, 2);
        assert.equal((await store.listJobs({ text: 'nobody' })).jobs.length, 0);
        await assert.rejects(store.listJobs({ cursor: 'abc' }), { code: 'DOCKET_INVALID_ARGUMENT' });
      });

      test('the cursor pages through every job exactly once', async () => {
        await enqueue(...Array.from({ length: 23 }, () => ({})));
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const result = await store.listJobs({ limit: 5, ...(cursor ? { cursor } : {}) });
          seen.push(...result.jobs.map((j) => j.id));
          if (!result.nextCursor) break;
          cursor = result.nextCursor;
        }
        assert.equal(seen.length, 23);
        assert.equal(new Set(seen).size, 23);
      });

      test('counts per queue and state', async () => {
        await enqueue({ queue: 'a' }, { queue: 'a' }, { queue: 'b', runAt: T0 + 5 });
        await claim(1, T0, { queues: ['a'] });
        const counts = await store.countJobs();
        const a = counts.find((c) => c.queue === 'a')!;
        const b = counts.find((c) => c.queue === 'b')!;
        assert.deepEqual(a.counts, {
          scheduled: 0,
          available: 1,
          active: 1,
          completed: 0,
          failed: 0,
          cancelled: 0,
        });
        assert.equal(b.counts.scheduled, 1);
        assert.deepEqual(
          (await store.countJobs({ queue: 'b' })).map((c) => c.queue),
          ['b'],
        );
      });

      test('queues list settings, counts, the oldest waiting job and the drain rate', async () => {
        await enqueue({ queue: 'q', runAt: T0 - 500 }, { queue: 'q' });
        const [job] = await claim(1, T0, { queues: ['q'] });
        await store.complete({ now: T0 + 10, jobs: [{ id: job!.id, attempt: 1, result: null }] });
        await store.updateQueue({ now: T0, name: 'settings-only', backlogLimit: 10 });
        const queues = await store.listQueues({ now: T0 + 20 });
        const q = queues.find((x) => x.name === 'q')!;
        assert.equal(q.counts.available, 1);
        assert.equal(q.counts.completed, 1);
        assert.equal(q.oldestAvailableAt, T0);
        assert.equal(q.finishedLastMinute, 1);
        assert.equal(q.paused, false);
        const s = queues.find((x) => x.name === 'settings-only')!;
        assert.equal(s.backlogLimit, 10);
      });

      test('queue settings keep what an update leaves out and clear with null', async () => {
        await store.updateQueue({ now: T0, name: 'x', backlogLimit: 5 });
        let settings = await store.updateQueue({ now: T0, name: 'x', paused: true });
        const flow = { concurrency: null, rate: null, groupConcurrency: null, groupRate: null, fair: false };
        assert.deepEqual(settings, { name: 'x', paused: true, backlogLimit: 5, flow });
        settings = await store.updateQueue({ now: T0, name: 'x', backlogLimit: null });
        assert.deepEqual(settings, { name: 'x', paused: true, backlogLimit: null, flow });
      });
    });

    // -------------------------------------------------------------------
    // Flow control (issue #9): cluster-wide limits enforced inside claim.
    // Two worker ids stand for two hosts; the injected `now` moves the
    // token buckets.
    // -------------------------------------------------------------------
    describe('flow control', () => {
      const complete = (job: { id: string; attempt: number }, now = T0) =>
        store.complete({ now, jobs: [{ id: job.id, attempt: job.attempt, result: null }] });
      const many = (n: number, extra: Partial<NewJob> = {}) =>
        enqueue(
          ...Array.from({ length: n }, (_, i) => ({ queue: 'q', input: JSON.stringify({ i }), ...extra })),
        );

      test('enqueue stores the group; jobs without one have null', async () => {
        const [a, b] = await enqueue({ group: 'tenant-42' }, {});
        assert.equal(a!.group, 'tenant-42');
        assert.equal(b!.group, null);
        assert.equal((await store.getJob({ id: a!.id }))!.group, 'tenant-42');
      });

      test('global concurrency holds across two workers', async () => {
        await store.updateQueue({ now: T0, name: 'q', concurrency: 3 });
        await many(10);
        const first = await claim(5, T0, { queues: ['q'], workerId: 'host-a' });
        const second = await claim(5, T0, { queues: ['q'], workerId: 'host-b' });
        assert.equal(first.length, 3);
        assert.equal(second.length, 0);
        const any = await claim(5, T0, { workerId: 'host-b' });
        assert.equal(any.length, 0, 'a claim of every queue respects the limit too');
        await complete(first[0]!);
        const third = await claim(5, T0, { queues: ['q'], workerId: 'host-b' });
        assert.equal(third.length, 1);
      });

      test('rate limit: tokens refill as now moves', async () => {
        await store.updateQueue({ now: T0, name: 'q', rate: { limit: 2, periodMs: 1000, burst: null } });
        await many(10);
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 2);
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 0);
        assert.equal((await claim(10, T0 + 499, { queues: ['q'] })).length, 0);
        assert.equal((await claim(10, T0 + 500, { queues: ['q'] })).length, 1);
        assert.equal((await claim(10, T0 + 1000, { queues: ['q'] })).length, 1);
        // A long quiet spell refills only up to the burst (= limit).
        assert.equal((await claim(10, T0 + 60_000, { queues: ['q'] })).length, 2);
      });

      test('group concurrency: one at a time per group', async () => {
        await store.updateQueue({ now: T0, name: 'q', groupConcurrency: 1 });
        await many(3, { group: 'a' });
        await many(2, { group: 'b' });
        await many(2);
        const first = await claim(10, T0, { queues: ['q'] });
        const groups = first.map((j) => j.group).sort();
        // One of a, one of b, and the ungrouped jobs (exempt from group limits).
        assert.deepEqual(groups, ['a', 'b', null, null].sort());
        assert.equal((await claim(10, T0, { queues: ['q'], workerId: 'w2' })).length, 0);
        await complete(first.find((j) => j.group === 'a')!);
        const next = await claim(10, T0, { queues: ['q'], workerId: 'w2' });
        assert.deepEqual(
          next.map((j) => j.group),
          ['a'],
        );
      });

      test('jobs without a group are claimed when their queue begins to walk groups, and after a retry', async () => {
        // Jobs without a group stored before the queue had group limits, one
        // of them already failed; the walk must still find them all.
        const [failing] = await many(1);
        const [running] = await claim(1, T0, { queues: ['q'] });
        assert.equal(running!.id, failing!.id);
        await store.fail({
          now: T0,
          jobs: [{ id: running!.id, attempt: 1, error: attemptError(1), retryAt: null }],
        });
        const waiting = await many(3);
        await many(2, { group: 'a' });
        await store.updateQueue({ now: T0, name: 'q', groupConcurrency: 1 });
        const first = await claim(10, T0, { queues: ['q'] });
        assert.deepEqual(
          first.map((j) => j.group).sort(),
          ['a', null, null, null].sort(),
          'the jobs without a group and one of group a',
        );
        assert.deepEqual(
          first
            .filter((j) => j.group === null)
            .map((j) => j.id)
            .sort(),
          waiting.map((j) => j.id).sort(),
        );
        assert.equal((await store.getJob({ id: waiting[0]!.id }))!.group, null);
        assert.notEqual(await store.retry({ now: T0 + 1, id: failing!.id }), null);
        const again = await claim(10, T0 + 1, { queues: ['q'], workerId: 'w2' });
        assert.deepEqual(
          again.map((j) => [j.id, j.group]),
          [[failing!.id, null]],
          'the retried job without a group (group a is still at its limit)',
        );
        // Jobs without a group have no group limits to wait for.
        await many(1);
        const [late] = await many(1);
        await claim(1, T0 + 1, { queues: ['q'], workerId: 'w3' });
        const reasons = await store.holdReasons({ now: T0 + 1, ids: [late!.id] });
        assert.deepEqual(reasons[late!.id], []);
      });

      test('group limits hold through claims of every size at every pace (seeded random walk)', async () => {
        // Claims small enough after quiet spells take the fast path (no group
        // counts or buckets read or written); larger or quicker ones read
        // buckets some of those claims left unwritten. No group may pass its
        // concurrency or its token bucket either way, and every job runs.
        const period = 1000;
        await store.updateQueue({
          now: T0,
          name: 'q',
          groupConcurrency: 4,
          groupRate: { limit: 3, periodMs: period, burst: 3 },
        });
        const groups = ['a', 'b', 'c', 'd'];
        for (const group of groups) await many(12, { group });
        await many(4);
        let seed = 42;
        const random = () => {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          return seed / 2147483648;
        };
        const active = new Map<string, { id: string; attempt: number; group: string | null }>();
        const starts = new Map<string, number[]>(groups.map((g) => [g, []]));
        let now = T0;
        let done = 0;
        for (let step = 0; done < 52 && step < 2000; step++) {
          now += Math.floor(random() * (step < 300 ? 700 : 3000));
          const finished = [...active.values()].filter(() => random() < 0.6);
          for (const job of finished) {
            assert.deepEqual(await complete(job, now), [true]);
            active.delete(job.id);
            done++;
          }
          const jobs = await claim(1 + Math.floor(random() * 6), now, { queues: ['q'] });
          for (const job of jobs) {
            active.set(job.id, { id: job.id, attempt: job.attempt, group: job.group });
            if (job.group !== null) starts.get(job.group)!.push(now);
          }
          for (const group of groups) {
            const running = [...active.values()].filter((j) => j.group === group).length;
            assert.ok(running <= 4, `group ${group}: ${running} running at step ${step}`);
          }
        }
        assert.equal(done, 52, 'every job ran');
        for (const [group, times] of starts) {
          // A bucket of 3 refilled at 3 a second: no stretch of starts holds more.
          for (let i = 0; i < times.length; i++)
            for (let j = i; j < times.length; j++) {
              const allowed = 3 + (3 * (times[j]! - times[i]!)) / period;
              assert.ok(
                j - i + 1 <= allowed + 1e-9,
                `group ${group}: ${j - i + 1} starts in ${times[j]! - times[i]!} ms`,
              );
            }
        }
      });

      test('group concurrency holds for claims small enough for the fast path', async () => {
        await store.updateQueue({ now: T0, name: 'q', groupConcurrency: 1 });
        await many(3, { group: 'a' });
        const [first] = await claim(1, T0, { queues: ['q'] });
        assert.equal(first!.group, 'a');
        assert.deepEqual(await claim(1, T0, { queues: ['q'], workerId: 'w2' }), []);
        await complete(first!);
        assert.equal((await claim(1, T0, { queues: ['q'], workerId: 'w2' }))[0]!.group, 'a');
      });

      test('a group rate token taken on the fast path is not given again', async () => {
        // 1 start a second per group. The second claim finds the group floor
        // full and takes b's first job without writing b's bucket; the third,
        // which walks to b, must still know b has no token left.
        await store.updateQueue({ now: T0, name: 'q', groupRate: { limit: 1, periodMs: 1000, burst: 1 } });
        await many(3, { group: 'a' });
        await many(3, { group: 'b' });
        const groupsOf = (jobs: { group: string | null }[]) => jobs.map((j) => j.group);
        assert.deepEqual(groupsOf(await claim(1, T0, { queues: ['q'] })), ['a']);
        assert.deepEqual(groupsOf(await claim(1, T0 + 2000, { queues: ['q'] })), ['b']);
        const third = await claim(2, T0 + 2000, { queues: ['q'] });
        assert.ok(!groupsOf(third).includes('b'), 'b started twice within its second');
        // A second on, each group has a token again.
        const later = await claim(10, T0 + 3000 + 1, { queues: ['q'] });
        assert.ok(groupsOf(later).includes('b'));
        assert.ok(groupsOf(later).filter((g) => g === 'b').length <= 1);
      });

      test('group rate limit per group', async () => {
        await store.updateQueue({
          now: T0,
          name: 'q',
          groupRate: { limit: 1, periodMs: 1000, burst: null },
        });
        await many(3, { group: 'a' });
        await many(3, { group: 'b' });
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 2);
        assert.equal((await claim(10, T0 + 999, { queues: ['q'] })).length, 0);
        assert.equal((await claim(10, T0 + 1000, { queues: ['q'] })).length, 2);
      });

      test('fairness: claims go round-robin between groups', async () => {
        await store.updateQueue({ now: T0, name: 'q', fair: true });
        await many(30, { group: 'big' });
        await many(2, { group: 'small-1' });
        await many(2, { group: 'small-2' });
        const order: (string | null)[] = [];
        for (let i = 0; i < 6; i++) order.push((await claim(1, T0, { queues: ['q'] }))[0]!.group);
        assert.equal(order.filter((g) => g === 'small-1').length, 2, order.join());
        assert.equal(order.filter((g) => g === 'small-2').length, 2, order.join());
        const batch = await claim(3, T0, { queues: ['q'] });
        assert.deepEqual(
          batch.map((j) => j.group),
          ['big', 'big', 'big'],
        );
      });

      test('round-robin goes through the groups in key order from the one served last', async () => {
        await store.updateQueue({ now: T0, name: 'q', fair: true });
        await many(3, { group: 'c' });
        await many(2, { group: 'a' });
        await many(1);
        await many(3, { group: 'b' });
        const next = async () => {
          const [job] = await claim(1, T0, { queues: ['q'] });
          return job === undefined ? 'none' : (job.group ?? '');
        };
        const order: string[] = [];
        for (let i = 0; i < 4; i++) order.push(await next());
        // Jobs without a group come first in the cycle, then the keys in order.
        assert.deepEqual(order, ['', 'a', 'b', 'c']);
        // A group that appears behind the cursor waits at most one cycle:
        // it is served before any group served since comes round again.
        await many(2, { group: 'ab' });
        for (let i = 0; i < 4; i++) order.push(await next());
        assert.deepEqual(order.slice(4), ['a', 'ab', 'b', 'c']);
        // A claim of many starts after the cursor ('c') too and wraps around;
        // 'a' is empty, so 'ab', 'b' and 'c' take their last jobs.
        const batch = await claim(4, T0, { queues: ['q'] });
        const per = (g: string) => batch.filter((j) => j.group === g).length;
        assert.deepEqual([per('a'), per('ab'), per('b'), per('c')], [0, 1, 1, 1]);
        assert.equal(batch.length, 3);
        assert.equal(await next(), 'none');
      });

      test('a claim of many starts after the group served last', async () => {
        await store.updateQueue({ now: T0, name: 'q', fair: true });
        await many(10, { group: 'a' });
        await many(10, { group: 'b' });
        await many(10, { group: 'c' });
        const groups = async (limit: number) =>
          (await claim(limit, T0, { queues: ['q'] })).map((j) => j.group).sort();
        assert.deepEqual(await groups(2), ['a', 'b']);
        // From 'c', wrapping to 'a' and 'b', then 'c' again: the last job taken moves the cursor.
        assert.deepEqual(await groups(4), ['a', 'b', 'c', 'c']);
        assert.deepEqual(await groups(2), ['a', 'b']);
        assert.deepEqual(await groups(1), ['c']);
      });

      test('one claim of many interleaves groups', async () => {
        await store.updateQueue({ now: T0, name: 'q', fair: true });
        await many(30, { group: 'big' });
        await many(3, { group: 'small' });
        const batch = await claim(6, T0, { queues: ['q'] });
        assert.equal(batch.filter((j) => j.group === 'small').length, 3);
      });

      test('short groups leave their share to the long ones, within their group limits', async () => {
        // A claim reads each group's fair share first; groups with fewer jobs
        // leave budget over, which the groups that have more must fill.
        await store.updateQueue({ now: T0, name: 'q', groupConcurrency: 8 });
        await many(12, { group: 'long' });
        await many(1, { group: 'short-1' });
        await many(1, { group: 'short-2' });
        await many(3, { group: 'mid' });
        const batch = await claim(14, T0, { queues: ['q'] });
        const per = (g: string) => batch.filter((j) => j.group === g).length;
        assert.deepEqual([per('long'), per('mid'), per('short-1'), per('short-2')], [8, 3, 1, 1]);
        // 'long' is at its limit of 8 and every other group is empty.
        assert.equal((await claim(14, T0, { queues: ['q'] })).length, 0);
      });

      test('a limit change takes effect on the next claim', async () => {
        await store.updateQueue({ now: T0, name: 'q', concurrency: 1 });
        await many(6);
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 1);
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 0);
        const settings = await store.updateQueue({ now: T0, name: 'q', concurrency: 3 });
        assert.equal(settings.flow.concurrency, 3);
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 2);
        await store.updateQueue({ now: T0, name: 'q', concurrency: null });
        assert.equal(
          (await store.listQueues({ now: T0 })).find((x) => x.name === 'q')!.flow.concurrency,
          null,
        );
        assert.equal((await claim(10, T0, { queues: ['q'] })).length, 3);
      });

      test('a paused limited queue is not claimed', async () => {
        await store.updateQueue({ now: T0, name: 'q', concurrency: 5, paused: true });
        await many(2);
        assert.equal((await claim(10, T0)).length, 0);
        await store.updateQueue({ now: T0, name: 'q', paused: false });
        assert.equal((await claim(10, T0)).length, 2);
      });

      test('held-back jobs report their reason', async () => {
        await store.updateQueue({
          now: T0,
          name: 'q',
          concurrency: 1,
          groupConcurrency: 1,
        });
        const [a1, a2] = await many(2, { group: 'a' });
        const [running] = await claim(10, T0, { queues: ['q'] });
        assert.equal(running!.id, a1!.id);
        const reasons = await store.holdReasons({ now: T0, ids: [a1!.id, a2!.id] });
        assert.deepEqual(reasons[a1!.id], []);
        assert.deepEqual(
          reasons[a2!.id]!.map((r) => r.kind),
          ['concurrency', 'group-concurrency'],
        );
        assert.match(reasons[a2!.id]![1]!.message, /group a at its concurrency limit/);
        const q = (await store.listQueues({ now: T0 })).find((x) => x.name === 'q')!;
        assert.deepEqual(
          q.holding.map((r) => r.kind),
          ['concurrency'],
        );
      });

      test('a rate-limited job says when it may start', async () => {
        await store.updateQueue({ now: T0, name: 'q', rate: { limit: 1, periodMs: 60_000, burst: null } });
        const [, waiting] = await many(2);
        await claim(10, T0, { queues: ['q'] });
        const reasons = await store.holdReasons({ now: T0 + 15_000, ids: [waiting!.id] });
        assert.equal(reasons[waiting!.id]![0]!.kind, 'rate');
        assert.equal(reasons[waiting!.id]![0]!.until, T0 + 60_000);
        assert.match(reasons[waiting!.id]![0]!.message, /waiting for rate limit of queue q/);
      });

      test('time held back by a limit is not waiting time: readyAt moves past it', async () => {
        await store.updateQueue({ now: T0, name: 'q', concurrency: 1 });
        const [first, second] = await many(2);
        const [running] = await claim(10, T0, { queues: ['q'] });
        assert.equal(running!.id, first!.id);
        assert.equal(running!.readyAt, T0);
        assert.equal((await claim(10, T0 + 1000, { queues: ['q'] })).length, 0);
        await complete(running!, T0 + 2000);
        const [next] = await claim(10, T0 + 3000, { queues: ['q'] });
        assert.equal(next!.id, second!.id);
        assert.equal(next!.runAt, T0);
        assert.equal(next!.readyAt, T0 + 1000);
      });

      test('time a group is held by its own limit is not waiting time either', async () => {
        await store.updateQueue({ now: T0, name: 'q', groupConcurrency: 1 });
        const [first, second] = await many(2, { group: 'a' });
        await many(2, { group: 'b' });
        const running = await claim(1, T0, { queues: ['q'] });
        assert.deepEqual(
          running.map((j) => j.id),
          [first!.id],
        );
        // The walk serves 'b', then wraps round to 'a' and passes it (held by
        // its concurrency): that marks the time 'a' was held.
        const served = await claim(2, T0 + 1000, { queues: ['q'] });
        assert.deepEqual(
          served.map((j) => [j.group, j.readyAt]),
          [['b', T0]],
        );
        await complete(running[0]!, T0 + 2000);
        const [next] = await claim(1, T0 + 3000, { queues: ['q'] });
        assert.equal(next!.id, second!.id);
        assert.equal(next!.readyAt, T0 + 1000);
      });

      test('unlimited queues in the same claim are not held by a limited one', async () => {
        await store.updateQueue({ now: T0, name: 'q', concurrency: 1 });
        await many(3);
        await enqueue({ queue: 'free' }, { queue: 'free' });
        const got = await claim(10, T0);
        assert.equal(got.filter((j) => j.queue === 'q').length, 1);
        assert.equal(got.filter((j) => j.queue === 'free').length, 2);
      });
    });

    describe('workers and pruning', () => {
      test('the worker registry keeps heartbeats and drops stale or stopped workers', async () => {
        const worker = (id: string) => ({
          id,
          host: 'h',
          pid: 1,
          queues: ['a'],
          concurrency: 4,
          startedAt: T0,
          heartbeatAt: T0,
          info: { running: 0 },
        });
        await store.heartbeat({ now: T0, worker: worker('w1') });
        await store.heartbeat({ now: T0, worker: worker('w2') });
        await store.heartbeat({ now: T0 + 1000, worker: { ...worker('w1'), info: { running: 3 } } });
        let workers = await store.listWorkers({ now: T0 + 1000 });
        assert.equal(workers.length, 2);
        const w1 = workers.find((w) => w.id === 'w1')!;
        assert.equal(w1.heartbeatAt, T0 + 1000);
        assert.deepEqual(w1.info, { running: 3 });
        assert.deepEqual(w1.queues, ['a']);
        assert.equal(await store.removeWorkers({ staleBefore: T0 + 500 }), 1);
        workers = await store.listWorkers({ now: T0 + 1000 });
        assert.deepEqual(
          workers.map((w) => w.id),
          ['w1'],
        );
        assert.equal(await store.removeWorkers({ ids: ['w1'] }), 1);
        assert.equal((await store.listWorkers({ now: T0 })).length, 0);
      });

      test('prune deletes finished jobs past the cutoff, in batches', async () => {
        await enqueue({}, {}, {}, {});
        const [a, b, c] = await claim(3);
        await store.complete({ now: T0 + 10, jobs: [{ id: a!.id, attempt: 1, result: null }] });
        await store.fail({
          now: T0 + 20,
          jobs: [{ id: b!.id, attempt: 1, error: attemptError(1), retryAt: null }],
        });
        await store.complete({ now: T0 + 1000, jobs: [{ id: c!.id, attempt: 1, result: null }] });
        assert.equal(await store.prune({ now: T0 + 2000, finishedBefore: T0 + 500, limit: 1 }), 1);
        assert.equal(await store.prune({ now: T0 + 2000, finishedBefore: T0 + 500, limit: 10 }), 1);
        assert.equal(await store.prune({ now: T0 + 2000, finishedBefore: T0 + 500, limit: 10 }), 0);
        const left = (await store.listJobs({})).jobs.map((j) => j.state).sort();
        assert.deepEqual(left, ['available', 'completed']);
      });
    });
  });
}
