import { Command } from 'commander';
import { defaultLogger } from '../../logger.js';
import { intOption, openDocket, storeOption, tasksOption } from '../common.js';

/** `docket worker`: runs a worker in this process until SIGTERM or SIGINT, then drains gracefully. */
export function registerWorker(program: Command): void {
  const command = new Command('worker')
    .description('run a worker: claim jobs from the queues and run them')
    .option('-q, --queues <names>', 'comma-separated queues to work (default: all)')
    .option('-c, --concurrency <n>', 'jobs run at once', intOption('--concurrency'), 10)
    .option('--poll-interval <duration>', 'how often to look for jobs when not woken', '500ms')
    .option('--lease <duration>', 'how long a claim holds a job', '30s')
    .option('--shutdown-grace <duration>', 'time running jobs get to finish on SIGTERM', '10s');
  storeOption(command);
  tasksOption(command);
  program.addCommand(
    command.action(async (options) => {
      const docket = await openDocket(options);
      if (docket.registry.names().length === 0) {
        throw new Error('no tasks loaded: pass --tasks DIR (or set DOCKET_TASKS) with your task modules');
      }
      const logger = defaultLogger();
      const worker = docket.startWorker({
        ...(options.queues ? { queues: String(options.queues).split(',').filter(Boolean) } : {}),
        concurrency: options.concurrency,
        pollInterval: options.pollInterval,
        lease: options.lease,
        shutdownGrace: options.shutdownGrace,
        logger,
      });
      process.stderr.write(
        `docket worker ${worker.id}: ${docket.registry.names().length} tasks, concurrency ${worker.concurrency}, ` +
          `queues ${worker.queues.length ? worker.queues.join(',') : '(all)'}\n`,
      );
      const stop = (signal: string) => {
        process.stderr.write(`docket worker: ${signal}, draining (finishing running jobs)…\n`);
        void worker
          .stop()
          .then(() => docket.close())
          .then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    }),
  );
}
