import { Command } from 'commander';
import { defaultLogger } from '../../logger.js';
import { runSupervisor } from '../../worker/supervisor.js';
import { intOption, openDocket, storeOption, tasksOption } from '../common.js';

/**
 * `docket worker`: runs a worker (and, unless --no-scheduler, a scheduler)
 * in this process until SIGTERM or SIGINT, then drains gracefully. With
 * `--processes N` it becomes a supervisor of N such worker processes.
 */
export function registerWorker(program: Command): void {
  const command = new Command('worker')
    .description('run a worker: claim jobs from the queues and run them (and fire schedules)')
    .option('-q, --queues <names>', 'comma-separated queues to work (default: all)')
    .option('-c, --concurrency <n>', 'jobs run at once, per process', intOption('--concurrency'), 10)
    .option(
      '-p, --processes <n>',
      'fork N worker processes and restart any that die',
      intOption('--processes'),
      1,
    )
    .option('--no-scheduler', 'do not fire schedules in this process')
    .option('--poll-interval <duration>', 'how often to look for jobs when not woken', '500ms')
    .option('--lease <duration>', 'how long a claim holds a job', '30s')
    .option('--shutdown-grace <duration>', 'time running jobs get to finish on SIGTERM', '10s');
  storeOption(command);
  tasksOption(command);
  program.addCommand(
    command.action(async (options) => {
      if (options.processes < 1) throw new Error('--processes must be at least 1');
      if (options.processes > 1) process.exit(await runSupervisor({ processes: options.processes }));
      // Signal handlers go in before the worker registers itself: a SIGTERM
      // that landed before them would kill the process with its registry
      // entry left behind. One that lands during start-up stops it after.
      let stopRequested: string | null = null;
      let stop = (signal: string) => {
        stopRequested = signal;
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
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
      const scheduler = options.scheduler ? docket.startScheduler({ logger }) : null;
      process.stderr.write(
        `docket worker ${worker.id}: ${docket.registry.names().length} tasks, concurrency ${worker.concurrency}, ` +
          `queues ${worker.queues.length ? worker.queues.join(',') : '(all)'}, scheduler ${scheduler ? 'on' : 'off'}\n`,
      );
      stop = (signal: string) => {
        process.stderr.write(`docket worker: ${signal}, draining (finishing running jobs)…\n`);
        void Promise.all([worker.stop(), scheduler?.stop()])
          .then(() => docket.close())
          .then(() => process.exit(0));
      };
      if (stopRequested) stop(stopRequested);
    }),
  );
}
