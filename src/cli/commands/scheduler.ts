import { Command } from 'commander';
import { defaultLogger } from '../../logger.js';
import { openDocket, storeOption } from '../common.js';

/**
 * `docket scheduler`: fires schedule ticks in this process until SIGTERM or
 * SIGINT. It needs no task modules (each schedule stores the job it
 * enqueues), and any number may run: each tick is enqueued once.
 */
export function registerScheduler(program: Command): void {
  const command = new Command('scheduler')
    .description('run a scheduler: enqueue a job at each tick of every schedule (safe to run several)')
    .option('--poll-interval <duration>', 'longest sleep between passes (ticks wake it on time)', '5s');
  storeOption(command);
  program.addCommand(
    command.action(async (options) => {
      const docket = await openDocket({ store: options.store });
      const logger = defaultLogger();
      const scheduler = docket.startScheduler({ pollInterval: options.pollInterval, logger });
      // Signal handlers go in before anything else is awaited: a SIGTERM that
      // lands while the scheduler already fires must drain it, not kill it.
      const stop = (signal: string) => {
        process.stderr.write(`docket scheduler: ${signal}, stopping\n`);
        void scheduler
          .stop()
          .then(() => docket.close())
          .then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      scheduler.on('fired', (fired) =>
        logger.info({ schedule: fired.schedule, tick: fired.tick, job: fired.job.id }, 'tick fired'),
      );
      const schedules = await docket.listSchedules();
      process.stderr.write(`docket scheduler ${scheduler.id}: ${schedules.length} schedules\n`);
    }),
  );
}
