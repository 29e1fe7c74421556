// Two or more versions of PostgreSQL's flow_claim, called alternately on one
// table, to measure a change to the function on the server alone. The
// queue has every limit far above what is reached (as in drain-limits.ts)
// and its jobs are spread over 20 groups; each call claims --limit jobs and
// the claimed jobs are then completed by one UPDATE, and the time of the
// pair is recorded. Calls go in ABBA order so the table's drift hits every
// version alike. With --async, the session commits without waiting for the
// disk, so that only the work shows.
//
//   node --import tsx bench/flow/flow-claim-ab.ts [--limit 10] [--jobs 100000] [--calls 1500] [--async] [file.sql …]
//
// The installed function (the latest migration's) is always measured; each
// file adds one version: the text from its `CREATE OR REPLACE FUNCTION
// {schema}.flow_claim(` on, as in a migration file (for example
// src/store/postgres/migrations/007_group_cursor.sql, the version before the
// fast path), installed under another name.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDocket, defineTask } from '../../src/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    limit: { type: 'string', default: '10' },
    jobs: { type: 'string', default: '100000' },
    calls: { type: 'string', default: '1500' },
    async: { type: 'boolean', default: false },
    pg: {
      type: 'string',
      default: process.env.DOCKET_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const LIMIT = Number(values.limit);
const JOBS = Number(values.jobs);
const CALLS = Number(values.calls);
const WARM_UP = 200;
const HUGE = 1_000_000;
if ((CALLS + WARM_UP) * LIMIT * (positionals.length + 1) > JOBS) {
  throw new Error(`--jobs ${JOBS} is too few for ${CALLS} calls of ${LIMIT} per version`);
}

const schema = `flow_ab_${process.pid}`;
const task = defineTask<{ n: number }, void>({ name: 'noop', queue: 'bench', run: () => {} });
const docket = await createDocket({ store: `${values.pg}?schema=${schema}`, tasks: [task] });
const client = new pg.Client({ connectionString: values.pg });
await client.connect();
try {
  await docket.setQueue('bench', {
    concurrency: HUGE,
    rate: { limit: HUGE, per: '1s' },
    groupConcurrency: HUGE,
    groupRate: { limit: HUGE, per: '1s' },
  });
  for (let n = 0; n < JOBS; n += 1000) {
    await docket.enqueueMany(
      Array.from({ length: 1000 }, (_, i) => ({
        task,
        input: { n: n + i },
        options: { group: `g${(n + i) % 20}` },
      })),
    );
  }
  // As the store's own connections run them.
  await client.query('SET plan_cache_mode = force_generic_plan');
  if (values.async) await client.query('SET synchronous_commit = off');
  const versions = ['flow_claim'];
  for (const [i, file] of positionals.entries()) {
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('CREATE OR REPLACE FUNCTION {schema}.flow_claim(');
    if (start < 0) throw new Error(`${file}: no CREATE OR REPLACE FUNCTION {schema}.flow_claim(`);
    const name = `flow_claim_v${i + 1}`;
    await client.query(
      text
        .slice(start)
        .replace('{schema}.flow_claim(', `{schema}.${name}(`)
        .replaceAll('{schema}', `"${schema}"`),
    );
    versions.push(name);
  }
  const claimAndComplete = async (fn: string): Promise<number> => {
    const now = Date.now();
    const started = performance.now();
    const claimed = await client.query(`SELECT id FROM "${schema}".${fn}($1, $2, $3, 'bench', $4)`, [
      ['bench'],
      LIMIT,
      now,
      now + 30_000,
    ]);
    await client.query(
      `UPDATE "${schema}".jobs j SET state = 'completed', finished_at = $2, lease_expires_at = NULL
       FROM unnest($1::bigint[]) v(id) WHERE j.id = v.id`,
      [claimed.rows.map((r) => r.id), now],
    );
    return performance.now() - started;
  };
  for (let i = 0; i < WARM_UP; i++) for (const fn of versions) await claimAndComplete(fn);
  const times = new Map<string, number[]>(versions.map((v) => [v, []]));
  for (let i = 0; i < CALLS; i++) {
    for (const fn of i % 2 === 0 ? versions : [...versions].reverse())
      times.get(fn)!.push(await claimAndComplete(fn));
  }
  console.log(
    `flow_claim of ${LIMIT} among 20 groups plus completion, ${CALLS} calls each, ABBA${values.async ? ', synchronous_commit off' : ''}\n`,
  );
  console.log('| version | median ms | mean ms |\n| --- | ---: | ---: |');
  for (const [fn, t] of times) {
    const sorted = [...t].sort((a, b) => a - b);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const label =
      fn === 'flow_claim' ? 'installed' : positionals[Number(fn.slice('flow_claim_v'.length)) - 1];
    console.log(`| ${label} | ${sorted[sorted.length >> 1]!.toFixed(3)} | ${mean.toFixed(3)} |`);
  }
} finally {
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
  await client.end();
  await docket.close();
}
