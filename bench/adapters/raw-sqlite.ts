// The SQLite ceiling: one table, batched insert, claim-and-delete in one statement (better-sqlite3).
import Database from 'better-sqlite3';
import type { Namespace, Payload, SystemAdapter } from '../lib/types.ts';
import { claimLoop } from './raw-loop.ts';

function open(ns: Namespace, synchronous: 'normal' | 'full') {
  const db = new Database(ns.sqliteFile);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  return db;
}

export function makeAdapter(system: string): SystemAdapter {
  const synchronous = system.endsWith('-full') ? 'full' : 'normal';
  return {
    async openProducer(ns) {
      const db = open(ns, synchronous);
      const insert = db.prepare('INSERT INTO jobs (payload) VALUES (?)');
      const insertMany = db.transaction((payloads: Payload[]) => {
        for (const payload of payloads) insert.run(JSON.stringify(payload));
      });
      return {
        async add(payload) {
          insert.run(JSON.stringify(payload));
        },
        async addMany(payloads) {
          insertMany.immediate(payloads);
        },
        async close() {
          db.close();
        },
      };
    },
    async startConsumer(ns, options) {
      const db = open(ns, synchronous);
      const take = db.prepare(
        'DELETE FROM jobs WHERE id IN (SELECT id FROM jobs ORDER BY id LIMIT ?) RETURNING payload',
      );
      const claim = db.transaction((limit: number) =>
        (take.all(limit) as { payload: string }[]).map((row) => JSON.parse(row.payload) as Payload),
      );
      return claimLoop(
        (limit) => claim.immediate(limit),
        options,
        () => {
          db.close();
        },
      );
    },
  };
}
