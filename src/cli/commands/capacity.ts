import { Command } from 'commander';
import type { QueueCapacity } from '../../capacity/model.js';
import { formatMs } from '../../duration.js';
import { openDocket, storeOption } from '../common.js';
import { table } from '../output.js';

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? '-' : formatMs(value);
const rate = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));

/** Renders the capacity report for people. */
export function capacityTable(report: QueueCapacity[]): string {
  const rows = report.map((q) => [
    q.queue,
    rate(q.arrivalRate),
    rate(q.throughput),
    ms(q.meanRunMs),
    ms(q.runMs.p95),
    ms(q.waitMs.p95),
    q.offeredLoad === null ? '-' : q.offeredLoad.toFixed(2),
    `${q.busySlots}/${q.concurrency}`,
    q.utilisation === null ? '-' : `${Math.round(q.utilisation * 100)}%`,
    q.predicted ? ms(q.predicted.p95WaitMs) : '-',
    q.recommendedConcurrency ?? '-',
    q.backlog,
    q.drainSeconds === null ? 'never' : ms(q.drainSeconds * 1000),
  ]);
  const notes = report.flatMap((q) => q.notes.map((note) => `  ${q.queue}: ${note}`));
  return [
    table(
      [
        'QUEUE',
        'ARRIVALS/S',
        'DONE/S',
        'RUN MEAN',
        'RUN P95',
        'WAIT P95',
        'LOAD',
        'BUSY/SLOTS',
        'UTIL',
        'PRED WAIT P95',
        'NEED',
        'BACKLOG',
        'DRAIN IN',
      ],
      rows,
    ),
    '',
    'LOAD = arrivals/s × mean run time (slots kept busy); NEED = slots for a p95 wait under the target.',
    ...notes,
  ].join('\n');
}

/** `docket capacity`: how many workers each queue needs. */
export function registerCapacity(program: Command): void {
  const command = new Command('capacity')
    .description('how many workers each queue needs: measured rates and times, and the M/M/c model')
    .option('-q, --queue <name>', 'only this queue')
    .option('--target-wait <duration>', 'p95 wait to size for', '5s')
    .option('--window <duration>', 'how far back to measure', '15m')
    .option('--json', 'print JSON');
  storeOption(command);
  program.addCommand(
    command.action(async (options) => {
      const docket = await openDocket({ store: options.store });
      try {
        const report = await docket.capacity({
          ...(options.queue ? { queue: options.queue } : {}),
          targetWait: options.targetWait,
          window: options.window,
        });
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else process.stdout.write(report.length ? `${capacityTable(report)}\n` : 'no queues yet\n');
      } finally {
        await docket.close();
      }
    }),
  );
}
