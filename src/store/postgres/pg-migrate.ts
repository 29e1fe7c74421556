import type pg from 'pg';
import { loadPgMigrations } from './pg-sql.js';

/**
 * Applies pending numbered migrations in one transaction under an advisory
 * lock keyed by the schema: when several processes start at once, one
 * migrates and the others wait, then find nothing left to do. DDL is
 * transactional in PostgreSQL, so a failed migration leaves nothing behind.
 */
export async function runMigrations(pool: pg.Pool, schema: string, dir: string): Promise<number[]> {
  const migrations = loadPgMigrations(dir, schema);
  const client = await pool.connect();
  const ignore = () => {};
  client.on('error', ignore);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`docket-migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${schema}".migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`,
    );
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM "${schema}".migrations`);
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO "${schema}".migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, Date.now()],
      );
      done.push(migration.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.off('error', ignore);
    client.release(broken);
  }
}
