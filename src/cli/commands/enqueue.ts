import { Command } from 'commander';
import { DocketError } from '../../errors.js';
import { intOption, openDocket, storeOption, tasksOption } from '../common.js';

/** `docket enqueue TASK JSON`: validates the input against the task and enqueues it. */
export function registerEnqueue(program: Command): void {
  const command = new Command('enqueue')
    .description('enqueue a job; the input is validated against the task (load it with --tasks)')
    .argument('<task>', 'task name')
    .argument('[json]', 'input as JSON', '{}')
    .option('--delay <duration>', 'run after this long, e.g. 30s, 5m')
    .option('--run-at <time>', 'run at this ISO time')
    .option('--key <key>', 'unique key: returns the unfinished job with this key instead of adding one')
    .option('--priority <n>', 'higher runs first', intOption('--priority'))
    .option('--queue <name>', "override the task's queue")
    .option('--json', 'print the job as JSON');
  storeOption(command);
  tasksOption(command);
  program.addCommand(
    command.action(async (task: string, json: string, options) => {
      let input: unknown;
      try {
        input = JSON.parse(json);
      } catch (cause) {
        throw new DocketError(
          'DOCKET_INVALID_INPUT',
          `input is not valid JSON: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
      const docket = await openDocket(options);
      try {
        const job = await docket.enqueue(task, input, {
          ...(options.delay ? { delay: options.delay } : {}),
          ...(options.runAt ? { runAt: new Date(options.runAt) } : {}),
          ...(options.key ? { key: options.key } : {}),
          ...(options.priority !== undefined ? { priority: options.priority } : {}),
          ...(options.queue ? { queue: options.queue } : {}),
        });
        if (options.json) process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
        else {
          process.stdout.write(
            `${job.duplicate ? 'already enqueued' : 'enqueued'} job ${job.id} (${job.task}, queue ${job.queue}, ${job.state})\n`,
          );
        }
      } finally {
        await docket.close();
      }
    }),
  );
}
