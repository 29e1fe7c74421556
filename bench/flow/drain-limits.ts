// What flow-control limits cost when they are configured but not binding:
// the drain scenario (jobs already queued, one worker at a concurrency,
// no-op handlers; rate from first to last start) of the same jobs without
// and with limits far above what the drain reaches: queue limits on jobs
// without groups, queue and group limits on jobs in 20 groups. Both stores;
// configurations run interleaved (in reverse order every other round), 3
// rounds, medians with min–max.
//
//   node --import tsx bench/flow/drain-limits.ts [--jobs 20000] [--rounds 3] [--concurrency 10,100] [--prefetch 0] [--stores sqlite,postgres]
//
// The worker runs in this process (the producer has finished before it
// starts), so the figure is the worker's own path: claim, run, complete.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDocket, defineTask, type QueueSettingsInput } from '../../src/index.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '10,100' },
    prefetch: { type: 'string', default: '0' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    pg: {
      type: 'string',
      default: process.env.DOCKET_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const JOBS = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = values.concurrency.split(',').map(Number);
const PREFETCH = Number(values.prefetch);
const STORES = values.stores.split(',') as ('sqlite' | 'postgres')[];
const HUGE = 1_000_000;

interface Config {
  name: string;
  settings: QueueSettingsInput;
  groups: number;
}
// Two workloads, each drained without and with limits: the limits' cost is
// the difference on the same jobs. (Jobs in groups cost more to drain with
// or without limits: their claim index entries spread over the groups.)
const CONFIGS: Config[] = [
  { name: 'no limits', settings: {}, groups: 0 },
  {
    name: 'queue concurrency + rate',
    settings: { concurrency: HUGE, rate: { limit: HUGE, per: '1s' } },
    groups: 0,
  },
  { name: '20 groups, no limits', settings: {}, groups: 20 },
  {
    name: '20 groups, queue + group concurrency + rate',
    settings: {
      concurrency: HUGE,
      rate: { limit: HUGE, per: '1s' },
      groupConcurrency: HUGE,
      groupRate: { limit: HUGE, per: '1s' },
    },
    groups: 20,
  },
];
/** The configuration each one is compared with: the same jobs without limits. */
const BASELINE: Record<string, string> = {
  'queue concurrency + rate': 'no limits',
  '20 groups, queue + group concurrency + rate': '20 groups, no limits',
};

/** A fresh store URL per run, and how to clean it up. */
async function freshStore(
  kind: 'sqlite' | 'postgres',
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'docket-flow-bench-'));
    return {
      url: `sqlite:${join(dir, 'q.db')}`,
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `flow_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(values.pg);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: values.pg });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

async function drain(kind: 'sqlite' | 'postgres', config: Config, concurrency: number): Promise<number> {
  const store = await freshStore(kind);
  let count = 0;
  let first = 0;
  let last = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const task = defineTask<{ n: number }, void>({
    name: 'noop',
    queue: 'bench',
    run: () => {
      last = performance.now();
      if (count++ === 0) first = last;
      if (count === JOBS) done();
    },
  });
  const docket = await createDocket({ store: store.url, tasks: [task] });
  try {
    await docket.setQueue('bench', config.settings);
    for (let n = 0; n < JOBS; n += 1000) {
      await docket.enqueueMany(
        Array.from({ length: Math.min(1000, JOBS - n) }, (_, i) => ({
          task,
          input: { n: n + i },
          options: config.groups > 0 ? { group: `g${(n + i) % config.groups}` } : {},
        })),
      );
    }
    docket.startWorker({
      queues: ['bench'],
      concurrency,
      prefetch: PREFETCH,
      maintenance: false,
      loopBlockWarning: false,
    });
    await finished;
    return (JOBS - 1) / ((last - first) / 1000);
  } finally {
    await docket.close();
    await store.cleanup();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${JOBS} jobs per drain, prefetch ${PREFETCH}, ${ROUNDS} interleaved rounds, medians (min–max)\n`,
);
console.log(
  '| store | concurrency | jobs and limits (no limit binding) | jobs/s | of the same jobs without limits |',
);
console.log('| --- | ---: | --- | ---: | ---: |');
for (const kind of STORES) {
  for (const concurrency of CONCURRENCY) {
    const rates = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      // A B C D, then D C B A: each configuration runs early and late in a round
      // alike (a drain right after another's cleanup measured slower).
      for (const config of round % 2 === 0 ? CONFIGS : [...CONFIGS].reverse()) {
        rates.set(config.name, [...(rates.get(config.name) ?? []), await drain(kind, config, concurrency)]);
      }
    }
    for (const config of CONFIGS) {
      const xs = rates.get(config.name)!;
      const m = median(xs);
      const base = BASELINE[config.name];
      const ratio = base ? `${((100 * m) / median(rates.get(base)!)).toFixed(0)} %` : '';
      console.log(
        `| ${kind} | ${concurrency} | ${config.name} | ${m.toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}) | ${ratio} |`,
      );
    }
  }
}
