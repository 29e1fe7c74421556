// HTTP enqueue benchmark: autocannon against POST /v1/jobs.
//
//   node --import tsx bench/http/enqueue.ts [--duration 10] [--overload 15] [--store sqlite|postgres://…]
//
// 1. Throughput: POST /v1/jobs as fast as the server accepts, no workers:
//    accepted requests/s and latency percentiles.
// 2. Overload: a worker with a known capacity (concurrency / run time), a
//    backlog limit on its queue, and clients sending twice that capacity:
//    429s must engage, the server's RSS must stay bounded, and every
//    accepted job must complete.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const duration = Number(arg('duration', '10'));
const overloadSeconds = Number(arg('overload', '15'));
const storeArg = arg('store', 'sqlite');
const connections = Number(arg('connections', '32'));
const concurrency = Number(arg('concurrency', '10'));
const runMs = Number(arg('run-ms', '50'));
const backlogLimit = Number(arg('backlog', '500'));

interface Started {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function start(store: string, workers: number, backlog: number | null): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/http/server-process.ts',
      store,
      String(workers),
      String(runMs),
      backlog === null ? '' : String(backlog),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server process exited with ${code}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The server process's resident memory, from its own /metrics. */
async function rss(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^docket_server_process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

async function counts(url: string): Promise<Record<string, number>> {
  const { queues } = (await (await fetch(`${url}/v1/queues`)).json()) as {
    queues: { name: string; counts: Record<string, number> }[];
  };
  return queues.find((q) => q.name === 'bench')?.counts ?? {};
}

function body(): string {
  return JSON.stringify({ task: 'bench', input: { n: 1 } });
}

function fmtMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function throughput(store: string): Promise<void> {
  const server = await start(store, 0, null);
  try {
    const result = await autocannon({
      url: `${server.url}/v1/jobs`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(),
      connections,
      duration,
    });
    const accepted = result.statusCodeStats['202']?.count ?? 0;
    console.log(
      `throughput [${store.split(':')[0]}] ${duration}s, ${connections} connections: ` +
        `${Math.round(Number(accepted) / duration)} accepted/s (${accepted} jobs), ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ` +
        `errors ${result.errors}, non-2xx ${result.non2xx}`,
    );
  } finally {
    await server.stop();
  }
}

async function overload(store: string): Promise<void> {
  const capacity = (concurrency * 1000) / runMs;
  const rate = Math.round(capacity * 2);
  const server = await start(store, concurrency, backlogLimit);
  try {
    const samples: number[] = [await rss(server.url)];
    const sampler = setInterval(() => void rss(server.url).then((v) => samples.push(v)), 1000);
    const result = await autocannon({
      url: `${server.url}/v1/jobs`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(),
      connections,
      overallRate: rate,
      duration: overloadSeconds,
    });
    clearInterval(sampler);
    const accepted = Number(result.statusCodeStats['202']?.count ?? 0);
    const refused = Number(result.statusCodeStats['429']?.count ?? 0);
    // Drain: every accepted job must finish (completed), none lost.
    const drainStart = Date.now();
    let now = await counts(server.url);
    while (
      (now.available ?? 0) + (now.active ?? 0) + (now.scheduled ?? 0) > 0 &&
      Date.now() - drainStart < 120_000
    ) {
      await sleep(250);
      now = await counts(server.url);
    }
    samples.push(await rss(server.url));
    const completed = now.completed ?? 0;
    // The store is the truth: autocannon stops counting at the deadline, so a few 202s still in flight go unseen.
    const stored = Object.values(now).reduce((a, b) => a + b, 0);
    console.log(
      `overload [${store.split(':')[0]}] ${overloadSeconds}s at ${rate} req/s (2x capacity ${capacity}/s: ` +
        `concurrency ${concurrency} x ${runMs} ms), backlog limit ${backlogLimit}: ` +
        `${accepted} accepted (${Math.round(accepted / overloadSeconds)}/s), ${refused} refused with 429, ` +
        `other ${JSON.stringify(Object.fromEntries(Object.entries(result.statusCodeStats).filter(([s]) => s !== '202' && s !== '429')))}, ` +
        `p99 ${result.latency.p99} ms; ` +
        `RSS start ${fmtMiB(samples[0]!)}, max ${fmtMiB(Math.max(...samples))}, end ${fmtMiB(samples[samples.length - 1]!)}; ` +
        `stored ${stored} (${stored - accepted} answered after the deadline), ` +
        `completed ${completed}/${stored}${completed === stored && stored >= accepted ? ' (all)' : ' (MISSING JOBS)'}, ` +
        `failed ${now.failed ?? 0}, drained in ${((Date.now() - drainStart) / 1000).toFixed(1)} s`,
    );
  } finally {
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'docket-bench-http-'));
try {
  const stores = storeArg === 'sqlite' ? [`sqlite:${join(dir, 'a.db')}`] : [storeArg];
  for (const store of stores) {
    await throughput(store);
    // The overload phase starts from an empty queue: a file of its own on
    // SQLite; on PostgreSQL a schema of its own (dropped by the caller).
    await overload(
      store.startsWith('sqlite:') ? `sqlite:${join(dir, 'b.db')}` : withSchemaSuffix(store, '_overload'),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The same PostgreSQL URL with `suffix` added to its schema (default `docket`). */
function withSchemaSuffix(url: string, suffix: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', `${parsed.searchParams.get('schema') ?? 'docket'}${suffix}`);
  return parsed.toString();
}
