// On SQLite, an enqueue in one process wakes a worker in another at once:
// the worker watches the database's write-ahead log. The worker here never
// polls, so the job can only run if the wake-up crossed processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDocket, defineTask } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = fileURLToPath(new URL('./fixtures/idle-worker.ts', import.meta.url));
const { dir, cleanup } = tempDir();
after(cleanup);

it('wakes a worker in another process on enqueue, with no polling', async () => {
  const store = `sqlite:${join(dir, 'wake.db')}`;
  const echo = defineTask({ name: 'echo', run: (input: unknown) => input });
  const docket = await createDocket({ store, tasks: [echo] });
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, DOCKET_STORE: store },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
    for (let i = 0; i < 3; i++) {
      const job = await docket.enqueue('echo', { i });
      const done = await docket.waitFor(job.id, { timeout: '60s' });
      assert.equal(done.state, 'completed');
      assert.deepEqual(done.result, { i });
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await docket.close();
  }
});
