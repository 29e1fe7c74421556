// The drain rate Docket's store allows on its own, with no worker: one loop
// claims 500 jobs (as the bench's worker does with its prefetch) and
// completes them in one call, until every job is done. Whatever the worker
// adds (handlers, events, leases, statistics) comes on top, so a worker's
// drain can never pass this figure. Both stores, 3 interleaved rounds,
// medians with min–max; with a CPU split of where the time went.
//   npm run build && node --import tsx bench/store-ceiling.ts [--jobs 50000] [--rounds 3]
import { parseArgs } from 'node:util';
import { createDocket, defineTask } from '../dist/index.js';
import { drainThroughStore, freshStore } from './lib/fresh-store.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '3' },
    batch: { type: 'string', default: '500' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const JOBS = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const BATCH = Number(values.batch);

interface Result {
  rate: number;
  claimUs: number;
  completeUs: number;
}

async function once(kind: 'sqlite' | 'postgres'): Promise<Result> {
  const fresh = freshStore(kind, values.pg, 'ceiling');
  const noop = defineTask({ name: 'noop', queue: 'bench', run: () => {} });
  const docket = await createDocket({ store: fresh.url, tasks: [noop] });
  try {
    for (let n = 0; n < JOBS; n += 1000) {
      await docket.enqueueMany(
        Array.from({ length: Math.min(1000, JOBS - n) }, (_, i) => ({
          task: noop,
          input: { n: n + i },
        })),
      );
    }
    const started = performance.now();
    const { claimMs, completeMs } = await drainThroughStore(docket.store, JOBS, BATCH);
    const seconds = (performance.now() - started) / 1000;
    return { rate: JOBS / seconds, claimUs: (1000 * claimMs) / JOBS, completeUs: (1000 * completeMs) / JOBS };
  } finally {
    await docket.close();
    await fresh.remove();
  }
}

const results: Record<string, Result[]> = { sqlite: [], postgres: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of ['sqlite', 'postgres'] as const) results[kind]!.push(await once(kind));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${JOBS} jobs, claims of ${BATCH} completed in one call each, ${ROUNDS} interleaved rounds\n`);
console.log('| store | jobs/s, median (min–max) | claim µs/job | complete µs/job |');
console.log('| --- | ---: | ---: | ---: |');
for (const [kind, xs] of Object.entries(results)) {
  const rates = xs.map((x) => x.rate);
  console.log(
    `| ${kind} | ${median(rates).toFixed(0)} (${Math.min(...rates).toFixed(0)}–${Math.max(...rates).toFixed(0)}) | ${median(xs.map((x) => x.claimUs)).toFixed(1)} | ${median(xs.map((x) => x.completeUs)).toFixed(1)} |`,
  );
}
