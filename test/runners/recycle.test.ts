import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { poolOf, setup } from './helpers.js';

type Where = { pid: number; threadId: number };

// Recycling is the answer to leaks: the runner is really replaced, so the
// job after the limit reports a new thread id or pid.
describe('recycling', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup({
      concurrency: 1,
      threads: { size: 1, maxJobs: 2 },
      processes: { size: 1, maxJobs: 2 },
    });
  });
  after(() => env.close());

  async function run(task: string, input: unknown): Promise<Where> {
    const done = await env.docket.waitFor((await env.docket.enqueue(task, input)).id);
    assert.equal(done.state, 'completed', JSON.stringify(done.errors));
    return done.result as Where;
  }

  for (const [mode, key] of [
    ['thread', 'threadId'],
    ['process', 'pid'],
  ] as const) {
    test(`${mode}: replaced after maxJobs jobs`, async () => {
      const recycled: number[] = [];
      poolOf(env.worker, mode).on('recycle', (id: number) => recycled.push(id));
      const ids: number[] = [];
      for (let n = 0; n < 5; n++) ids.push((await run(`report-${mode}`, { n }))[key]);
      assert.equal(ids[0], ids[1]);
      assert.notEqual(ids[1], ids[2]);
      assert.equal(ids[2], ids[3]);
      assert.notEqual(ids[3], ids[4]);
      assert.deepEqual(recycled, [ids[0], ids[2]]);
    });
  }
});

describe('recycling on memory', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup({ concurrency: 1, processes: { size: 1, recycleAboveMb: 200 } });
  });
  after(() => env.close());

  test('process: replaced once a job leaves its RSS above recycleAboveMb', async () => {
    const run = async (task: string, input: unknown) => {
      const done = await env.docket.waitFor((await env.docket.enqueue(task, input)).id);
      assert.equal(done.state, 'completed', JSON.stringify(done.errors));
      return done.result as Where;
    };
    const first = await run('leak-process', { mb: 1 });
    const leaky = await run('leak-process', { mb: 250 });
    assert.equal(leaky.pid, first.pid);
    const next = await run('report-process', { n: 9 });
    assert.notEqual(next.pid, leaky.pid);
  });
});
