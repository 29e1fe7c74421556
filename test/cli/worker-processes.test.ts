// `docket worker --processes 2` as an operator runs it: a supervisor with two
// worker processes that run jobs, show up in `docket workers`, and drain on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDocket } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';

const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const tasks = fileURLToPath(new URL('./fixtures', import.meta.url));
const { dir, cleanup } = tempDir();
after(cleanup);

it('supervises two worker processes that run jobs and drain on SIGTERM', async () => {
  const store = `sqlite:${join(dir, 'workers.db')}`;
  const env = { ...process.env, DOCKET_STORE: store, DOCKET_TASKS: tasks };
  const docket = await createDocket({ store, tasks });
  const supervisor = spawn(
    process.execPath,
    ['--import', 'tsx', main, 'worker', '--processes', '2', '--concurrency', '3'],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  supervisor.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    const jobs = await docket.enqueueMany(
      Array.from({ length: 20 }, (_, i) => ({ task: 'greet', input: { name: `n${i}` } })),
    );
    for (const job of jobs)
      assert.equal(
        (await docket.waitFor(job.id, { timeout: '120s' })).result,
        `hello ${(job.input as { name: string }).name}`,
      );
    const workers = await until(async () => {
      const list = await docket.listWorkers();
      return list.length === 2 ? list : null;
    }, 'two registered workers');
    assert.equal(new Set(workers.map((w) => w.pid)).size, 2);
    for (const w of workers) {
      assert.equal(w.concurrency, 3);
      assert.equal(w.info.supervisorPid, supervisor.pid);
    }
    const listed = spawnSync(process.execPath, ['--import', 'tsx', main, 'workers'], {
      env,
      encoding: 'utf8',
    });
    assert.equal(listed.status, 0, listed.stderr);
    for (const w of workers) assert.match(listed.stdout, new RegExp(String(w.pid)));
    supervisor.kill('SIGTERM');
    const code = await new Promise((resolve) => supervisor.once('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.equal((await docket.listWorkers()).length, 0, 'both drained and left the registry');
  } finally {
    if (supervisor.exitCode === null) supervisor.kill('SIGKILL');
    await docket.close();
  }
});
