// Docket on SQLite: `synchronous=normal` (the default) or `full` (the most durable row).
import { docketAdapter } from './docket-common.ts';

export function makeAdapter(system: string) {
  const synchronous = system.endsWith('-full') ? 'full' : 'normal';
  return docketAdapter((ns) => `sqlite:${ns.sqliteFile}?synchronous=${synchronous}`);
}
