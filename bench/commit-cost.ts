// What a PostgreSQL commit costs on this machine, durable (synchronous_commit
// on, PostgreSQL's default: the commit waits for its WAL flush) and not (off),
// for a one-row insert sent every 2 ms: the pace of the latency scenario,
// where each job's enqueue and claim is such a commit. Interleaved rounds.
//   node --import tsx bench/commit-cost.ts [--rounds 4] [--each 300]
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '4' },
    each: { type: 'string', default: '300' },
    pg: { type: 'string', default: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});
const table = `commit_cost_${process.pid}`;
const client = new pg.Client({ connectionString: values.pg });
await client.connect();
await client.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, v int)`);
const times: Record<string, number[]> = { on: [], off: [] };
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const mode of ['on', 'off'] as const) {
      await client.query(`SET synchronous_commit = ${mode}`);
      for (let i = 0; i < Number(values.each); i++) {
        const started = performance.now();
        await client.query({ name: 'insert', text: `INSERT INTO ${table} (v) VALUES ($1)`, values: [i] });
        times[mode]!.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  }
} finally {
  await client.query(`DROP TABLE ${table}`);
  await client.end();
}
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((p / 100) * (xs.length - 1))]!;
console.log('| synchronous_commit | p50 ms | p90 ms | p99 ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const [mode, xs] of Object.entries(times)) {
  console.log(
    `| ${mode} | ${pct(xs, 50).toFixed(2)} | ${pct(xs, 90).toFixed(2)} | ${pct(xs, 99).toFixed(2)} |`,
  );
}
