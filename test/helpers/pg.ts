import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/postgres-store.js';

/** The test database; every run works in schemas of its own inside it. */
export const PG_URL = process.env.DOCKET_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let probe: Promise<string | undefined> | null = null;

/**
 * Undefined when PostgreSQL answers; otherwise why the PG tests skip. With
 * DOCKET_REQUIRE_PG=1 (CI) an unreachable server is an error, not a skip.
 */
export function pgSkipReason(): Promise<string | undefined> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (error) {
      const reason = `PostgreSQL at ${PG_URL} is unreachable (${(error as Error).message}); set DOCKET_TEST_PG_URL, or DOCKET_REQUIRE_PG=1 to fail instead of skipping`;
      if (process.env.DOCKET_REQUIRE_PG === '1') throw new Error(reason);
      return reason;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return probe;
}

/** A schema name no other run uses. */
export function uniqueSchema(prefix = 'docket_t'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Runs one statement on a short-lived connection (schema setup and teardown). */
export async function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/**
 * A migrated store in a fresh schema, on a small pool (many tests share one
 * server with max_connections = 100), and its cleanup: close, then drop.
 */
export async function makePgStore(
  options: Partial<PostgresStoreOptions> = {},
): Promise<{ store: PostgresStore; schema: string; pool: pg.Pool; cleanup: () => Promise<void> }> {
  const schema = options.schema ?? uniqueSchema();
  const pool = new pg.Pool({
    connectionString: PG_URL,
    max: 4,
    idleTimeoutMillis: 1000,
    application_name: 'docket-test',
  });
  const store = new PostgresStore({ pool, schema, ...options });
  await store.migrate();
  return {
    store,
    schema,
    pool,
    cleanup: async () => {
      await store.close();
      await pool.end();
      await dropSchema(schema);
    },
  };
}
