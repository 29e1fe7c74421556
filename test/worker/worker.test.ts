import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { z } from 'zod';
import { type Docket, defineTask, ManualClock, type Worker } from '../../src/index.js';
import type { Outcome } from '../../src/worker/run-job.js';
import { tempDocket } from '../helpers/docket.js';
import { nextEvent, until } from '../helpers/wait.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(tasks: Parameters<typeof tempDocket>[0] = {}): Promise<Docket> {
  const made = await tempDocket(tasks);
  cleanups.push(made.cleanup);
  return made.docket;
}

/** Resolves with the outcome the worker records for job `id`. */
function outcomeOf(worker: Worker, id: string): Promise<Outcome> {
  return nextEvent<[{ id: string }, Outcome]>(worker, 'job', (job) => job.id === id).then(
    ([, outcome]) => outcome,
  );
}

describe('worker', () => {
  it('runs a job with its context and stores the result', async () => {
    const seen: unknown[] = [];
    const echo = defineTask({
      name: 'echo',
      input: z.object({ text: z.string() }),
      async run(input, ctx) {
        seen.push({ attempt: ctx.attempt, jobId: ctx.jobId, queue: ctx.queue, task: ctx.task });
        ctx.log.info(`echoing ${input.text}`);
        await ctx.progress({ step: 1 });
        return { echoed: input.text.toUpperCase() };
      },
    });
    const docket = await setup({ tasks: [echo] });
    const events: string[] = [];
    docket.events.on((e) => events.push(`${e.type}${e.type === 'state' ? `:${e.state}` : ''}`));
    docket.startWorker({ concurrency: 2 });
    const job = await docket.enqueue(echo, { text: 'hi' });
    const done = await docket.waitFor(job.id);
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.result, { echoed: 'HI' });
    assert.deepEqual(done.progress, { step: 1 });
    assert.deepEqual(seen, [{ attempt: 1, jobId: job.id, queue: 'default', task: 'echo' }]);
    const withLogs = await docket.getJob(job.id, { logs: true });
    await until(async () => (await docket.getLogs(job.id)).length === 1, 'log line stored');
    assert.ok(withLogs);
    assert.deepEqual(
      (await docket.getLogs(job.id)).map((l) => l.message),
      ['echoing hi'],
    );
    assert.deepEqual(events.slice(0, 2), ['enqueued', 'state:active']);
    assert.ok(events.includes('progress') && events.includes('log') && events.includes('state:completed'));
  });

  it('retries with the backoff measured on the injected clock, then fails for good', async () => {
    const clock = new ManualClock();
    const flaky = defineTask({
      name: 'flaky',
      retry: { attempts: 3, backoff: { type: 'fixed', delay: '10s' } },
      run(_input, ctx) {
        throw new Error(`failure ${ctx.attempt}`);
      },
    });
    const docket = await setup({ tasks: [flaky], clock });
    const worker = docket.startWorker({ pollInterval: 5 });
    const job = await docket.enqueue(flaky, {});
    const start = clock.now();
    assert.equal((await outcomeOf(worker, job.id)).type, 'retry');
    let stored = await docket.getJob(job.id);
    assert.equal(stored!.state, 'scheduled');
    assert.equal(stored!.runAt, start + 10_000);
    clock.advance(10_000);
    assert.equal((await outcomeOf(worker, job.id)).type, 'retry');
    clock.advance(10_000);
    const last = await outcomeOf(worker, job.id);
    assert.equal(last.type, 'failed');
    stored = await docket.getJob(job.id);
    assert.equal(stored!.state, 'failed');
    assert.deepEqual(
      stored!.errors.map((e) => [e.attempt, e.message]),
      [
        [1, 'failure 1'],
        [2, 'failure 2'],
        [3, 'failure 3'],
      ],
    );
    assert.match(stored!.errors[0]!.stack ?? '', /failure 1/);
    assert.equal(stored!.errors[0]!.workerId, worker.id);
  });

  it('fails an attempt at its timeout even when the handler ignores the signal', async () => {
    let aborted: unknown = null;
    const stuck = defineTask({
      name: 'stuck',
      timeout: 30,
      retry: { attempts: 1 },
      run(_input, ctx) {
        ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
        return new Promise(() => {});
      },
    });
    const docket = await setup({ tasks: [stuck] });
    const worker = docket.startWorker({ concurrency: 1 });
    const job = await docket.enqueue(stuck, {});
    const outcome = await outcomeOf(worker, job.id);
    assert.equal(outcome.type, 'failed');
    const stored = await docket.getJob(job.id);
    assert.equal(stored!.errors[0]!.code, 'DOCKET_TIMEOUT');
    assert.equal((aborted as { code: string }).code, 'DOCKET_TIMEOUT');
    assert.equal(worker.running.size, 0);
  });

  it('cancels a running job through its signal', async () => {
    const started = new Set<string>();
    const waits = defineTask({
      name: 'waits',
      run(_input, ctx) {
        started.add(ctx.jobId);
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        );
      },
    });
    const ignores = defineTask({
      name: 'ignores',
      run(_input, ctx) {
        started.add(ctx.jobId);
        return new Promise(() => {});
      },
    });
    const docket = await setup({ tasks: [waits, ignores] });
    docket.startWorker({ concurrency: 2 });
    const a = await docket.enqueue(waits, {});
    const b = await docket.enqueue(ignores, {});
    await until(() => started.has(a.id) && started.has(b.id), 'both jobs started');
    await docket.cancel(a.id);
    await docket.cancel(b.id);
    assert.equal((await docket.waitFor(a.id)).state, 'cancelled');
    assert.equal((await docket.waitFor(b.id)).state, 'cancelled');
  });

  it('cancels waiting jobs at once and refuses to cancel finished ones', async () => {
    const noop = defineTask({ name: 'noop', run: () => null });
    const docket = await setup({ tasks: [noop] });
    const later = await docket.enqueue(noop, {}, { delay: '1h' });
    assert.equal((await docket.cancel(later.id)).state, 'cancelled');
    await assert.rejects(docket.cancel(later.id), { code: 'DOCKET_INVALID_STATE' });
    await assert.rejects(docket.cancel('424242'), { code: 'DOCKET_NOT_FOUND' });
  });

  it('never runs more than its concurrency, and uses all of it', async () => {
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const gated = defineTask({
      name: 'gated',
      async run() {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
      },
    });
    const docket = await setup({ tasks: [gated] });
    docket.startWorker({ concurrency: 3, pollInterval: 5 });
    const jobs = await docket.enqueueMany(Array.from({ length: 12 }, () => ({ task: gated, input: {} })));
    let released = 0;
    while (released < 12) {
      await until(() => gates.length > 0, 'a job waiting at its gate');
      assert.ok(running <= 3, `running ${running} > 3`);
      gates.shift()!();
      released++;
    }
    for (const job of jobs) assert.equal((await docket.waitFor(job.id)).state, 'completed');
    assert.equal(peak, 3);
  });

  it('prefetch: holds claimed jobs beyond its slots, runs no more than its concurrency, cancels and hands back held ones', async () => {
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const started: string[] = [];
    const gated = defineTask({
      name: 'gated',
      async run(_input, ctx) {
        started.push(ctx.jobId);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
      },
    });
    const docket = await setup({ tasks: [gated] });
    const jobs = await docket.enqueueMany(Array.from({ length: 8 }, () => ({ task: gated, input: {} })));
    const worker = docket.startWorker({ concurrency: 2, prefetch: 4, pollInterval: 5 });
    await until(() => gates.length === 2, 'two jobs running');
    // Two run; four more are claimed and held (active, leased to this worker), two wait in the queue.
    const states = await Promise.all(jobs.map(async (j) => (await docket.getJob(j.id))!.state));
    assert.equal(states.filter((s) => s === 'active').length, 6, states.join());
    assert.equal(states.filter((s) => s === 'available').length, 2, states.join());
    // A held job asked to cancel is cancelled without ever starting.
    const heldId = jobs.map((j) => j.id).find((id, i) => states[i] === 'active' && !started.includes(id))!;
    await docket.cancel(heldId);
    assert.equal((await docket.waitFor(heldId)).state, 'cancelled');
    // Two more complete; on stop, the jobs still held go back to the queue without an attempt counted.
    gates.shift()!();
    gates.shift()!();
    await until(() => gates.length === 2, 'the next two running');
    const stopped = worker.stop({ grace: 10_000 });
    while (gates.length > 0) gates.shift()!();
    await stopped;
    assert.equal(peak, 2);
    assert.ok(!started.includes(heldId));
    const after = await Promise.all(jobs.map(async (j) => (await docket.getJob(j.id))!));
    assert.equal(after.filter((j) => j.state === 'completed').length, 4);
    assert.equal(after.filter((j) => j.state === 'cancelled').length, 1);
    const back = after.filter((j) => j.state === 'available');
    assert.equal(back.length, 3);
    for (const job of back) assert.equal(job.maxAttempts - job.attempt, 3, 'no attempt counted');
  });

  it('wakes at once on an enqueue in the same process, without waiting for the poll', async () => {
    const noop = defineTask({ name: 'noop', run: () => 'ok' });
    const docket = await setup({ tasks: [noop] });
    docket.startWorker({ pollInterval: '1h' });
    // Let the worker's first (empty) claim pass, so only a wake-up can start the job.
    await new Promise((resolve) => setImmediate(resolve));
    const job = await docket.enqueue(noop, {});
    assert.equal((await docket.waitFor(job.id, { pollInterval: '1h', timeout: '30s' })).state, 'completed');
  });

  it('shuts down gracefully: finishes what fits the grace, hands back the rest at once', async () => {
    const gates: (() => void)[] = [];
    const started: string[] = [];
    const quick = defineTask({
      name: 'quick',
      async run(_input, ctx) {
        started.push(ctx.jobId);
        await new Promise<void>((resolve) => gates.push(resolve));
        return 'done';
      },
    });
    const slow = defineTask({
      name: 'slow',
      retry: { attempts: 1 },
      run(_input, ctx) {
        started.push(ctx.jobId);
        return new Promise(() => {});
      },
    });
    const docket = await setup({ tasks: [quick, slow] });
    const worker = docket.startWorker({ concurrency: 2 });
    const q = await docket.enqueue(quick, {});
    const s = await docket.enqueue(slow, {});
    await until(() => started.length === 2, 'both jobs started');
    const stopped = worker.stop({ grace: 50 });
    gates.shift()!();
    await stopped;
    assert.equal((await docket.getJob(q.id))!.state, 'completed');
    const handedBack = await docket.getJob(s.id);
    assert.equal(handedBack!.state, 'available');
    assert.equal(handedBack!.errors.length, 0);
    assert.equal(handedBack!.maxAttempts, 2, 'the interrupted attempt is not counted');
    assert.equal((await docket.listWorkers()).length, 0, 'the worker left the registry');
  });

  it('drops the outcome of a job whose lease was lost', async () => {
    const clock = new ManualClock();
    const gates: (() => void)[] = [];
    const slow = defineTask({
      name: 'slow',
      async run() {
        await new Promise<void>((resolve) => gates.push(resolve));
        return 'late';
      },
    });
    const docket = await setup({ tasks: [slow], clock });
    const worker = docket.startWorker({ lease: '30s', maintenance: false });
    const job = await docket.enqueue(slow, {});
    await until(() => gates.length === 1, 'job started');
    clock.advance(31_000);
    const { Maintenance } = await import('../../src/index.js');
    const reclaimed = await new Maintenance(docket).reclaimOnce();
    assert.deepEqual(reclaimed.retried, [job.id]);
    const outcome = outcomeOf(worker, job.id);
    gates.shift()!();
    const recorded = await outcome;
    assert.deepEqual(recorded, { type: 'completed', refused: true });
    // The attempt came back and runs again; let it finish.
    await until(() => gates.length === 1, 'second attempt started');
    gates.shift()!();
    const done = await docket.waitFor(job.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.attempt, 2);
    assert.equal(done.errors[0]!.code, 'DOCKET_LEASE_LOST');
  });

  it('retry() runs a failed job again', async () => {
    let calls = 0;
    const once = defineTask({
      name: 'fails-once',
      retry: { attempts: 1 },
      run() {
        calls++;
        if (calls === 1) throw new Error('first time');
        return calls;
      },
    });
    const docket = await setup({ tasks: [once] });
    docket.startWorker();
    const job = await docket.enqueue(once, {});
    assert.equal((await docket.waitFor(job.id)).state, 'failed');
    await docket.retry(job.id);
    const done = await docket.waitFor(job.id);
    assert.equal(done.state, 'completed');
    assert.equal(done.result, 2);
    await assert.rejects(docket.retry(job.id), { code: 'DOCKET_INVALID_STATE' });
  });

  it('runs higher priority first', async () => {
    const order: number[] = [];
    const record = defineTask({
      name: 'record',
      input: z.object({ p: z.number() }),
      run(input) {
        order.push(input.p);
      },
    });
    const docket = await setup({ tasks: [record] });
    const jobs = await docket.enqueueMany(
      [1, 5, 3].map((p) => ({ task: record, input: { p }, options: { priority: p } })),
    );
    docket.startWorker({ concurrency: 1 });
    for (const job of jobs) await docket.waitFor(job.id);
    assert.deepEqual(order, [5, 3, 1]);
  });

  it('lets timers run during a drain of handlers that never wait (SQLite answers at once)', async () => {
    const JOBS = 20_000;
    let ran = 0;
    let timerRanAt: number | null = null;
    let drained: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      drained = resolve;
    });
    const noop = defineTask({
      name: 'noop',
      run() {
        if (++ran === JOBS) drained();
      },
    });
    const docket = await setup({ tasks: [noop] });
    for (let n = 0; n < JOBS; n += 1000) {
      await docket.enqueueMany(Array.from({ length: 1000 }, () => ({ task: noop, input: {} })));
    }
    docket.startWorker({ concurrency: 100, prefetch: 500, maintenance: false, loopBlockWarning: false });
    // A macrotask queued as the drain starts: it must run before the drain
    // ends, not after (as when the claim loop never leaves the microtask queue).
    setImmediate(() => {
      timerRanAt = ran;
    });
    await finished;
    assert.notEqual(timerRanAt, null);
    assert.ok(timerRanAt! < JOBS, `the timer ran only after all ${JOBS} jobs`);
  });
});

describe('maintenance', () => {
  it('prunes finished jobs past retention and keeps the rest', async () => {
    const clock = new ManualClock();
    const noop = defineTask({ name: 'noop', run: () => 'ok' });
    const docket = await setup({ tasks: [noop], clock });
    const worker = docket.startWorker({ maintenance: false });
    const old = await docket.enqueue(noop, {});
    await docket.waitFor(old.id);
    clock.advance(2 * 86_400_000);
    const fresh = await docket.enqueue(noop, {});
    await docket.waitFor(fresh.id);
    const waiting = await docket.enqueue(noop, {}, { delay: '30d' });
    await worker.stop();
    const { Maintenance } = await import('../../src/index.js');
    const report = await new Maintenance(docket, { retention: '1d' }).runOnce();
    assert.equal(report.pruned, 1);
    assert.equal(await docket.getJob(old.id), null);
    assert.equal((await docket.getJob(fresh.id))!.state, 'completed');
    assert.equal((await docket.getJob(waiting.id))!.state, 'scheduled');
  });
});
