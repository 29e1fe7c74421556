// Where a bulk enqueue's time goes, against the raw SQL queue's insert on the
// same store: Docket's whole `enqueueMany`; its store's insert alone (the
// rows built beforehand, so Docket's own code is left out); that insert with
// the job table's secondary indexes dropped; and the raw queue's insert into a
// table of id and payload. Each step down removes one cost, so the
// differences say what each costs. Both stores, batches of 1,000, rounds
// interleaved, medians with min–max and this process's CPU per job.
//   npm run build && node --import tsx bench/enqueue-cost.ts [--jobs 50000] [--rounds 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDocket, defineTask, type NewJob } from '../dist/index.js';
import { type FreshStore, freshStore } from './lib/fresh-store.ts';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '3' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const JOBS = Number(values.jobs);
const ROUNDS = Number(values.rounds);
const BATCH = 1000;

type Kind = 'sqlite' | 'postgres';
type Variant = 'docket' | 'store' | 'store, no secondary indexes' | 'raw SQL';
const VARIANTS: Variant[] = ['docket', 'store', 'store, no secondary indexes', 'raw SQL'];

interface Result {
  rate: number;
  cpuUs: number;
}

/** Times `write` over every batch: wall-clock rate and this process's CPU per job. */
async function timed(batches: number, write: (batch: number) => Promise<unknown> | unknown): Promise<Result> {
  await write(-1); // warm-up: statements prepared, connections open
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let b = 0; b < batches; b++) await write(b);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rate: (batches * BATCH) / seconds, cpuUs: (cpu.user + cpu.system) / (batches * BATCH) };
}

const payload = (n: number) => ({ n });

async function docketRun(kind: Kind, variant: Exclude<Variant, 'raw SQL'>): Promise<Result> {
  const fresh = freshStore(kind, values.pg, 'enqueue-cost');
  const noop = defineTask({ name: 'noop', queue: 'bench', run: () => {} });
  const docket = await createDocket({ store: fresh.url, tasks: [noop] });
  try {
    if (variant === 'store, no secondary indexes') await dropSecondaryIndexes(kind, fresh);
    const batches = Math.ceil(JOBS / BATCH);
    if (variant === 'docket') {
      return await timed(batches, (b) =>
        docket.enqueueMany(
          Array.from({ length: BATCH }, (_, i) => ({ task: noop, input: payload(b * BATCH + i) })),
        ),
      );
    }
    // The rows Docket's client would hand its store, built before the clock starts.
    const rows = (b: number): NewJob[] =>
      Array.from({ length: BATCH }, (_, i) => ({
        task: 'noop',
        queue: 'bench',
        input: JSON.stringify(payload(b * BATCH + i)),
        priority: 0,
        runAt: Date.now(),
        maxAttempts: 3,
        key: null,
        timeoutMs: null,
        traceContext: null,
        group: null,
      }));
    const prepared = Array.from({ length: batches + 1 }, (_, b) => rows(b));
    return await timed(batches, (b) => docket.store.enqueue({ now: Date.now(), jobs: prepared[b + 1]! }));
  } finally {
    await docket.close();
    await fresh.remove();
  }
}

/** Drops every index of the job table but its primary key (and, on SQLite, the rowid it is). */
async function dropSecondaryIndexes(kind: Kind, { url, schema }: FreshStore) {
  if (kind === 'postgres') {
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'jobs' AND indexname <> 'jobs_pkey'`,
        [schema],
      );
      for (const { indexname } of rows) await admin.query(`DROP INDEX "${schema}"."${indexname}"`);
    } finally {
      await admin.end();
    }
    return;
  }
  const db = new Database(url.slice('sqlite:'.length));
  try {
    const names = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'docket_jobs' AND sql IS NOT NULL`,
      )
      .pluck()
      .all() as string[];
    for (const name of names) db.exec(`DROP INDEX "${name}"`);
  } finally {
    db.close();
  }
}

/** The raw queue's bulk insert, as bench/adapters/raw-*.ts do it. */
async function rawRun(kind: Kind): Promise<Result> {
  const texts = (b: number) =>
    Array.from({ length: BATCH }, (_, i) => JSON.stringify(payload(b * BATCH + i)));
  const batches = Math.ceil(JOBS / BATCH);
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'docket-enqueue-cost-'));
    const db = new Database(join(dir, 'raw.db'));
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = normal');
      db.exec('CREATE TABLE jobs (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
      const insert = db.prepare('INSERT INTO jobs (payload) VALUES (?)');
      const many = db.transaction((payloads: string[]) => {
        for (const text of payloads) insert.run(text);
      });
      return await timed(batches, (b) => many.immediate(texts(b + 1)));
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const schema = `enqraw_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: values.pg });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
    await client.query(`CREATE TABLE "${schema}".jobs (id bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
    const text = `INSERT INTO "${schema}".jobs (payload) SELECT * FROM unnest($1::jsonb[])`;
    return await timed(batches, (b) => client.query({ name: 'add-many', text, values: [texts(b + 1)] }));
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}

const results = new Map<string, Result[]>();
for (let round = 0; round < ROUNDS; round++) {
  // Reverse the order every other round, so drift does not favour whichever runs first.
  const order = round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
  for (const kind of ['sqlite', 'postgres'] as const) {
    for (const variant of order) {
      const result = variant === 'raw SQL' ? await rawRun(kind) : await docketRun(kind, variant);
      const key = `${kind}\u0000${variant}`;
      results.set(key, [...(results.get(key) ?? []), result]);
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`${JOBS} jobs in batches of ${BATCH}, ${ROUNDS} interleaved rounds; CPU is this process's\n`);
console.log('| store | what is timed | jobs/s, median (min–max) | CPU µs/job |');
console.log('| --- | --- | ---: | ---: |');
for (const kind of ['sqlite', 'postgres'] as const) {
  for (const variant of VARIANTS) {
    const xs = results.get(`${kind}\u0000${variant}`)!;
    const rates = xs.map((x) => x.rate);
    console.log(
      `| ${kind} | ${variant} | ${fmt(median(rates))} (${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}) | ${median(xs.map((x) => x.cpuUs)).toFixed(1)} |`,
    );
  }
}
