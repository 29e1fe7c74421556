// Two worker processes share one SQLite file; one is SIGKILLed mid-run.
// Afterwards every job is completed, none is lost, and every job that ran
// more than once was held by the killed process when it died.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDocket } from '../../src/index.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';
import ledger from './fixtures/ledger-task.js';

const JOBS = 2000;
const fixture = fileURLToPath(new URL('./fixtures/ledger-worker.ts', import.meta.url));
const { dir, cleanup } = tempDir();
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  cleanup();
});

function startWorker(id: string, store: string, ledgerPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: { ...process.env, DOCKET_STORE: store, DOCKET_LEDGER: ledgerPath, DOCKET_WORKER_ID: id },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker ${id} exited early with ${code}`)));
  });
}

function ledgerLines(path: string): string[][] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
}

it('loses no job when a worker process is SIGKILLed mid-run', async () => {
  const store = `sqlite:${join(dir, 'docket.db')}`;
  const ledgerPath = join(dir, 'ledger.txt');
  const docket = await createDocket({ store, tasks: [ledger] });
  const jobs = await docket.enqueueMany(
    Array.from({ length: JOBS }, (_, n) => ({ task: ledger, input: { n } })),
  );
  const [a, b] = await Promise.all([
    startWorker('A', store, ledgerPath),
    startWorker('B', store, ledgerPath),
  ]);
  await until(() => ledgerLines(ledgerPath).length >= JOBS / 4, 'a quarter of the jobs run', { everyMs: 5 });
  const killedAt = Date.now();
  a.kill('SIGKILL');
  await new Promise((resolve) => a.once('exit', resolve));

  await until(
    async () => (await docket.counts()).find((c) => c.queue === 'default')?.counts.completed === JOBS,
    'every job completed',
    { timeoutMs: 180_000, everyMs: 100 },
  );
  const recoveredAt = Date.now();
  b.kill('SIGTERM');
  const code = await new Promise((resolve) => b.once('exit', resolve));
  assert.equal(code, 0, 'the surviving worker drained and exited cleanly');

  const lines = ledgerLines(ledgerPath);
  const runs = new Map<string, string[]>();
  for (const [id, , worker] of lines) runs.set(id!, [...(runs.get(id!) ?? []), worker!]);
  const lost = jobs.filter((job) => !runs.has(job.id));
  assert.equal(lost.length, 0, 'every job ran');
  const rerun = [...runs].filter(([, workers]) => workers.length > 1);
  for (const [id, workers] of rerun) assert.equal(workers[0], 'A', `job ${id} ran twice but was not A's`);

  // The store agrees: only jobs A held were retried, each with the lease-expiry error.
  const page = await docket.listJobs({ limit: 1000, state: 'completed' });
  let retried = 0;
  let cursor: string | null = page.nextCursor;
  const check = (list: typeof page.jobs) => {
    for (const job of list) {
      if (job.attempt > 1) {
        retried++;
        assert.equal(job.errors[0]!.workerId, 'A');
        assert.equal(job.errors[0]!.code, 'DOCKET_LEASE_LOST');
      }
    }
  };
  check(page.jobs);
  while (cursor) {
    const next = await docket.listJobs({ limit: 1000, state: 'completed', cursor });
    check(next.jobs);
    cursor = next.nextCursor;
  }
  assert.ok(retried >= 1, 'the kill caught at least one job in flight');
  console.log(
    `crash test: ${JOBS} jobs, ${lines.length} runs, ${rerun.length} run twice (all A's), ${retried} retried, lost 0, ` +
      `all completed ${((recoveredAt - killedAt) / 1000).toFixed(1)}s after the kill`,
  );
  await docket.close();
});
