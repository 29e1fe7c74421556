// What the PostgreSQL fault tests (test/serial/) share: stopping and
// starting the local cluster, worker "hosts" in child processes that write
// every run to a ledger file, and reading that ledger.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newJob } from '../conformance/store-suite.js';
import { adminQuery, makePgStore, PG_URL, pgSkipReason } from './pg.js';
import { tempDir } from './tmp.js';
import { until } from './wait.js';

const HOST_SCRIPT = fileURLToPath(new URL('../postgres/fixtures/host.ts', import.meta.url));

/** Why a test that stops the local PostgreSQL cannot run here, if it cannot. */
export async function clusterSkipReason(): Promise<string | undefined> {
  const reason = await pgSkipReason();
  if (reason) return reason;
  try {
    execFileSync('which', ['pg_ctlcluster'], { stdio: 'ignore' });
    readdirSync('/etc/postgresql');
    return undefined;
  } catch {
    const why = 'pg_ctlcluster and /etc/postgresql are needed to stop and start PostgreSQL';
    if (process.env.DOCKET_REQUIRE_PG === '1') throw new Error(why);
    return why;
  }
}

/** Runs `pg_ctlcluster <version> main <args…>` on the local cluster and waits for it. */
export function pgCluster(...args: string[]): void {
  const version = readdirSync('/etc/postgresql')[0]!;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', ...args], { stdio: 'ignore' });
}

/** A count read through a restart: null while the server is down. */
async function countOrNull(sql: string): Promise<number | null> {
  try {
    return Number((await adminQuery(sql)).rows[0].count);
  } catch {
    return null;
  }
}

/** Waits, through restarts, until `count` jobs of `schema` are completed. */
export async function allCompleted(schema: string, count: number, what: string): Promise<void> {
  const completed = `SELECT count(*) FROM "${schema}".jobs WHERE state = 'completed'`;
  await until(async () => (await countOrNull(completed)) === count, what, {
    timeoutMs: 240_000,
    everyMs: 250,
  });
}

/** One line of the ledger: a run of a job as its handler started it. */
export interface LedgerRun {
  id: string;
  host: string;
  attempt: number;
  at: number;
}

/** Worker hosts (test/postgres/fixtures/host.ts) on one schema, writing to one ledger. */
export interface Hosts {
  ledger: string;
  children: { child: ChildProcess; exited: Promise<void> }[];
  /** Every run so far, in the order they started. */
  runs(): LedgerRun[];
  /** Asks every host to stop and waits for them to exit. */
  stop(): Promise<void>;
  /** Kills whatever is still running (cleanup). */
  kill(): Promise<void>;
}

/** Starts one host per name, each a worker process on `schema`, and waits until they are ready. */
export async function startHosts(
  dir: string,
  schema: string,
  names: string[],
  env: Record<string, string> = {},
): Promise<Hosts> {
  const ledger = join(dir, 'ledger.txt');
  writeFileSync(ledger, '');
  const children = names.map((name) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOST_SCRIPT], {
      env: {
        ...process.env,
        PG_URL,
        SCHEMA: schema,
        LEDGER: ledger,
        LEASE_MS: '5000',
        SWEEP_MS: '1000',
        HOST: name,
        // The hosts' store errors while the server is down are expected; the ledger and the rows tell the story.
        DOCKET_LOG_LEVEL: 'fatal',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  });
  await Promise.all(children.map((h) => new Promise((resolve) => h.child.once('message', resolve))));
  return {
    ledger,
    children,
    runs: () =>
      readFileSync(ledger, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [id, host, attempt, at] = line.split(' ');
          return { id: id!, host: host!, attempt: Number(attempt), at: Number(at) };
        }),
    async stop() {
      for (const h of children) if (h.child.connected) h.child.send({ type: 'stop' });
      await Promise.all(children.map((h) => h.exited));
    },
    async kill() {
      for (const h of children)
        if (h.child.exitCode === null && h.child.signalCode === null) h.child.kill('SIGKILL');
      await Promise.all(children.map((h) => h.exited));
    },
  };
}

/**
 * A migrated store in a fresh schema with worker hosts on it (see
 * startHosts); their cleanups go on `cleanups`, to run in reverse order.
 */
export async function storeWithHosts(
  cleanups: (() => Promise<void> | void)[],
  names: string[],
  env: Record<string, string> = {},
): Promise<{ made: Awaited<ReturnType<typeof makePgStore>>; hosts: Hosts }> {
  const made = await makePgStore();
  cleanups.push(made.cleanup);
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const hosts = await startHosts(dir, made.schema, names, env);
  cleanups.push(() => hosts.kill());
  return { made, hosts };
}

/** Enqueues `count` ledger jobs (each sleeps `ms`) in batches of 500. */
export async function enqueueLedgerJobs(
  store: Awaited<ReturnType<typeof makePgStore>>['store'],
  count: number,
  ms: number,
): Promise<void> {
  for (let i = 0; i < count; i += 500) {
    const jobs = Array.from({ length: Math.min(500, count - i) }, () =>
      newJob({
        task: 'ledger',
        queue: 'ledger',
        input: JSON.stringify({ ms }),
        runAt: Date.now(),
        maxAttempts: 25,
      }),
    );
    await store.enqueue({ now: Date.now(), jobs });
  }
}
