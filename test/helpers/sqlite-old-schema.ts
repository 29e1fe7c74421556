// A SQLite file at an older schema, for tests of the migrations after it.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadMigrations } from '../../src/store/sql-file.js';

/** The SQLite store's statement files and migrations. */
export const SQLITE_SOURCES = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../src/store/sqlite');

/** Opens `file` with the migrations before `version` applied and recorded, as a store of that age left it. */
export function sqliteBefore(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.exec(
    'CREATE TABLE docket_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  for (const m of loadMigrations(resolve(SQLITE_SOURCES, 'migrations')).filter((m) => m.version < version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO docket_migrations VALUES (?, ?, ?)').run(m.version, m.name, 0);
  }
  return db;
}
