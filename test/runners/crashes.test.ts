import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { lastError, setup } from './helpers.js';

// A job that kills its thread or process fails that attempt with a clear
// error and is retried by its policy; the worker and its other jobs carry on.
describe('crash containment', () => {
  let env: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    env = await setup({
      concurrency: 4,
      threads: { size: 2, memoryLimitMb: 48 },
      processes: { size: 2, memoryLimitMb: 48 },
    });
  });
  after(() => env.close());

  test('process.exit(1) in a process job fails each attempt, then the job', async () => {
    const { docket } = env;
    const done = await docket.waitFor((await docket.enqueue('exit-process', {})).id);
    assert.equal(done.state, 'failed');
    assert.equal(done.attempt, 2);
    assert.equal(done.errors.length, 2);
    for (const error of done.errors) {
      assert.equal(error.code, 'DOCKET_RUNNER_CRASHED');
      assert.match(error.message, /the process running job .* exited with code 1/);
    }
  });

  test('process.exit(1) in a thread job ends only the thread', async () => {
    const { docket } = env;
    const done = await docket.waitFor((await docket.enqueue('exit-thread', {})).id);
    assert.equal(done.state, 'failed');
    assert.match(lastError(done).message, /the thread running job .* exited with code 1/);
  });

  test('an uncaught error from a timer kills the thread; the attempt names it', async () => {
    const { docket } = env;
    const done = await docket.waitFor((await docket.enqueue('async-throw-thread', {})).id);
    assert.equal(done.state, 'failed');
    assert.equal(lastError(done).code, 'DOCKET_RUNNER_CRASHED');
    assert.match(lastError(done).message, /crashed with an uncaught error: uncaught from a timer/);
  });

  test('an uncaught error kills the process; the attempt quotes its stderr', async () => {
    const { docket } = env;
    const done = await docket.waitFor((await docket.enqueue('async-throw-process', {})).id);
    assert.equal(done.state, 'failed');
    assert.match(lastError(done).message, /exited with code 1 .*uncaught from a timer/);
  });

  for (const mode of ['thread', 'process'] as const) {
    test(`${mode}: an allocation loop hits the memory limit and fails as out of memory`, async () => {
      const { docket } = env;
      const done = await docket.waitFor((await docket.enqueue(`alloc-${mode}`, {})).id);
      assert.equal(done.state, 'failed');
      assert.equal(lastError(done).code, 'DOCKET_RUNNER_CRASHED');
      assert.match(lastError(done).message, new RegExp(`the ${mode} running job .* ran out of memory`));
    });
  }

  test('after all that, both pools still run jobs', async () => {
    const { docket } = env;
    for (const mode of ['thread', 'process']) {
      const done = await docket.waitFor((await docket.enqueue(`report-${mode}`, { n: 2 })).id);
      assert.equal(done.state, 'completed');
    }
  });
});
