// Which of Docket's PostgreSQL statements are slow in a drain, with their plans (EXPLAIN ANALYZE via
// auto_explain, turned on for a database made for this run only). Reads the server log, so run it on
// the machine that runs PostgreSQL. Usage: node --import tsx explain-pg.ts [--jobs 20000] [--concurrency 10]
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDocket, defineTask } from '../src/index.ts';
import { PG_ADMIN_URL } from './lib/config.ts';
import { createNamespace, dropNamespace, newNamespace } from './lib/namespace.ts';
import { nowMs, sleep } from './lib/stats.ts';

const LOG = process.env.BENCH_PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '6' },
    'min-ms': { type: 'string', default: '5' },
  },
});

const ns = newNamespace('explain');
await createNamespace(ns, 'postgres');
try {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  const db = `"${ns.pgDatabase}"`;
  await admin.query(`ALTER DATABASE ${db} SET session_preload_libraries = 'auto_explain'`);
  await admin.query(
    `ALTER DATABASE ${db} SET auto_explain.log_min_duration = '${Number(values['min-ms'])}ms'`,
  );
  await admin.query(`ALTER DATABASE ${db} SET auto_explain.log_analyze = on`);
  await admin.query(`ALTER DATABASE ${db} SET auto_explain.log_buffers = on`);
  await admin.end();

  let count = 0;
  const task = defineTask({ name: 'noop', queue: 'bench', run: () => void count++ });
  const docket = await createDocket({ store: ns.pgUrl, tasks: [task] });
  const jobs = Number(values.jobs);
  for (let n = 0; n < jobs; n += 1000) {
    await docket.enqueueMany(
      Array.from({ length: Math.min(1000, jobs - n) }, (_, i) => ({ task, input: { n: n + i } })),
    );
  }
  const offset = statSync(LOG).size;
  const start = nowMs();
  docket.startWorker({ queues: ['bench'], concurrency: Number(values.concurrency) });
  await sleep(Number(values.seconds) * 1000);
  const rate = count / ((nowMs() - start) / 1000);
  await docket.close();
  console.log(
    `drained ${count} jobs in ${values.seconds} s (${Math.round(rate)} jobs/s) at concurrency ${values.concurrency}`,
  );

  const size = statSync(LOG).size - offset;
  const buffer = Buffer.alloc(size);
  const fd = openSync(LOG, 'r');
  readSync(fd, buffer, 0, size, offset);
  closeSync(fd);
  const entries = buffer
    .toString('utf8')
    .split(/\n(?=\d{4}-\d\d-\d\d )/)
    .filter((e) => e.includes('duration:') && e.includes('plan:'));
  const groups = new Map<string, { n: number; ms: number; sample: string }>();
  for (const entry of entries) {
    const ms = Number(/duration: ([\d.]+) ms/.exec(entry)?.[1] ?? 0);
    const text =
      /Query Text: ([\s\S]*?)\n\s+(?:[A-Z][a-z]+.*\(cost|->|Insert|Update|Delete|Limit|Result|Sort|Nested|Hash|Seq|Index|Bitmap|Aggregate|CTE)/.exec(
        entry,
      )?.[1] ?? entry;
    const key = text.replace(/\s+/g, ' ').slice(0, 120);
    const group = groups.get(key) ?? { n: 0, ms: 0, sample: entry };
    group.n++;
    group.ms += ms;
    if (ms > Number(/duration: ([\d.]+) ms/.exec(group.sample)?.[1] ?? 0)) group.sample = entry;
    groups.set(key, group);
  }
  const ranked = [...groups.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5);
  console.log(`${entries.length} statements over ${values['min-ms']} ms; by total time:`);
  for (const [key, g] of ranked) {
    console.log(`\n== ${g.n} × ${(g.ms / g.n).toFixed(1)} ms avg, ${Math.round(g.ms)} ms total: ${key}`);
    console.log(g.sample.split('\n').slice(0, 60).join('\n'));
  }
} finally {
  await dropNamespace(ns, 'postgres');
}
