// The machine, its load and the versions of everything measured, for BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { PG_ADMIN_URL, REDIS_HOST, REDIS_PORT } from './config.ts';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Snapshot {
  at: string;
  load: number[];
  /** The busiest processes at that moment (`ps`), to say what else was running. */
  busiest: string[];
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  versions: Record<string, string>;
  durability: Record<string, string>;
  docketCommit: string;
}

export function snapshot(): Snapshot {
  let busiest: string[] = [];
  try {
    busiest = execFileSync('ps', ['-eo', 'pcpu,etime,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .slice(1, 7)
      .map((line) => line.trim().replace(/\s+/g, ' ').slice(0, 110))
      .filter(Boolean);
  } catch {}
  return { at: new Date().toISOString(), load: os.loadavg().map((l) => Math.round(l * 100) / 100), busiest };
}

function packageVersion(name: string, from: string): string {
  try {
    const require = createRequire(join(from, 'package.json'));
    const path = require.resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function git(args: string[]): string {
  try {
    return execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const bench = join(ROOT, 'bench');
  const versions: Record<string, string> = { node: process.version };
  for (const name of ['bullmq', 'ioredis', 'graphile-worker', 'pg-boss'])
    versions[name] = packageVersion(name, bench);
  for (const name of ['better-sqlite3', 'pg', 'tsx']) versions[name] = packageVersion(name, ROOT);
  const durability: Record<string, string> = {};
  const db = new Database(':memory:');
  versions.sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  db.close();
  try {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    versions.postgresql = (await client.query('show server_version')).rows[0].server_version;
    for (const setting of ['synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers']) {
      durability[`postgresql ${setting}`] = (await client.query(`show ${setting}`)).rows[0][setting];
    }
    await client.end();
  } catch (error) {
    versions.postgresql = `unreachable (${(error as Error).message})`;
  }
  try {
    const redis = new Redis({ host: REDIS_HOST, port: REDIS_PORT, lazyConnect: true });
    await redis.connect();
    versions.redis = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
    for (const setting of ['appendonly', 'appendfsync', 'save']) {
      const [, value] = (await redis.config('GET', setting)) as string[];
      durability[`redis ${setting}`] = value === '' ? '(empty)' : (value ?? '?');
    }
    redis.disconnect();
  } catch (error) {
    versions.redis = `unreachable (${(error as Error).message})`;
  }
  const dirty = git(['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean).length;
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? '?',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    versions,
    durability,
    docketCommit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ` with ${dirty} uncommitted changes in src/` : ''}`,
  };
}
