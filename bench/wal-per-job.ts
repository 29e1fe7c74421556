// What PostgreSQL writes for a job: WAL records and bytes per job for each
// step of Docket's life of a job (enqueue in batches of 1,000, claims of 500,
// their completion) and of the raw SQL queue's (insert, claim-and-delete).
// Counted by EXPLAIN (ANALYZE, WAL) on the statements themselves, so the
// figures do not depend on how busy the machine is. Each system starts after
// a CHECKPOINT, so both pay the same full-page images.
//   npm run build && node --import tsx bench/wal-per-job.ts [--jobs 20000]
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDocket, defineTask } from '../dist/index.js';
import { bind, loadPgStatements } from '../dist/store/postgres/pg-sql.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const JOBS = Number(values.jobs);
const ENQUEUE_BATCH = 1000;
const CLAIM_BATCH = 500;

interface Wal {
  records: number;
  fpi: number;
  bytes: number;
}
const totals = new Map<string, Wal & { jobs: number }>();

/** Runs `sql` under EXPLAIN (ANALYZE, WAL), so it takes effect, and adds its WAL to `step`. */
async function counted(client: pg.Client, step: string, jobs: number, sql: string, params: unknown[] = []) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, WAL, FORMAT JSON) ${sql}`, params);
  const plan = (rows[0] as { 'QUERY PLAN': { Plan: Record<string, number> }[] })['QUERY PLAN'][0]!.Plan;
  const sum = totals.get(step) ?? { records: 0, fpi: 0, bytes: 0, jobs: 0 };
  sum.records += plan['WAL Records'] ?? 0;
  sum.fpi += plan['WAL FPI'] ?? 0;
  sum.bytes += plan['WAL Bytes'] ?? 0;
  sum.jobs += jobs;
  totals.set(step, sum);
}

/** A value as an SQL literal: EXPLAIN of a statement with parameters would need them as literals anyway. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = Array.isArray(value)
    ? `{${value.map((v) => (v === null ? 'NULL' : `"${String(v).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)).join(',')}}`
    : String(value);
  return `'${text.replaceAll("'", "''")}'`;
}

async function docket(client: pg.Client): Promise<void> {
  const schema = `walcount_${process.pid}`;
  const noop = defineTask({ name: 'noop', queue: 'bench', run: () => {} });
  const made = await createDocket({ store: `${values.pg}?schema=${schema}`, tasks: [noop] });
  await made.close();
  const statements = loadPgStatements(
    new URL('../dist/store/postgres/queries.sql', import.meta.url).pathname,
    schema,
  );
  const run = (name: string, params: Record<string, unknown>) => {
    const stmt = statements.get(name)!;
    const args = bind(stmt, params);
    return stmt.text.replace(/\$(\d+)/g, (_m, n: string) => literal(args[Number(n) - 1]));
  };
  try {
    await client.query('CHECKPOINT');
    const now = Date.now();
    for (let n = 0; n < JOBS; n += ENQUEUE_BATCH) {
      const size = Math.min(ENQUEUE_BATCH, JOBS - n);
      const column = <T>(value: (i: number) => T) => Array.from({ length: size }, (_, i) => value(i));
      const sql = run('enqueueOneTrip', {
        now,
        since: now - 60_000,
        channel: 'walcount',
        notify_prefix: 'j||',
        tasks: column(() => 'noop'),
        queues: column(() => 'bench'),
        inputs: column((i) => JSON.stringify({ n: n + i })),
        priorities: column(() => 0),
        run_ats: column(() => now),
        max_attempts: column(() => 3),
        keys: column(() => null),
        timeouts: column(() => null),
        trace_contexts: column(() => null),
        groups: column(() => null),
      });
      await counted(client, 'Docket: enqueue (1,000 a statement)', size, sql);
    }
    for (let done = 0; done < JOBS; ) {
      const claim = run('claim', {
        now,
        worker_id: 'w',
        lease_expires_at: now + 30_000,
        all_queues: false,
        queues: ['bench'],
        limit: CLAIM_BATCH,
      });
      // The claimed rows, as the worker would have them, for the completion.
      const { rows } = await client.query<{ id: string; attempt: number }>(
        `SELECT id, attempt FROM "${schema}".jobs WHERE state = 'available' ORDER BY id LIMIT ${CLAIM_BATCH}`,
      );
      await counted(client, 'Docket: claim (500 a statement)', rows.length, claim);
      const complete = run('complete', {
        ids: rows.map((r) => r.id),
        attempts: rows.map((r) => r.attempt + 1),
        results: rows.map(() => 'null'),
        now,
      });
      await counted(client, 'Docket: complete (500 a statement)', rows.length, complete);
      done += rows.length;
    }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function raw(client: pg.Client): Promise<void> {
  const schema = `walcount_raw_${process.pid}`;
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE "${schema}".jobs (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
    await client.query('CHECKPOINT');
    for (let n = 0; n < JOBS; n += ENQUEUE_BATCH) {
      const size = Math.min(ENQUEUE_BATCH, JOBS - n);
      const payloads = Array.from({ length: size }, (_, i) => JSON.stringify({ n: n + i }));
      await counted(
        client,
        'raw SQL: insert (1,000 a statement)',
        size,
        `INSERT INTO "${schema}".jobs (payload) SELECT * FROM unnest($1::jsonb[])`,
        [payloads],
      );
    }
    for (let done = 0; done < JOBS; done += CLAIM_BATCH) {
      await counted(
        client,
        'raw SQL: claim-and-delete (500 a statement)',
        Math.min(CLAIM_BATCH, JOBS - done),
        `DELETE FROM "${schema}".jobs WHERE id IN (
           SELECT id FROM "${schema}".jobs ORDER BY id FOR UPDATE SKIP LOCKED LIMIT ${CLAIM_BATCH}
         ) RETURNING payload`,
      );
    }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

const client = new pg.Client({ connectionString: values.pg });
await client.connect();
try {
  await docket(client);
  await raw(client);
} finally {
  await client.end();
}

console.log(`${JOBS} jobs; WAL per job, from EXPLAIN (ANALYZE, WAL) of each statement\n`);
console.log('| step | records | full-page images | bytes |');
console.log('| --- | ---: | ---: | ---: |');
const perJob = { docket: { records: 0, bytes: 0 }, raw: { records: 0, bytes: 0 } };
for (const [step, sum] of totals) {
  const records = sum.records / sum.jobs;
  const bytes = sum.bytes / sum.jobs;
  const who = step.startsWith('Docket') ? perJob.docket : perJob.raw;
  who.records += records;
  who.bytes += bytes;
  console.log(
    `| ${step} | ${records.toFixed(2)} | ${(sum.fpi / sum.jobs).toFixed(3)} | ${bytes.toFixed(0)} |`,
  );
}
console.log(
  `| **Docket, a job's whole life** | ${perJob.docket.records.toFixed(2)} | | ${perJob.docket.bytes.toFixed(0)} |`,
);
console.log(
  `| **raw SQL, a job's whole life** | ${perJob.raw.records.toFixed(2)} | | ${perJob.raw.bytes.toFixed(0)} |`,
);
