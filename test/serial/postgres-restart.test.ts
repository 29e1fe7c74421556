// PostgreSQL restarted while 2,000 jobs are in flight: every job completes,
// nothing is lost, and the worker processes carry on without a restart of
// their own. Lives in test/serial/ because a restart breaks every other
// test's connections; the runner runs this directory alone, last.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { newJob } from '../conformance/store-suite.js';
import { adminQuery, makePgStore, PG_URL, pgSkipReason } from '../helpers/pg.js';
import { tempDir } from '../helpers/tmp.js';
import { until } from '../helpers/wait.js';

const JOBS = 2000;
const SCRIPT = fileURLToPath(new URL('../postgres/fixtures/host.ts', import.meta.url));

/** Why the test cannot run here, if it cannot: no PostgreSQL, or no local cluster to restart. */
async function skipReason(): Promise<string | undefined> {
  const reason = await pgSkipReason();
  if (reason) return reason;
  try {
    execFileSync('which', ['pg_ctlcluster'], { stdio: 'ignore' });
    readdirSync('/etc/postgresql');
    return undefined;
  } catch {
    const why = 'pg_ctlcluster and /etc/postgresql are needed to restart PostgreSQL';
    if (process.env.DOCKET_REQUIRE_PG === '1') throw new Error(why);
    return why;
  }
}

/** Retries a query through the restart: connection errors are expected while the server is down. */
async function count(sql: string): Promise<number | null> {
  try {
    return Number((await adminQuery(sql)).rows[0].count);
  } catch {
    return null;
  }
}

describe('PostgreSQL restart under load', { skip: await skipReason() }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('2,000 jobs in flight all complete across a restart; workers resume by themselves', async () => {
    const made = await makePgStore();
    cleanups.push(made.cleanup);
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const ledger = join(dir, 'ledger.txt');
    writeFileSync(ledger, '');
    const hosts: { child: ChildProcess; exited: Promise<void> }[] = ['C', 'D'].map((name) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
        env: {
          ...process.env,
          PG_URL,
          SCHEMA: made.schema,
          LEDGER: ledger,
          LEASE_MS: '5000',
          SWEEP_MS: '1000',
          HOST: name,
        },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
    });
    cleanups.push(async () => {
      for (const h of hosts)
        if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
      await Promise.all(hosts.map((h) => h.exited));
    });
    await Promise.all(hosts.map((h) => new Promise((resolve) => h.child.once('message', resolve))));

    for (let i = 0; i < JOBS; i += 500) {
      const jobs = Array.from({ length: 500 }, () =>
        newJob({ task: 'ledger', queue: 'ledger', input: '{"ms":40}', runAt: Date.now(), maxAttempts: 25 }),
      );
      await made.store.enqueue({ now: Date.now(), jobs });
    }
    const lines = () => readFileSync(ledger, 'utf8').split('\n').length - 1;
    await until(() => lines() >= 300, 'the first runs', { timeoutMs: 120_000 });

    const version = readdirSync('/etc/postgresql')[0]!;
    const restartAt = Date.now();
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], {
      stdio: 'ignore',
    });
    const upAt = Date.now();
    const ranBefore = lines();

    const completed = `SELECT count(*) FROM "${made.schema}".jobs WHERE state = 'completed'`;
    await until(async () => (await count(completed)) === JOBS, 'every job to complete after the restart', {
      timeoutMs: 240_000,
      everyMs: 250,
    });
    const resumedAt = readFileSync(ledger, 'utf8')
      .split('\n')
      .slice(ranBefore)
      .map((line) => Number(line.split(' ')[3]))
      .find((at) => at >= upAt);

    // The workers never died: the same processes are still running.
    for (const h of hosts) assert.equal(h.child.exitCode, null, 'a worker process exited during the restart');
    const jobs = await adminQuery(`SELECT id::text, state FROM "${made.schema}".jobs`);
    const ran = new Set(
      readFileSync(ledger, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[0]),
    );
    const lost = jobs.rows.filter((j) => j.state !== 'completed' || !ran.has(j.id));
    assert.equal(jobs.rows.length, JOBS);
    assert.equal(lost.length, 0);
    console.log(
      `# restart: ${JOBS} jobs, lost 0; restart took ${upAt - restartAt} ms; first run after it ${resumedAt === undefined ? 'n/a' : `${resumedAt - upAt} ms`} later`,
    );

    for (const h of hosts) if (h.child.connected) h.child.send({ type: 'stop' });
    await Promise.all(hosts.map((h) => h.exited));
  });
});
