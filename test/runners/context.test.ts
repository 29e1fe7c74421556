import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import { MODES, setup } from './helpers.js';

// The same handler, run in each mode, sees the same context: progress, logs,
// result, its thrown error, and an AbortSignal that cancel reaches.
describe('the job context in every mode', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  const files = tempDir();
  before(async () => {
    env = await setup({ concurrency: 6, threads: { size: 2 }, processes: { size: 2 } });
  });
  after(async () => {
    await env.close();
    files.cleanup();
  });

  for (const mode of MODES) {
    test(`${mode}: progress, logs and result reach the job`, async () => {
      const { docket } = env;
      const progress: unknown[] = [];
      const job = await docket.enqueue(`report-${mode}`, { n: 7 });
      docket.events.onJob(job.id, (event) => {
        if (event.type === 'progress') progress.push(event.progress);
      });
      const done = await docket.waitFor(job.id);
      assert.equal(done.state, 'completed', JSON.stringify(done.errors));
      const result = done.result as Record<string, unknown>;
      assert.deepEqual(
        { n: result.n, attempt: result.attempt, jobId: result.jobId, queue: result.queue, task: result.task },
        { n: 7, attempt: 1, jobId: job.id, queue: 'default', task: `report-${mode}` },
      );
      // Where it ran proves the mode: another thread, or another process.
      if (mode === 'inline') assert.deepEqual([result.pid, result.threadId], [process.pid, threadId]);
      if (mode === 'thread')
        assert.deepEqual([result.pid === process.pid, result.threadId !== threadId], [true, true]);
      if (mode === 'process') assert.notEqual(result.pid, process.pid);
      assert.deepEqual(done.progress, { done: true });
      assert.deepEqual(progress, [50, { done: true }]);
      const logs = await until(async () => {
        const lines = await docket.getLogs(job.id);
        return lines.length === 2 ? lines : null;
      }, 'both log lines');
      assert.deepEqual(
        logs.map((l) => [l.level, l.message]),
        [
          ['info', 'hello 7'],
          ['warn', 'half way'],
        ],
      );
    });

    test(`${mode}: a thrown error keeps its message, code and stack`, async () => {
      const { docket } = env;
      const job = await docket.enqueue(`throw-${mode}`, {});
      const done = await docket.waitFor(job.id);
      assert.equal(done.state, 'failed');
      const error = done.errors[0]!;
      assert.equal(error.message, 'boom from the handler');
      assert.equal(error.code, 'E_FIXTURE');
      assert.match(error.stack ?? '', /fixtures[/\\]tasks[/\\]modes\.ts/);
    });

    test(`${mode}: cancel fires the signal inside the job`, async () => {
      const { docket } = env;
      const file = join(files.dir, `cancel-${mode}`);
      const job = await docket.enqueue(`wait-abort-${mode}`, { file });
      // The job logs once it runs; cancel only then, so the signal must cross into the running code.
      await until(async () => (await docket.getLogs(job.id)).length > 0, 'the job to start');
      await docket.cancel(job.id);
      const done = await docket.waitFor(job.id);
      assert.equal(done.state, 'cancelled');
      await until(() => existsSync(file), 'the job to see its abort');
      assert.equal(readFileSync(file, 'utf8'), 'DOCKET_CANCELLED');
    });
  }
});
