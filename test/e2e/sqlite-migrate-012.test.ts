// SQLite migration 012 makes the job and log tables anew with their checks
// written without IN lists. On a file made by the migrations before it:
// every row comes through with its id and every column; the checks refuse what
// they refused; the indexes are all there again, a waiting key is still
// unique, and the statements that read through the partial indexes use them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { loadNamedStatements } from '../../src/store/sql-file.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SQLITE_SOURCES, sqliteBefore } from '../helpers/sqlite-old-schema.js';
import { tempDir } from '../helpers/tmp.js';

/** A file at the schema of the migrations before 012, with jobs in every state. */
function oldFile(file: string): void {
  const db = sqliteBefore(file, 12);
  db.exec(`
    INSERT INTO docket_jobs (id, task, queue, state, input, priority, run_at, attempt, max_attempts, key,
                             timeout_ms, progress, result, errors, worker_id, lease_expires_at, cancel_requested,
                             created_at, started_at, finished_at, trace_context, group_key, ready_at)
    VALUES (7, 't', 'q', 'scheduled', '{"a":1}', 5, 900, 0, 3, 'k-scheduled', 1000, NULL, NULL, '[]', NULL, NULL, 0,
            1, NULL, NULL, '{"traceparent":"x"}', 'g1', NULL),
           (8, 't', 'q', 'available', '{}', 0, 0, 1, 3, 'k-available', NULL, NULL, NULL, '[{"message":"e"}]', NULL,
            NULL, 0, 2, NULL, NULL, NULL, NULL, 5),
           (9, 't', 'q', 'active', '{}', 0, 0, 2, 3, NULL, NULL, '{"p":50}', NULL, '[]', 'w1', 99999, 1, 3, 10, NULL,
            NULL, NULL, NULL),
           (20, 't', 'q', 'completed', '{}', 0, 0, 1, 3, 'k-done', NULL, NULL, '{"ok":true}', '[]', NULL, NULL, 0, 4,
            11, 12, NULL, NULL, NULL),
           (21, 't', 'q', 'failed', '{}', 0, 0, 3, 3, NULL, NULL, NULL, NULL, '[]', NULL, NULL, 0, 5, 11, 13, NULL,
            NULL, NULL),
           (22, 't', 'q', 'cancelled', '{}', 0, 0, 0, 3, NULL, NULL, NULL, NULL, '[]', NULL, NULL, 0, 6, NULL, 14,
            NULL, NULL, NULL);
    INSERT INTO docket_job_logs (seq, job_id, attempt, at, level, message)
    VALUES (3, 9, 2, 10, 'info', 'started'), (4, 9, 2, 11, 'warn', 'slow');
  `);
  db.close();
}

const allRows = (db: Database.Database) => ({
  jobs: db.prepare('SELECT * FROM docket_jobs ORDER BY id').all(),
  logs: db.prepare('SELECT * FROM docket_job_logs ORDER BY seq').all(),
});

describe('SQLite migration 012 (state checks without IN lists)', () => {
  const { dir, cleanup } = tempDir();
  after(cleanup);

  it('keeps every row and column, every index, and every check', async () => {
    const file = join(dir, 'old.db');
    oldFile(file);
    const before = (() => {
      const db = new Database(file, { readonly: true });
      try {
        return {
          rows: allRows(db),
          indexes: db
            .prepare(
              `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'docket_job%' ORDER BY name`,
            )
            .pluck()
            .all(),
        };
      } finally {
        db.close();
      }
    })();

    const store = new SqliteStore({ filename: file });
    await store.migrate();
    await store.close();

    const db = new Database(file);
    try {
      assert.deepEqual(allRows(db), before.rows);
      const indexes = db
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'docket_job%' ORDER BY name`,
        )
        .all() as { name: string; sql: string }[];
      assert.deepEqual(
        indexes.map((i) => i.name),
        before.indexes,
      );
      const schema = db.prepare(
        `SELECT group_concat(sql, ';') FROM sqlite_master WHERE tbl_name LIKE 'docket_job%'`,
      );
      // Lists of more than two constants are what the migration removes.
      assert.doesNotMatch(String(schema.pluck().get()), /IN \('[a-z]+', '[a-z]+', '[a-z]+'/);

      const insert = (values: string) =>
        db.exec(`INSERT INTO docket_jobs (task, queue, state, input, run_at, attempt, max_attempts, worker_id,
                 lease_expires_at, created_at, finished_at, key) VALUES ${values}`);
      const refused = [
        `('t', 'q', 'bogus', '{}', 0, 0, 1, NULL, NULL, 0, NULL, NULL)`,
        `('t', 'q', 'active', '{}', 0, 1, 1, NULL, NULL, 0, NULL, NULL)`,
        `('t', 'q', 'available', '{}', 0, 0, 1, 'w', 5, 0, NULL, NULL)`,
        `('t', 'q', 'completed', '{}', 0, 1, 1, NULL, NULL, 0, NULL, NULL)`,
        `('t', 'q', 'failed', '{}', 0, 1, 1, NULL, NULL, 0, NULL, NULL)`,
        `('t', 'q', 'available', '{}', 0, 0, 1, NULL, NULL, 0, 5, NULL)`,
        `('t', 'q', 'completed', '{}', 0, 0, 1, NULL, NULL, 0, 5, NULL)`,
        `('t', 'q', 'available', '{}', 0, -1, 1, NULL, NULL, 0, NULL, NULL)`,
      ];
      for (const values of refused) assert.throws(() => insert(values), /CHECK constraint failed/, values);
      // A key an unfinished job holds is still taken; a finished job's is free again.
      assert.throws(
        () => insert(`('t', 'q', 'available', '{}', 0, 0, 1, NULL, NULL, 0, NULL, 'k-available')`),
        /UNIQUE constraint failed/,
      );
      insert(`('t', 'q', 'available', '{}', 0, 0, 1, NULL, NULL, 0, NULL, 'k-done')`);
      assert.equal(db.prepare('SELECT count(*) FROM docket_jobs').pluck().get(), before.rows.jobs.length + 1);
      const log = (level: string) =>
        db.exec(
          `INSERT INTO docket_job_logs (job_id, attempt, at, level, message) VALUES (9, 2, 12, '${level}', 'm')`,
        );
      assert.throws(() => log('loud'), /CHECK constraint failed/);
      for (const level of ['debug', 'info', 'warn', 'error']) log(level);

      // The statements that read through the partial indexes still do.
      const queries = loadNamedStatements(join(SQLITE_SOURCES, 'queries.sql'));
      const plan = (name: string, params: Record<string, unknown>) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${queries.get(name)}`).all(params) as { detail: string }[])
          .map((r) => r.detail)
          .join('; ');
      assert.match(plan('unfinishedByKey', { key: 'k' }), /USING INDEX docket_jobs_key/);
      assert.match(plan('pruneBatch', { finished_before: 1, limit: 10 }), /USING INDEX docket_jobs_finished/);
    } finally {
      db.close();
    }
  });
});
