import { DocketError } from '../errors.js';
import { SqliteStore, type SqliteSynchronous } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const SYNC_MODES: SqliteSynchronous[] = ['off', 'normal', 'full', 'extra'];

/**
 * Opens a store from a connection string:
 * - `sqlite:./docket.db`, `sqlite:/abs/path.db`, `sqlite::memory:`, with
 *   optional `?synchronous=normal|full|off&busyTimeout=5000`;
 * - `postgres://…` or `postgresql://…`, with optional Docket parameters
 *   `?schema=docket&poolSize=10` (see docs/postgres.md); the rest goes to pg.
 */
export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const [path = '', query = ''] = url.slice('sqlite:'.length).replace(/^\/\//, '').split('?');
    const params = new URLSearchParams(query);
    const synchronous = (params.get('synchronous') ?? 'normal').toLowerCase() as SqliteSynchronous;
    if (!SYNC_MODES.includes(synchronous)) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `synchronous=${synchronous} is not one of ${SYNC_MODES.join(', ')}`,
        { details: { field: 'store.synchronous' } },
      );
    }
    const busy = params.get('busyTimeout');
    if (!path) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `store "${url}" names no file; use sqlite:./docket.db`,
        {
          details: { field: 'store' },
        },
      );
    }
    return new SqliteStore({
      filename: path,
      synchronous,
      ...(busy ? { busyTimeoutMs: Number(busy) } : {}),
    });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    // Loaded on demand, so SQLite users never load pg.
    const { postgresOptionsFromUrl, PostgresStore } = await import('./postgres/postgres-store.js');
    return new PostgresStore(postgresOptionsFromUrl(url));
  }
  throw new DocketError(
    'DOCKET_INVALID_ARGUMENT',
    `store "${url}" is not understood; use sqlite:./docket.db or postgres://user@host/db`,
    { details: { field: 'store' } },
  );
}
