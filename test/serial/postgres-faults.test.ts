// PostgreSQL restarted, then crashed, while worker processes run jobs.
// Lives in test/serial/ because both stop the server every test shares; the
// runner runs this directory alone, last.
//
// Restart (a fast shutdown): 2,000 jobs in flight all complete, nothing is
// lost, and the worker processes carry on without a restart of their own.
//
// Crash (`-m immediate`: no shutdown checkpoint, WAL not yet flushed is
// lost) while two worker processes claim and complete jobs as fast as they
// can. This is the fault test behind the choice that a claim waits for its
// commit to reach the disk (docs/performance.md, "Latency on PostgreSQL"):
// a claim acknowledged to a worker survives the crash, so no attempt of a
// job is ever handed out twice, and the completion recorded for each job is
// that of the worker the row says held it. A claim committed without
// waiting could be lost and its attempt handed out again; this test would
// then see the attempt twice in the ledger, or a job completed by one host
// while the row names the other.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { adminQuery } from '../helpers/pg.js';
import {
  allCompleted,
  clusterSkipReason,
  enqueueLedgerJobs,
  pgCluster,
  storeWithHosts,
} from '../helpers/pg-cluster.js';
import { until } from '../helpers/wait.js';

const RESTART_JOBS = 2000;
const CRASH_JOBS = 4000;

describe('PostgreSQL restart and crash under load', { skip: await clusterSkipReason() }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('2,000 jobs in flight all complete across a restart; workers resume by themselves', async () => {
    const { made, hosts } = await storeWithHosts(cleanups, ['C', 'D']);

    await enqueueLedgerJobs(made.store, RESTART_JOBS, 40);
    await until(() => hosts.runs().length >= 300, 'the first runs', { timeoutMs: 120_000 });

    const restartAt = Date.now();
    pgCluster('restart');
    const upAt = Date.now();
    const ranBefore = hosts.runs().length;

    await allCompleted(made.schema, RESTART_JOBS, 'every job to complete after the restart');
    const resumedAt = hosts
      .runs()
      .slice(ranBefore)
      .map((run) => run.at)
      .find((at) => at >= upAt);

    // The workers never died: the same processes are still running.
    for (const h of hosts.children)
      assert.equal(h.child.exitCode, null, 'a worker process exited during the restart');
    const jobs = await adminQuery(`SELECT id::text, state FROM "${made.schema}".jobs`);
    const ran = new Set(hosts.runs().map((run) => run.id));
    const lost = jobs.rows.filter((j) => j.state !== 'completed' || !ran.has(j.id));
    assert.equal(jobs.rows.length, RESTART_JOBS);
    assert.equal(lost.length, 0);
    console.log(
      `# restart: ${RESTART_JOBS} jobs, lost 0; restart took ${upAt - restartAt} ms; first run after it ${resumedAt === undefined ? 'n/a' : `${resumedAt - upAt} ms`} later`,
    );

    await hosts.stop();
  });

  it('no attempt is handed out twice and every job completes once, as held, across an immediate stop', async () => {
    // Short jobs and 20 slots per host keep claims and completions in flight when the server dies.
    const { made, hosts } = await storeWithHosts(cleanups, ['E', 'F'], { CONCURRENCY: '20' });

    await enqueueLedgerJobs(made.store, CRASH_JOBS, 5);
    // Two crashes, each while the hosts are busy: a lost claim is a matter of timing, so give it two chances.
    for (const runsBefore of [500, 2000]) {
      await until(() => hosts.runs().length >= runsBefore, `${runsBefore} runs`, { timeoutMs: 120_000 });
      pgCluster('stop', '-m', 'immediate');
      pgCluster('start');
    }

    await allCompleted(made.schema, CRASH_JOBS, 'every job to complete after the crashes');
    await hosts.stop();

    const runs = hosts.runs();
    const seen = new Map<string, string>();
    for (const run of runs) {
      const key = `${run.id}/${run.attempt}`;
      assert.equal(seen.get(key), undefined, `attempt ${run.attempt} of job ${run.id} was handed out twice`);
      seen.set(key, run.host);
    }
    const jobs = await adminQuery(
      `SELECT id::text, state, attempt, worker_id, result FROM "${made.schema}".jobs ORDER BY id`,
    );
    assert.equal(jobs.rows.length, CRASH_JOBS);
    for (const job of jobs.rows) {
      assert.equal(job.state, 'completed');
      // The recorded result comes from a run of the attempt the row holds, on the host that held it.
      const host = seen.get(`${job.id}/${job.attempt}`);
      assert.ok(host, `job ${job.id}: no run of its final attempt ${job.attempt}`);
      assert.equal(job.worker_id, `host-${host}`, `job ${job.id}: held by ${job.worker_id}, run by ${host}`);
      assert.deepEqual(job.result, { host }, `job ${job.id}: completed by a run other than the holder's`);
    }
    const again = runs.length - CRASH_JOBS;
    console.log(
      `# crash: ${CRASH_JOBS} jobs, two immediate stops, ${again} runs again (leases that lapsed or completions lost), no attempt twice`,
    );
  });
});
