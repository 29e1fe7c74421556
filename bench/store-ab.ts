// Two builds of Docket side by side, on the store's hot paths: awaited single
// enqueues, enqueues of 1,000, and a drain through the store alone (claims of
// 500, each completed in one call), µs per job for each. The builds run
// alternately in one process, each on a fresh store, so drift hits both
// alike; prints medians and how many pairs the build under test won. To
// measure a change: build the commit before it elsewhere (git worktree add
// /tmp/before <commit>; npm ci; npm run build there), build this tree, then
//   node --import tsx bench/store-ab.ts --before /tmp/before/dist/index.js [--store sqlite|postgres] [--rounds 8]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { drainThroughStore, freshStore } from './lib/fresh-store.ts';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: resolve(import.meta.dirname, '../dist/index.js') },
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '8' },
    single: { type: 'string', default: '5000' },
    bulk: { type: 'string', default: '50000' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
if (!values.before) {
  console.error(
    'usage: node --import tsx bench/store-ab.ts --before <other build>/dist/index.js [--store sqlite|postgres]',
  );
  process.exit(2);
}
const SINGLE = Number(values.single);
const BULK = Number(values.bulk);
const STEPS = ['single enqueue', 'bulk enqueue', 'claim', 'complete'] as const;
type Step = (typeof STEPS)[number];
type Costs = Record<Step, number>;
type DocketModule = typeof import('../dist/index.js');

const builds: Record<'before' | 'after', DocketModule> = {
  before: await import(resolve(values.before)),
  after: await import(resolve(values.after)),
};

async function once(build: DocketModule): Promise<Costs> {
  const fresh = freshStore(values.store === 'sqlite' ? 'sqlite' : 'postgres', values.pg, 'store-ab');
  const noop = build.defineTask({ name: 'noop', queue: 'bench', run: () => {} });
  const docket = await build.createDocket({ store: fresh.url, tasks: [noop] });
  try {
    let t = performance.now();
    for (let i = 0; i < SINGLE; i++) await docket.enqueue(noop, { i });
    const single = (1000 * (performance.now() - t)) / SINGLE;
    t = performance.now();
    for (let n = 0; n < BULK; n += 1000) {
      await docket.enqueueMany(Array.from({ length: 1000 }, (_, i) => ({ task: noop, input: { n: n + i } })));
    }
    const bulk = (1000 * (performance.now() - t)) / BULK;
    const total = SINGLE + BULK;
    const { claimMs, completeMs } = await drainThroughStore(docket.store, total, 500);
    return {
      'single enqueue': single,
      'bulk enqueue': bulk,
      claim: (1000 * claimMs) / total,
      complete: (1000 * completeMs) / total,
    };
  } finally {
    await docket.close();
    await fresh.remove();
  }
}

const results = { before: [] as Costs[], after: [] as Costs[] };
for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const);
  for (const name of order) results[name].push(await once(builds[name]));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`${values.store}: ${values.rounds} alternating rounds; µs per job, medians\n`);
console.log('| step | before | after | after faster in |');
console.log('| --- | ---: | ---: | ---: |');
for (const step of STEPS) {
  const before = results.before.map((r) => r[step]);
  const after = results.after.map((r) => r[step]);
  const won = after.filter((x, i) => x < before[i]!).length;
  console.log(
    `| ${step} | ${median(before).toFixed(2)} | ${median(after).toFixed(2)} | ${won} of ${after.length} |`,
  );
}
