import { loadMigrations, loadNamedStatements, type Migration, statement } from '../sql-file.js';

/** A statement ready for `pg`: `$n` placeholders and the parameter names in their order. */
export interface PgStatement {
  name: string;
  text: string;
  params: string[];
}

/** Schema names Docket accepts: lower case, so LISTEN's identifier and pg_notify's text always match. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,49}$/;

/** True when `schema` is a name Docket can use for its schema. */
export function isValidSchemaName(schema: string): boolean {
  return SCHEMA_NAME.test(schema);
}

/**
 * Replaces the `{schema}` token with the quoted schema name. The schema is
 * validated, so this is the one substitution the SQL files allow; every
 * value still travels as a parameter.
 */
export function withSchema(sql: string, schema: string): string {
  if (!isValidSchemaName(schema)) throw new Error(`invalid schema name "${schema}"`);
  return sql.replaceAll('{schema}', `"${schema}"`);
}

/**
 * Turns the `:name` parameters of the shared .sql format into pg's `$n`,
 * one number per distinct name; `::type` casts are left alone.
 */
export function toPositional(name: string, sql: string): PgStatement {
  const params: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z_]\w*)/g, (_match, param: string) => {
    let index = params.indexOf(param);
    if (index < 0) index = params.push(param) - 1;
    return `$${index + 1}`;
  });
  return { name, text, params };
}

/** The named statements of `path`, compiled for one schema. */
export function loadPgStatements(path: string, schema: string): Map<string, PgStatement> {
  const compiled = new Map<string, PgStatement>();
  const raw = loadNamedStatements(path);
  for (const name of raw.keys())
    compiled.set(name, toPositional(name, withSchema(statement(raw, name), schema)));
  return compiled;
}

/** The numbered migrations of `dir`, compiled for one schema. */
export function loadPgMigrations(dir: string, schema: string): Migration[] {
  return loadMigrations(dir).map((m) => ({ ...m, sql: withSchema(m.sql, schema) }));
}

/** The values of `params`, in the order the statement numbers them; a missing one is a bug, so it throws. */
export function bind(stmt: PgStatement, values: Record<string, unknown>): unknown[] {
  return stmt.params.map((param) => {
    if (!(param in values)) throw new Error(`statement "${stmt.name}" needs parameter :${param}`);
    return values[param];
  });
}
