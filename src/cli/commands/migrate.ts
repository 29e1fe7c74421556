import { Command } from 'commander';
import { openStore } from '../../store/open-store.js';
import { storeOption } from '../common.js';

/** `docket migrate`: applies pending migrations (safe while other processes start). */
export function registerMigrate(program: Command): void {
  const command = new Command('migrate').description('create or upgrade the schema in the store');
  storeOption(command);
  program.addCommand(
    command.action(async (options) => {
      const url = options.store ?? process.env.DOCKET_STORE ?? 'sqlite:./docket.db';
      const store = await openStore(url);
      try {
        await store.migrate();
        process.stdout.write(`schema is up to date in ${url.replace(/:[^:@/]+@/, ':***@')}\n`);
      } finally {
        await store.close();
      }
    }),
  );
}
