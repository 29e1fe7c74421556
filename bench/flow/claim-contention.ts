// Drain throughput with and without flow-control limits configured but not
// binding, on SQLite and PostgreSQL. Four claim loops per store each claim
// 10 jobs and complete them (the worker's store traffic without handler
// work), until N jobs are done; configurations run interleaved, 3 rounds.
//   node --import tsx bench/flow/claim-contention.ts [jobs]
// Several claimers of one queue at once: limited claims take turns on the queue row.
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewJob, Store, UpdateQueueParams } from '../../src/store/store.js';
import { makePgStore, pgSkipReason } from '../../test/helpers/pg.js';
import { tempDir } from '../../test/helpers/tmp.js';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = 3;
const HUGE = 1_000_000;
const configs: { name: string; settings: Omit<UpdateQueueParams, 'now' | 'name'>; groups: number }[] = [
  { name: 'no limits', settings: {}, groups: 0 },
  {
    name: 'queue concurrency + rate (not binding)',
    settings: { concurrency: HUGE, rate: { limit: HUGE, periodMs: 1000, burst: null } },
    groups: 0,
  },
  {
    name: '+ group concurrency + group rate, 20 groups (not binding)',
    settings: {
      concurrency: HUGE,
      rate: { limit: HUGE, periodMs: 1000, burst: null },
      groupConcurrency: HUGE,
      groupRate: { limit: HUGE, periodMs: 1000, burst: null },
    },
    groups: 20,
  },
];

async function drain(store: Store, config: (typeof configs)[number], queue: string): Promise<number> {
  const now = Date.now();
  await store.updateQueue({ now, name: queue, ...config.settings });
  const jobs: NewJob[] = Array.from({ length: N }, (_, i) => ({
    task: 't',
    queue,
    input: '{}',
    priority: 0,
    runAt: now,
    maxAttempts: 1,
    key: null,
    timeoutMs: null,
    group: config.groups > 0 ? `g${i % config.groups}` : null,
  }));
  for (let i = 0; i < N; i += 1000) await store.enqueue({ now, jobs: jobs.slice(i, i + 1000) });
  let done = 0;
  const started = performance.now();
  const loop = async (w: number) => {
    for (;;) {
      const claimed = await store.claim({
        now: Date.now(),
        queues: [queue],
        limit: 10,
        workerId: `w${w}`,
        leaseMs: 30_000,
      });
      if (claimed.length === 0) return;
      await store.complete({
        now: Date.now(),
        jobs: claimed.map((j) => ({ id: j.id, attempt: j.attempt, result: null })),
      });
      done += claimed.length;
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  const seconds = (performance.now() - started) / 1000;
  if (done !== N) throw new Error(`drained ${done} of ${N}`);
  return N / seconds;
}

async function bench(name: string, store: Store): Promise<void> {
  const results = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, config] of configs.entries()) {
      const rate = await drain(store, config, `bench-${round}-${i}`);
      results.set(config.name, [...(results.get(config.name) ?? []), rate]);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(results.get(configs[0]!.name)!);
  console.log(`\n${name}: ${N} jobs, 4 claim loops of 10, median of ${ROUNDS} interleaved rounds`);
  for (const config of configs) {
    const m = median(results.get(config.name)!);
    console.log(
      `  ${config.name.padEnd(58)} ${m.toFixed(0).padStart(7)} jobs/s  ${((m / base) * 100).toFixed(0)} %`,
    );
  }
}

const dir = tempDir();
const sqlite = new SqliteStore({ filename: join(dir.dir, 'bench.db') });
await sqlite.migrate();
await bench('sqlite', sqlite);
await sqlite.close();
dir.cleanup();

if (!(await pgSkipReason())) {
  const pg = await makePgStore();
  try {
    await bench('postgres', pg.store);
  } finally {
    await pg.cleanup();
  }
}
