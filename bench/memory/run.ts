// Where a Docket worker's memory goes in the drain scenario: the worker runs
// in a child process without the TypeScript loader (the bench's processes
// all carry it), drains 50,000 no-op jobs on PostgreSQL at concurrency 100
// with the bench's prefetch, and reports its RSS at start, when idle, and at
// its peak, with V8's heap spaces. Run once with Node's default young
// generation and once with `--max-semi-space-size=2` (MiB), interleaved.
//   npm run build && node --import tsx bench/memory/run.ts [--rounds 3]
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDocket, defineTask } from '../../dist/index.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '50000' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const JOBS = Number(values.jobs);
const FLAGS: Record<string, string[]> = {
  'node defaults': [],
  '--max-semi-space-size=2': ['--max-semi-space-size=2'],
};

async function once(flags: string[]): Promise<Record<string, number>> {
  const schema = `memory_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = `${values.pg}?schema=${schema}`;
  const noop = defineTask({ name: 'noop', queue: 'bench', run: () => {} });
  const producer = await createDocket({ store: url, tasks: [noop] });
  try {
    for (let n = 0; n < JOBS; n += 1000) {
      await producer.enqueueMany(
        Array.from({ length: Math.min(1000, JOBS - n) }, (_, i) => ({ task: noop, input: { n: n + i } })),
      );
    }
    const child = fork(join(import.meta.dirname, 'child.mjs'), [url, '100', '500', String(JOBS)], {
      execArgv: flags,
    });
    return await new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as Record<string, number>));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    });
  } finally {
    await producer.close();
    const client = new pg.Client({ connectionString: values.pg });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

const results: Record<string, Record<string, number>[]> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, flags] of Object.entries(FLAGS)) {
    const result = await once(flags);
    results[name] = [...(results[name] ?? []), result];
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const keys = ['rate', 'rssStart', 'rssIdle', 'rssPeak', 'heapTotalPeak', 'newSpace', 'oldSpace'];
console.log(
  `PostgreSQL drain of ${JOBS} jobs, concurrency 100, prefetch 500; medians of ${values.rounds} rounds`,
);
console.log(
  '\n| worker node flags | jobs/s | RSS at start MiB | RSS idle MiB | peak RSS MiB | peak V8 heap MiB | new space MiB | old space MiB |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [name, xs] of Object.entries(results)) {
  console.log(`| ${name} | ${keys.map((k) => median(xs.map((x) => x[k]!))).join(' | ')} |`);
}
