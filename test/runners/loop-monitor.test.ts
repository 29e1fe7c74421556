import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineTask } from '../../src/index.js';
import type { LoopBlock } from '../../src/worker/loop-monitor.js';
import { until } from '../helpers/wait.js';
import { setup } from './helpers.js';

/** Blocks the event loop for `ms` of CPU work; inline, so nothing can interrupt it. */
const spin = defineTask<{ ms: number }, number>({
  name: 'spin-inline',
  run: ({ ms }) => {
    const end = Date.now() + ms;
    let n = 0;
    while (Date.now() < end) n++;
    return n;
  },
});

describe('event-loop monitor', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup({ loopBlockWarning: 100 });
    env.docket.registry.add(spin);
  });
  after(() => env.close());

  test('an inline job that blocks the loop is named in an event and in the registry', async () => {
    const { docket, worker } = env;
    const blocks: LoopBlock[] = [];
    worker.loopMonitor!.on('blocked', (block: LoopBlock) => blocks.push(block));
    const job = await docket.enqueue(spin, { ms: 400 });
    await docket.waitFor(job.id);
    const block = await until(() => blocks.find((b) => b.jobs.includes(job.id)), 'a block naming the job');
    assert.deepEqual(block.tasks, ['spin-inline']);
    assert.ok(block.blockedMs >= 100, `blocked ${block.blockedMs} ms`);
    await worker.heartbeat();
    const [record] = (await docket.listWorkers()).filter((w) => w.id === worker.id);
    const published = record!.info.loopBlocks as LoopBlock[];
    assert.ok(published.some((b) => b.jobs.includes(job.id) && b.tasks.includes('spin-inline')));
  });

  test('a busy thread job does not block the loop', async () => {
    const { docket, worker } = env;
    const blocks: LoopBlock[] = [];
    worker.loopMonitor!.on('blocked', (block: LoopBlock) => blocks.push(block));
    const job = await docket.enqueue('busy-thread', {}, { timeout: 1500 });
    assert.equal((await docket.waitFor(job.id)).state, 'failed');
    assert.deepEqual(
      blocks.filter((b) => b.jobs.includes(job.id)),
      [],
    );
  });
});
