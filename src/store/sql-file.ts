import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Reads a `.sql` file of named statements (`-- name: claim` above each) into
 * a map. SQL lives in files, one set per dialect, loaded once at start.
 */
export function loadNamedStatements(path: string): Map<string, string> {
  const statements = new Map<string, string>();
  let name: string | null = null;
  let body: string[] = [];
  const flush = () => {
    if (name !== null) statements.set(name, body.join('\n').trim().replace(/;\s*$/, ''));
  };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const header = /^--\s*name:\s*(\w+)\s*$/.exec(line);
    if (header) {
      flush();
      name = header[1]!;
      body = [];
    } else if (name !== null && !/^\s*--/.test(line)) {
      body.push(line);
    }
  }
  flush();
  return statements;
}

/** A numbered migration file: `001_init.sql` is version 1. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads the numbered migrations in `dir`, in order. Numbers must be unique. */
export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d+_.*\.sql$/.test(file))
    .map((file) => ({
      version: Number.parseInt(file, 10),
      name: file.replace(/\.sql$/, ''),
      sql: readFileSync(join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]!.version === m.version)
      throw new Error(`duplicate migration ${m.version}`);
  });
  return migrations;
}

/** Looks a statement up, failing loudly when a name is missing. */
export function statement(statements: Map<string, string>, name: string): string {
  const sql = statements.get(name);
  if (sql === undefined) throw new Error(`no SQL statement named "${name}"`);
  return sql;
}
