// Docket on PostgreSQL, in a database made for this run (schema `docket`).
import { docketAdapter } from './docket-common.ts';

export function makeAdapter(_system: string) {
  return docketAdapter((ns) => ns.pgUrl);
}
