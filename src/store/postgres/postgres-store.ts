import type { Store } from '../store.js';

/** Options of the PostgreSQL store. */
export interface PostgresStoreOptions {
  connectionString?: string;
  /** Schema for Docket's tables. Default `docket`. */
  schema?: string;
}

/** Placeholder until the PostgreSQL store lands (issue: PostgreSQL store). */
export class PostgresStore {
  [key: string]: any;
  constructor(_options: PostgresStoreOptions) {
    throw new Error('the PostgreSQL store is not built yet');
  }
}

export type { Store };
