// What the store-level tools (store-ceiling.ts, store-ab.ts, enqueue-cost.ts)
// share: a fresh Docket store for one run, removed afterwards, and a drain
// through the store alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../../dist/index.js';

/** A store URL made for one run: a file in a new directory, or a new PostgreSQL schema. */
export interface FreshStore {
  url: string;
  /** The PostgreSQL schema ('' on SQLite). */
  schema: string;
  /** Removes the file or the schema. */
  remove(): Promise<void>;
}

/** A fresh store of `kind`; `pgUrl` is the server's connection string. */
export function freshStore(kind: 'sqlite' | 'postgres', pgUrl: string, label: string): FreshStore {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `docket-${label}-`));
    return {
      url: `sqlite:${join(dir, 'q.db')}`,
      schema: '',
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `${label.replaceAll('-', '_')}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    url: `${pgUrl}?schema=${schema}`,
    schema,
    remove: async () => {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

/**
 * Drains `total` jobs of queue `bench` through the store alone: claims of
 * `batch`, each completed in one call. Returns the time spent in each.
 */
export async function drainThroughStore(
  store: Store,
  total: number,
  batch: number,
): Promise<{ claimMs: number; completeMs: number }> {
  let claimMs = 0;
  let completeMs = 0;
  for (let done = 0; done < total; ) {
    const t0 = performance.now();
    const jobs = await store.claim({
      now: Date.now(),
      queues: ['bench'],
      limit: batch,
      workerId: 'bench',
      leaseMs: 30_000,
    });
    const t1 = performance.now();
    await store.complete({
      now: Date.now(),
      jobs: jobs.map((j) => ({ id: j.id, attempt: j.attempt, result: 'null' })),
    });
    completeMs += performance.now() - t1;
    claimMs += t1 - t0;
    done += jobs.length;
  }
  return { claimMs, completeMs };
}
