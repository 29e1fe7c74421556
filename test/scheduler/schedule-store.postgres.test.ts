import { describe, it } from 'node:test';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { makePgStore, PG_URL, pgSkipReason } from '../helpers/pg.js';
import { runScheduleStoreSuite } from './schedule-store-suite.js';

// Each case gets its own schema; `second` is another pool on the same schema (another host).
const skipReason = await pgSkipReason();
if (skipReason) {
  describe('schedule store: postgres', () => {
    it('runs against PostgreSQL', { skip: skipReason }, () => {});
  });
} else {
  runScheduleStoreSuite({
    name: 'postgres',
    makeStore: async () => {
      const made = await makePgStore();
      const others: PostgresStore[] = [];
      return {
        store: made.store,
        second: async () => {
          const other = new PostgresStore({ connectionString: PG_URL, schema: made.schema });
          others.push(other);
          return other;
        },
        cleanup: async () => {
          for (const other of others) await other.close();
          await made.cleanup();
        },
      };
    },
  });
}
