// The PostgreSQL ceiling: one table, batched insert, claim-and-delete with SKIP LOCKED (pg).
import pg from 'pg';
import type { Namespace, Payload, SystemAdapter } from '../lib/types.ts';
import { claimLoop } from './raw-loop.ts';

async function open(ns: Namespace): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: ns.pgUrl, max: 4 });
  await pool.query('CREATE TABLE IF NOT EXISTS jobs (id bigserial PRIMARY KEY, payload jsonb NOT NULL)');
  return pool;
}

export function makeAdapter(_system: string): SystemAdapter {
  return {
    async openProducer(ns) {
      const pool = await open(ns);
      return {
        async add(payload) {
          await pool.query({
            name: 'add',
            text: 'INSERT INTO jobs (payload) VALUES ($1)',
            values: [payload],
          });
        },
        async addMany(payloads) {
          await pool.query({
            name: 'add-many',
            text: 'INSERT INTO jobs (payload) SELECT * FROM unnest($1::jsonb[])',
            values: [payloads.map((payload) => JSON.stringify(payload))],
          });
        },
        close: () => pool.end(),
      };
    },
    async startConsumer(ns, options) {
      const pool = await open(ns);
      const claim = async (limit: number) => {
        const { rows } = await pool.query<{ payload: Payload }>({
          name: 'claim',
          text: `DELETE FROM jobs WHERE id IN (
                   SELECT id FROM jobs ORDER BY id FOR UPDATE SKIP LOCKED LIMIT $1
                 ) RETURNING payload`,
          values: [limit],
        });
        return rows.map((row) => row.payload);
      };
      return claimLoop(claim, options, () => pool.end());
    },
  };
}
