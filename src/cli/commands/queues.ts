import { Command } from 'commander';
import { formatMs } from '../../duration.js';
import { openDocket, storeOption } from '../common.js';
import { table } from '../output.js';
import { queueFlowCommand } from './queue-flow.js';

/** `docket queues [pause|resume|limit|flow]`: list queues, pause and resume them, set backlog limits and flow control. */
export function registerQueues(program: Command): void {
  const queues = new Command('queues').description('list queues with their counts and settings');
  storeOption(queues).option('--json', 'print JSON');
  queues.action(async (options) => {
    const docket = await openDocket({ store: options.store });
    try {
      const list = await docket.queues();
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const now = Date.now();
      process.stdout.write(
        `${table(
          [
            'QUEUE',
            'PAUSED',
            'SCHEDULED',
            'AVAILABLE',
            'ACTIVE',
            'COMPLETED',
            'FAILED',
            'CANCELLED',
            'OLDEST WAIT',
            'LIMIT',
            'DONE/MIN',
            'HELD BY',
          ],
          list.map((q) => [
            q.name,
            q.paused ? 'yes' : 'no',
            q.counts.scheduled,
            q.counts.available,
            q.counts.active,
            q.counts.completed,
            q.counts.failed,
            q.counts.cancelled,
            q.oldestAvailableAt === null ? '' : formatMs(Math.max(0, now - q.oldestAvailableAt)),
            q.backlogLimit ?? '',
            q.finishedLastMinute,
            q.holding.map((h) => h.kind).join(','),
          ]),
        )}\n`,
      );
    } finally {
      await docket.close();
    }
  });

  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    const sub = new Command(name)
      .description(`${name} a queue on every worker and host`)
      .argument('<queue>', 'queue name');
    storeOption(sub);
    queues.addCommand(
      // optsWithGlobals: commander gives a --store typed after the subcommand to the parent `queues`.
      sub.action(async (queue: string, _options, command: Command) => {
        const docket = await openDocket({ store: command.optsWithGlobals().store });
        try {
          await (paused ? docket.pauseQueue(queue) : docket.resumeQueue(queue));
          process.stdout.write(`queue ${queue} ${paused ? 'paused' : 'resumed'}\n`);
        } finally {
          await docket.close();
        }
      }),
    );
  }

  const limit = new Command('limit')
    .description(
      'set the most jobs that may wait in a queue (over it, enqueue is refused); "none" removes it',
    )
    .argument('<queue>', 'queue name')
    .argument('<limit>', 'a whole number, or none');
  storeOption(limit);
  queues.addCommand(
    limit.action(async (queue: string, value: string, _options, command: Command) => {
      const docket = await openDocket({ store: command.optsWithGlobals().store });
      try {
        const backlogLimit = value === 'none' ? null : Number(value);
        const settings = await docket.setQueue(queue, { backlogLimit });
        process.stdout.write(`queue ${queue} backlog limit: ${settings.backlogLimit ?? 'none'}\n`);
      } finally {
        await docket.close();
      }
    }),
  );
  queues.addCommand(queueFlowCommand());
  program.addCommand(queues);
}
