// Runner figures: jobs/s and p99 enqueue→start for a no-op and a 20 ms CPU
// job in each isolation mode; the per-job overhead of thread and process
// over inline; and whether lease renewal and claims stay responsive while
// CPU-bound jobs run inline versus in threads.
//
//   npx tsx bench/runners/bench.ts        (writes bench/runners/RESULTS.md too)
//
// Not a timed test: the figures depend on the machine and its load.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createDocket, type Docket, type Isolation, type Job } from '../../src/index.js';
import { InlineRunner } from '../../src/worker/runners/inline.js';
import { ProcessRunner } from '../../src/worker/runners/process.js';
import { ThreadRunner } from '../../src/worker/runners/thread.js';
import { tempSqliteUrl } from '../../test/helpers/tmp.js';

const TASKS = fileURLToPath(new URL('./tasks/', import.meta.url));
const MODES: Isolation[] = ['inline', 'thread', 'process'];
const quiet = pino({ level: 'silent' });
const out: string[] = [];
const say = (line = '') => {
  out.push(line);
  console.log(line);
};

async function withDocket<T>(fn: (docket: Docket) => Promise<T>): Promise<T> {
  const db = tempSqliteUrl();
  const docket = await createDocket({ store: db.url, tasks: TASKS });
  try {
    return await fn(docket);
  } finally {
    await docket.close();
    db.cleanup();
  }
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until all `ids` are finished, by the worker's 'job' events. */
function finished(docket: Docket, ids: string[]): Promise<Job[]> {
  const left = new Set(ids);
  return new Promise((resolve) => {
    const check = async () => {
      if (left.size === 0) {
        off();
        resolve(await Promise.all(ids.map(async (id) => (await docket.getJob(id))!)));
      }
    };
    const offs = ids.map((id) =>
      docket.events.onJob(id, (event) => {
        if (event.type === 'state' && ['completed', 'failed', 'cancelled'].includes(event.state)) {
          left.delete(id);
          void check();
        }
      }),
    );
    const off = () => {
      for (const o of offs) o();
    };
    // Some may have finished before we listened.
    void Promise.all(ids.map((id) => docket.getJob(id))).then((jobs) => {
      for (const job of jobs)
        if (job && ['completed', 'failed', 'cancelled'].includes(job.state)) left.delete(job.id);
      void check();
    });
  });
}

interface ModeFigures {
  mode: Isolation;
  kind: string;
  jobsPerSec: number;
  p50StartMs: number;
  p99StartMs: number;
  meanRunMs: number;
}

/** Throughput of a burst, then enqueue→start under a steady arrival rate below capacity. */
async function measure(mode: Isolation, kind: 'noop' | 'cpu', burst: number, rate: number, seconds: number) {
  return withDocket(async (docket) => {
    const task = `${kind}-${mode}`;
    docket.startWorker({
      concurrency: 2,
      pollInterval: 50,
      maintenance: false,
      logger: quiet,
      loopBlockWarning: false,
    });
    // Warm the pool: thread and process start-up is paid once, not per job.
    await docket.waitFor((await docket.enqueue(task, {})).id);
    await docket.waitFor((await docket.enqueue(task, {})).id);

    const t0 = performance.now();
    const jobs = await docket.enqueueMany(Array.from({ length: burst }, () => ({ task, input: {} })));
    const done = await finished(
      docket,
      jobs.map((j) => j.id),
    );
    const jobsPerSec = burst / ((performance.now() - t0) / 1000);
    const failed = done.filter((j) => j.state !== 'completed').length;
    if (failed)
      throw new Error(
        `${failed} ${task} jobs failed: ${JSON.stringify(done.find((j) => j.errors.length)?.errors)}`,
      );

    const ids: string[] = [];
    const gap = 1000 / rate;
    const start = performance.now();
    for (let i = 0; i < rate * seconds; i++) {
      ids.push((await docket.enqueue(task, {})).id);
      const next = start + (i + 1) * gap;
      await sleep(Math.max(0, next - performance.now()));
    }
    const steady = await finished(docket, ids);
    const waits = steady.map((j) => j.startedAt! - j.createdAt);
    const runs = steady.map((j) => j.finishedAt! - j.startedAt!);
    return {
      mode,
      kind,
      jobsPerSec: Math.round(jobsPerSec),
      p50StartMs: pct(waits, 50),
      p99StartMs: pct(waits, 99),
      meanRunMs: Math.round((runs.reduce((a, b) => a + b, 0) / runs.length) * 10) / 10,
    } satisfies ModeFigures;
  });
}

/** CPU jobs on one worker, probes on another in the same process: do renewals and claims keep time? */
async function responsiveness(mode: 'inline' | 'thread') {
  return withDocket(async (docket) => {
    const renewals: number[] = [];
    const store = docket.store;
    const renew = store.renewLeases.bind(store);
    let cpuWorker = '';
    store.renewLeases = (params) => {
      if (params.workerId === cpuWorker) renewals.push(Date.now());
      return renew(params);
    };
    const leaseMs = 600;
    const common = {
      pollInterval: 50,
      maintenance: false,
      logger: quiet,
      lease: leaseMs,
      loopBlockWarning: false,
    } as const;
    cpuWorker = docket.startWorker({ ...common, queues: ['cpu'], concurrency: 2, threads: { size: 2 } }).id;
    docket.startWorker({ ...common, queues: ['probe'], concurrency: 2 });
    await docket.waitFor((await docket.enqueue(`cpu-${mode}`, { ms: 1 })).id);
    await docket.waitFor((await docket.enqueue(`cpu-${mode}`, { ms: 1 })).id);

    // Probes are due every 50 ms from now: lateness is start − due, whatever the enqueuing loop was doing.
    const t0 = Date.now() + 100;
    const probes = await docket.enqueueMany(
      Array.from({ length: 40 }, (_, i) => ({ task: 'probe', input: {}, options: { runAt: t0 + i * 50 } })),
    );
    const cpu = await docket.enqueueMany(
      Array.from({ length: 12 }, () => ({ task: `cpu-${mode}`, input: { ms: 200 } })),
    );
    const start = Date.now();
    await finished(
      docket,
      cpu.map((j) => j.id),
    );
    const end = Date.now();
    const probeJobs = await finished(
      docket,
      probes.map((j) => j.id),
    );
    const times = [start, ...renewals.filter((t) => t > start && t < end), end];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const late = probeJobs.map((j) => j.startedAt! - j.runAt);
    return {
      mode,
      cpuPhaseMs: end - start,
      renewEveryMs: Math.floor(leaseMs / 3),
      maxRenewGapMs: Math.max(...gaps),
      leaseMs,
      probeP50Ms: pct(late, 50),
      probeP99Ms: pct(late, 99),
      probeMaxMs: Math.max(...late),
    };
  });
}

/** Mean round trip of runner.run for a no-op, straight to the runner: no store, no claim loop. */
async function roundTrip(mode: Isolation, n: number): Promise<number> {
  return withDocket(async (docket) => {
    const runner =
      mode === 'inline'
        ? new InlineRunner()
        : mode === 'thread'
          ? new ThreadRunner({ size: 1 })
          : new ProcessRunner({ size: 1 });
    const task = docket.registry.get(`noop-${mode}`);
    const job = { id: '1', attempt: 1, queue: 'default', task: task.name } as Job;
    const ctx = {
      signal: new AbortController().signal,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      progress: async () => {},
      attempt: 1,
      jobId: '1',
      queue: 'default',
      task: task.name,
    };
    const request = { job, task, input: {}, ctx };
    for (let i = 0; i < 20; i++) await runner.run(request);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await runner.run(request);
    const mean = (performance.now() - t0) / n;
    await runner.close();
    return mean;
  });
}

say('# Runner figures');
say();
say(
  `Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim()}), load average ${loadavg()[0]?.toFixed(1)} at the start (the machine is shared), SQLite store.`,
);
say(
  'Command: `npx tsx bench/runners/bench.ts`. Treat the figures as orders of magnitude: other work shares the cores.',
);
say();
say('## Runner round trip (no store)');
say();
say(
  '`runner.run()` of a no-op, 500 times in a row, one thread or process: the cost of crossing over and back.',
);
say();
say('| mode | mean per job ms | overhead over inline ms |');
say('| --- | ---: | ---: |');
const trips: Record<string, number> = {};
for (const mode of MODES) trips[mode] = await roundTrip(mode, 500);
for (const mode of MODES) {
  say(`| ${mode} | ${trips[mode]!.toFixed(3)} | ${(trips[mode]! - trips.inline!).toFixed(3)} |`);
}
say();
const figures: ModeFigures[] = [];
for (const kind of ['noop', 'cpu'] as const) {
  for (const mode of MODES) {
    figures.push(
      kind === 'noop' ? await measure(mode, kind, 300, 50, 2) : await measure(mode, kind, 60, 20, 2),
    );
    console.error(`measured ${kind}-${mode}`);
  }
}
say('## Through a worker: throughput and latency');
say();
say(
  'One worker, concurrency 2, pools of 2. Burst: 300 no-ops / 60 CPU jobs enqueued at once. Latency: a steady 50/s (no-op) or 20/s (CPU) for 2 s. Mean run is start→finish as stored (ms precision).',
);
say();
say(
  'Inline no-ops finish in the same turn as their claim, so their completions and claims share SQLite transactions; a thread or process job comes back a turn later, costing about one transaction of its own per job. That store cost, not the runner round trip above, bounds the no-op burst rates of thread and process.',
);
say();
say('| job | mode | jobs/s (burst) | enqueue→start p50 ms | p99 ms | mean run ms |');
say('| --- | --- | ---: | ---: | ---: | ---: |');
for (const f of figures) {
  say(
    `| ${f.kind === 'noop' ? 'no-op' : '20 ms CPU'} | ${f.mode} | ${f.jobsPerSec} | ${f.p50StartMs} | ${f.p99StartMs} | ${f.meanRunMs} |`,
  );
}
say();
say('## Responsiveness with CPU-bound jobs');
say();
say(
  '12 jobs of 200 ms CPU on one worker (concurrency 2, lease 600 ms, renewal due every 200 ms); a second worker in the same process claims inline no-op probes due every 50 ms. A wait for renewal longer than the lease means the held leases expired in the store: another worker could reclaim and rerun those jobs.',
);
say();
say(
  '| CPU jobs run | CPU phase ms | longest wait for a lease renewal ms | probe start − due p50 ms | p99 ms | max ms |',
);
say('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const mode of ['inline', 'thread'] as const) {
  const r = await responsiveness(mode);
  const expired = r.maxRenewGapMs > r.leaseMs ? ' — past the lease' : '';
  say(
    `| ${mode} | ${r.cpuPhaseMs} | ${r.maxRenewGapMs} (due every ${r.renewEveryMs})${expired} | ${r.probeP50Ms} | ${r.probeP99Ms} | ${r.probeMaxMs} |`,
  );
}
say();
writeFileSync(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `${out.join('\n')}\n`);
process.exit(0);
