// Fresh storage for every run, and its removal: a PostgreSQL database, an SQLite file, a Redis key prefix.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PG_ADMIN_URL, REDIS_HOST, REDIS_PORT } from './config.ts';
import type { Namespace, StoreKind } from './types.ts';

export const RESULTS_DIR = join(import.meta.dirname, '..', 'results');
const DATA_DIR = join(RESULTS_DIR, 'data');

function urlWithDatabase(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export function newNamespace(label: string): Namespace {
  const id = `${label.replace(/[^a-z0-9]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const pgDatabase = `bench_${id}`;
  return {
    id,
    pgDatabase,
    pgUrl: urlWithDatabase(pgDatabase),
    sqliteFile: join(DATA_DIR, `${id}.db`),
    redisHost: REDIS_HOST,
    redisPort: REDIS_PORT,
    redisPrefix: `bench-${id}`,
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createNamespace(ns: Namespace, store: StoreKind): Promise<void> {
  if (store === 'postgres') await admin((c) => c.query(`CREATE DATABASE "${ns.pgDatabase}"`));
  if (store === 'sqlite') mkdirSync(DATA_DIR, { recursive: true });
}

export async function dropNamespace(ns: Namespace, store: StoreKind): Promise<void> {
  if (store === 'postgres') {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${ns.pgDatabase}" WITH (FORCE)`));
  } else if (store === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(ns.sqliteFile + suffix, { force: true });
  } else {
    const redis = new Redis({ host: ns.redisHost, port: ns.redisPort, lazyConnect: true });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${ns.redisPrefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}
