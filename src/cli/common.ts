import type { Command } from 'commander';
import { createDocket, type Docket } from '../client.js';

/** The store a CLI command uses: `--store`, else `DOCKET_STORE`, else `sqlite:./docket.db`. */
export function storeOption(command: Command): Command {
  return command.option(
    '-s, --store <url>',
    'store connection string (sqlite:./docket.db or postgres://…); default $DOCKET_STORE or sqlite:./docket.db',
  );
}

/** Adds `--tasks DIR`. */
export function tasksOption(command: Command): Command {
  return command.option('-t, --tasks <dir>', 'directory of task modules; default $DOCKET_TASKS');
}

/** Opens Docket for a CLI command from its `--store` and `--tasks` options. */
export async function openDocket(options: { store?: string; tasks?: string }): Promise<Docket> {
  const tasks = options.tasks ?? process.env.DOCKET_TASKS;
  return createDocket({
    store: options.store ?? process.env.DOCKET_STORE ?? 'sqlite:./docket.db',
    ...(tasks ? { tasks } : {}),
  });
}

/** Parses an integer option, with a clear error naming it. */
export function intOption(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error(`${name} must be a whole number, got "${value}"`);
    return n;
  };
}
