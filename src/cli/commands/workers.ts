import { Command } from 'commander';
import { formatMs } from '../../duration.js';
import type { WorkerRecord } from '../../store/store.js';
import { openDocket, storeOption } from '../common.js';
import { table } from '../output.js';

/** `docket workers`: the live workers on every host, with their supervisor, load and event-loop warnings. */
export function registerWorkers(program: Command): void {
  const command = new Command('workers').description(
    'list live workers: host, pid, supervisor, concurrency, running jobs, isolation modes, heartbeat',
  );
  storeOption(command).option('--json', 'print JSON');
  program.addCommand(
    command.action(async (options) => {
      const docket = await openDocket({ store: options.store });
      try {
        const workers = await docket.listWorkers();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
          return;
        }
        if (workers.length === 0) {
          process.stdout.write('no live workers\n');
          return;
        }
        process.stdout.write(`${workersTable(workers, Date.now())}\n`);
      } finally {
        await docket.close();
      }
    }),
  );
}

/** The table `docket workers` prints: one row per worker, supervised ones with their supervisor's pid and slot. */
export function workersTable(workers: WorkerRecord[], now: number): string {
  return table(
    [
      'ID',
      'HOST',
      'PID',
      'SUPERVISOR',
      'QUEUES',
      'CONCURRENCY',
      'RUNNING',
      'ISOLATION',
      'UP',
      'HEARTBEAT',
      'WARNINGS',
    ],
    workers.map((w) => {
      const info = w.info;
      const supervisor =
        typeof info.supervisorPid === 'number' ? `pid ${info.supervisorPid} #${info.slot}` : '';
      return [
        w.id,
        w.host,
        w.pid,
        supervisor,
        w.queues.length ? w.queues.join(',') : '(all)',
        w.concurrency,
        typeof info.running === 'number' ? info.running : '',
        Array.isArray(info.isolation) ? info.isolation.join(',') : '',
        formatMs(Math.max(0, now - w.startedAt)),
        `${formatMs(Math.max(0, now - w.heartbeatAt))} ago`,
        loopWarning(info),
      ];
    }),
  );
}

/** "loop blocked 850 ms by resize" when an inline job blocked the worker's event loop lately. */
function loopWarning(info: Record<string, unknown>): string {
  const blocks = info.loopBlocks;
  if (!Array.isArray(blocks) || blocks.length === 0) return '';
  const last = blocks.at(-1) as { blockedMs?: number; tasks?: string[] };
  return `loop blocked ${last.blockedMs} ms by ${(last.tasks ?? []).join('/')}`;
}
