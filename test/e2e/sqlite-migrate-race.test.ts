// Several processes start at once on a new SQLite file and all migrate: each
// succeeds and every migration is applied exactly once.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/tmp.js';

const fixture = fileURLToPath(new URL('./fixtures/migrate.ts', import.meta.url));
const { dir, cleanup } = tempDir();
after(cleanup);

it('migrates once when four processes start together', async () => {
  const path = join(dir, 'race.db');
  const codes = await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
            env: { ...process.env, DOCKET_STORE: `sqlite:${path}` },
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.once('exit', resolve);
        }),
    ),
  );
  assert.deepEqual(codes, [0, 0, 0, 0]);
  const db = new Database(path, { readonly: true });
  const versions = db.prepare('SELECT version FROM docket_migrations ORDER BY version').all() as {
    version: number;
  }[];
  db.close();
  assert.ok(versions.length >= 1);
  assert.equal(new Set(versions.map((v) => v.version)).size, versions.length);
  assert.equal(versions[0]!.version, 1);
});
