import { Command } from 'commander';
import type { Docket } from '../../client.js';
import { formatMs } from '../../duration.js';
import type { ScheduleInfo } from '../../scheduler/definition.js';
import { openDocket, storeOption } from '../common.js';
import { table } from '../output.js';

const at = (time: number | null) => (time === null ? '' : new Date(time).toISOString().replace('.000Z', 'Z'));

/** How a schedule ticks, for people: `0 2 * * * Europe/Berlin` or `every 5m`. */
export function describeTiming(schedule: ScheduleInfo): string {
  if (schedule.everyMs !== null) return `every ${formatMs(schedule.everyMs)}`;
  return schedule.tz === 'UTC' ? String(schedule.cron) : `${schedule.cron} ${schedule.tz}`;
}

/** Renders schedules as a table: timing, task, next and last run, policies. */
export function schedulesTable(list: ScheduleInfo[]): string {
  return table(
    ['SCHEDULE', 'WHEN', 'TASK', 'QUEUE', 'NEXT RUN', 'LAST TICK', 'LAST JOB', 'PAUSED', 'MISSED', 'OVERLAP'],
    list.map((s) => [
      s.name,
      describeTiming(s),
      s.job.task,
      s.job.queue,
      s.paused ? '(paused)' : at(s.nextRunAt),
      at(s.lastTick),
      s.lastJobId ?? '',
      s.paused ? 'yes' : 'no',
      s.missed === 'all' ? `all (≤${s.missedLimit})` : s.missed,
      s.overlap,
    ]),
  );
}

/** `docket schedules [pause|resume|remove|trigger] NAME`: list and operate schedules. */
export function registerSchedules(program: Command): void {
  const schedules = new Command('schedules').description(
    'list schedules with their next run times; pause, resume, remove or trigger one',
  );
  storeOption(schedules).option('--json', 'print JSON');
  schedules.action(async (options) => {
    const docket = await openDocket({ store: options.store });
    try {
      const list = await docket.listSchedules();
      if (options.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else process.stdout.write(list.length ? `${schedulesTable(list)}\n` : 'no schedules\n');
    } finally {
      await docket.close();
    }
  });

  /** Each action: what it does, and the line it prints (JSON prints the returned value). */
  const actions: Record<string, [string, (docket: Docket, name: string) => Promise<[unknown, string]>]> = {
    pause: [
      'stop firing on every host until resumed',
      async (docket, name) => [await docket.pauseSchedule(name), `schedule ${name} paused`],
    ],
    resume: [
      'fire again from the next tick (ticks that fell while paused are not caught up)',
      async (docket, name) => {
        const info = await docket.resumeSchedule(name);
        return [info, `schedule ${name} resumed; next run ${at(info.nextRunAt) || 'never'}`];
      },
    ],
    remove: [
      'delete the schedule (its jobs stay); code that declares it adds it again',
      async (docket, name) => {
        await docket.removeSchedule(name);
        return [{ removed: name }, `schedule ${name} removed`];
      },
    ],
    trigger: [
      'enqueue one run now, outside the ticks',
      async (docket, name) => {
        const job = await docket.triggerSchedule(name);
        return [job, `schedule ${name} triggered: job ${job.id} (${job.task}, queue ${job.queue})`];
      },
    ],
  };
  for (const [action, [description, run]] of Object.entries(actions)) {
    const sub = new Command(action).description(description).argument('<name>', 'schedule name');
    storeOption(sub).option('--json', 'print JSON');
    schedules.addCommand(
      sub.action(async (name: string) => {
        // With globals: `--store` after the subcommand is parsed by the parent `schedules`, which has it too.
        const options = sub.optsWithGlobals();
        const docket = await openDocket({ store: options.store });
        try {
          const [result, line] = await run(docket, name);
          process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : `${line}\n`);
        } finally {
          await docket.close();
        }
      }),
    );
  }
  program.addCommand(schedules);
}
