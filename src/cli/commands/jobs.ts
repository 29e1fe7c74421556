import { Command } from 'commander';
import { DocketError } from '../../errors.js';
import { JOB_STATES, type JobState } from '../../job.js';
import { intOption, openDocket, storeOption } from '../common.js';
import { jobDetails, jobsTable } from '../format-job.js';

function parseStates(value: string): JobState[] {
  const states = value.split(',').filter(Boolean);
  for (const state of states) {
    if (!JOB_STATES.includes(state as JobState)) {
      throw new DocketError(
        'DOCKET_INVALID_ARGUMENT',
        `--state ${state} is not one of ${JOB_STATES.join(', ')}`,
      );
    }
  }
  return states as JobState[];
}

/** `docket jobs` (list) and `docket status ID` (one job in full). */
export function registerJobs(program: Command): void {
  const list = new Command('jobs')
    .description('list jobs, newest first')
    .option('--state <states>', `comma-separated states (${JOB_STATES.join(', ')})`)
    .option('--queue <name>', 'only this queue')
    .option('--task <name>', 'only this task')
    .option('--key <key>', 'only the jobs with this unique key')
    .option('--limit <n>', 'jobs per page', intOption('--limit'), 50)
    .option('--cursor <cursor>', 'page after this cursor (printed under the table)')
    .option('--json', 'print JSON');
  storeOption(list);
  program.addCommand(
    list.action(async (options) => {
      const docket = await openDocket({ store: options.store });
      try {
        const page = await docket.listJobs({
          ...(options.state ? { state: parseStates(options.state) } : {}),
          ...(options.queue ? { queue: options.queue } : {}),
          ...(options.task ? { task: options.task } : {}),
          ...(options.key ? { key: options.key } : {}),
          ...(options.cursor ? { cursor: options.cursor } : {}),
          limit: options.limit,
        });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        // Available jobs held back by a flow limit say which one.
        const waiting = page.jobs.filter((j) => j.state === 'available').map((j) => j.id);
        const holds = waiting.length > 0 ? await docket.holdReasons(waiting) : {};
        process.stdout.write(page.jobs.length ? `${jobsTable(page.jobs, holds)}\n` : 'no jobs match\n');
        if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
      } finally {
        await docket.close();
      }
    }),
  );

  const status = new Command('status')
    .description('show one job: state, attempts, errors, result, logs')
    .argument('<id>', 'job id')
    .option('--json', 'print JSON');
  storeOption(status);
  program.addCommand(
    status.action(async (id: string, options) => {
      const docket = await openDocket({ store: options.store });
      try {
        const job = await docket.getJob(id, { logs: true });
        if (!job) throw new DocketError('DOCKET_NOT_FOUND', `no job with id ${id}`);
        const { logs, ...rest } = job;
        process.stdout.write(
          options.json ? `${JSON.stringify(job, null, 2)}\n` : `${jobDetails(rest, logs)}\n`,
        );
      } finally {
        await docket.close();
      }
    }),
  );
}
