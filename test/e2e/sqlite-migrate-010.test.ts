// SQLite migration 010 on a file made by the migrations before it: jobs
// without a group that were waiting in a queue that walks groups (and so
// were found through the group index, which no longer holds jobs without a
// group) are rewritten so the walk still finds them, and read back with no
// group; jobs of other queues are left alone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { sqliteBefore } from '../helpers/sqlite-old-schema.js';
import { tempDir } from '../helpers/tmp.js';

describe('SQLite migration 010 (jobs without a group out of the group index)', () => {
  const { dir, cleanup } = tempDir();
  after(cleanup);

  it('keeps the waiting jobs of a queue that walks groups claimable, and their group null', async () => {
    const file = join(dir, 'old.db');
    const db = sqliteBefore(file, 10);
    db.exec(`
      INSERT INTO docket_queues (name, paused, fair, flow, updated_at) VALUES ('fair', 0, 1, 1, 0);
      INSERT INTO docket_jobs (task, queue, state, input, priority, run_at, max_attempts, group_key, created_at)
      VALUES ('t', 'fair', 'available', '{}', 0, 0, 1, NULL, 0),
             ('t', 'fair', 'available', '{}', 0, 0, 1, 'tenant', 0),
             ('t', 'plain', 'available', '{}', 0, 0, 1, NULL, 0);
    `);
    db.close();

    const store = new SqliteStore({ filename: file });
    try {
      await store.migrate();
      const claimed = await store.claim({
        now: 1,
        queues: ['fair'],
        limit: 10,
        workerId: 'w',
        leaseMs: 1000,
      });
      assert.deepEqual(claimed.map((j) => j.group).sort(), ['tenant', null].sort());
      const plain = await store.claim({ now: 1, queues: ['plain'], limit: 10, workerId: 'w', leaseMs: 1000 });
      assert.equal(plain.length, 1);
      assert.equal(plain[0]!.group, null);
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    const rows = check.prepare('SELECT queue, typeof(group_key) AS t FROM docket_jobs ORDER BY id').all();
    check.close();
    assert.deepEqual(rows, [
      { queue: 'fair', t: 'blob' },
      { queue: 'fair', t: 'text' },
      { queue: 'plain', t: 'null' },
    ]);
  });
});
