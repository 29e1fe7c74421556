import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SlotExit } from '../../src/worker/runners/slot.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import { lastError, poolOf, setup } from './helpers.js';

/** Resolves with how the slot with this id ended. */
function exitOf(pool: ReturnType<typeof poolOf>, id: number): Promise<SlotExit> {
  return new Promise((resolve) => {
    pool.on('exit', (exited: number, exit: SlotExit) => {
      if (exited === id) resolve(exit);
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A busy loop ignores its signal: only killing its thread or process stops it.
describe('hard timeouts', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  const files = tempDir();
  before(async () => {
    env = await setup({
      concurrency: 2,
      threads: { size: 1, abortGrace: 100 },
      processes: { size: 1, abortGrace: 100, killGrace: 300 },
    });
    // Warm both pools: starting a thread or process under tsx takes longer than these short timeouts.
    for (const mode of ['thread', 'process'])
      await env.docket.waitFor((await env.docket.enqueue(`report-${mode}`, { n: 0 })).id);
  });
  after(async () => {
    await env.close();
    files.cleanup();
  });

  for (const mode of ['thread', 'process'] as const) {
    test(`${mode}: a busy loop is killed at its timeout and the slot replaced`, async () => {
      const { docket, worker } = env;
      const file = join(files.dir, `busy-${mode}`);
      const job = await docket.enqueue(`busy-${mode}`, { file }, { timeout: 300 });
      await until(() => existsSync(file), 'the busy job to start');
      const ran = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; threadId: number };
      const pool = poolOf(worker, mode);
      const exited = exitOf(pool, mode === 'thread' ? ran.threadId : ran.pid);
      const done = await docket.waitFor(job.id);
      assert.equal(done.state, 'failed');
      assert.equal(lastError(done).code, 'DOCKET_TIMEOUT');
      await exited;
      if (mode === 'process') assert.equal(isAlive(ran.pid), false);
      // The pool serves the next job from a new thread or process.
      const next = await docket.waitFor((await docket.enqueue(`report-${mode}`, { n: 1 })).id);
      assert.equal(next.state, 'completed');
      const where = next.result as { pid: number; threadId: number };
      if (mode === 'thread') assert.notEqual(where.threadId, ran.threadId);
      else assert.notEqual(where.pid, ran.pid);
    });
  }

  test('process: a job that ignores SIGTERM gets SIGKILL after the grace', async () => {
    const { docket, worker } = env;
    const file = join(files.dir, 'stubborn');
    const job = await docket.enqueue('stubborn-process', { file }, { timeout: 200 });
    await until(() => existsSync(file), 'the stubborn job to start');
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    const exit = await exitOf(poolOf(worker, 'process'), pid);
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(isAlive(pid), false);
    assert.equal(lastError(await docket.waitFor(job.id)).code, 'DOCKET_TIMEOUT');
  });

  test('thread and process: cancel stops a busy loop that ignores its signal', async () => {
    const { docket, worker } = env;
    for (const mode of ['thread', 'process'] as const) {
      const file = join(files.dir, `cancel-busy-${mode}`);
      const job = await docket.enqueue(`busy-${mode}`, { file });
      await until(() => existsSync(file), 'the busy job to start');
      const ran = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; threadId: number };
      const exited = exitOf(poolOf(worker, mode), mode === 'thread' ? ran.threadId : ran.pid);
      await docket.cancel(job.id);
      assert.equal((await docket.waitFor(job.id)).state, 'cancelled');
      await exited;
    }
  });
});
