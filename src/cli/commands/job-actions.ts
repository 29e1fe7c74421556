import { Command } from 'commander';
import type { Docket } from '../../client.js';
import { openDocket, storeOption } from '../common.js';

const ACTIONS: { name: string; description: string; run: (docket: Docket, id: string) => Promise<string> }[] =
  [
    {
      name: 'retry',
      description: 'run a failed or cancelled job again',
      run: async (docket, id) => `job ${id} is ${(await docket.retry(id)).state} again`,
    },
    {
      name: 'cancel',
      description: 'cancel a job (a running one is signalled and stops when its handler does)',
      run: async (docket, id) => {
        const job = await docket.cancel(id);
        return job.state === 'cancelled' ? `job ${id} cancelled` : `job ${id} is running; cancel requested`;
      },
    },
    {
      name: 'delete',
      description: 'delete a job that is not running',
      run: async (docket, id) => {
        await docket.deleteJob(id);
        return `job ${id} deleted`;
      },
    },
  ];

/** `docket retry|cancel|delete ID`. */
export function registerJobActions(program: Command): void {
  for (const action of ACTIONS) {
    const command = new Command(action.name).description(action.description).argument('<id>', 'job id');
    storeOption(command);
    program.addCommand(
      command.action(async (id: string, options) => {
        const docket = await openDocket({ store: options.store });
        try {
          process.stdout.write(`${await action.run(docket, id)}\n`);
        } finally {
          await docket.close();
        }
      }),
    );
  }
}
