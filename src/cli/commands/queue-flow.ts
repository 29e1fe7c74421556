import { Command } from 'commander';
import { formatMs } from '../../duration.js';
import { DocketError } from '../../errors.js';
import type { QueueSettingsInput, RateLimitInput } from '../../flow-settings.js';
import type { FlowLimits, RateLimit } from '../../store/store.js';
import { openDocket, storeOption } from '../common.js';

function count(value: string, field: string): number | null {
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `--${field} must be a whole number or none`, {
      details: { field },
    });
  }
  return n;
}

/** Reads `100/1m` (100 starts per minute) or `none`. */
function rate(value: string, field: string): RateLimitInput | null {
  if (value === 'none') return null;
  const match = /^(\d+)\/(.+)$/.exec(value);
  if (!match) {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      `--${field} must look like 100/1m (starts per period) or none`,
      {
        details: { field },
      },
    );
  }
  return { limit: Number(match[1]), per: match[2]! };
}

function showRate(r: RateLimit | null): string {
  return r ? `${r.limit}/${formatMs(r.periodMs)}${r.burst !== null ? ` (burst ${r.burst})` : ''}` : 'none';
}

/** One line per setting, for people. */
export function describeFlow(flow: FlowLimits): string {
  return [
    `concurrency ${flow.concurrency ?? 'none'}`,
    `rate ${showRate(flow.rate)}`,
    `group concurrency ${flow.groupConcurrency ?? 'none'}`,
    `group rate ${showRate(flow.groupRate)}`,
    `fair ${flow.fair ? 'yes' : 'no'}`,
  ].join(', ');
}

/** `docket queues flow <queue> [...]`: sets cluster-wide flow-control limits; with no option, shows them. */
export function queueFlowCommand(): Command {
  const flow = new Command('flow')
    .description('set cluster-wide flow control of a queue (concurrency, rate, per-group limits, fairness)')
    .argument('<queue>', 'queue name')
    .option('--concurrency <n>', 'most active jobs across every worker and host, or none')
    .option('--rate <n/period>', 'most starts per period, e.g. 100/1m, or none')
    .option('--burst <n>', 'with --rate: most starts at once after a quiet spell (default n)')
    .option('--group-concurrency <n>', 'most active jobs per group, or none')
    .option('--group-rate <n/period>', 'most starts per period per group, or none')
    .option('--group-burst <n>', 'with --group-rate: the per-group burst')
    .option('--fair', 'round-robin between groups')
    .option('--no-fair', 'claim in priority order regardless of group');
  storeOption(flow);
  return flow.action(async (queue: string, options, command: Command) => {
    const settings: QueueSettingsInput = {};
    if (options.concurrency !== undefined) settings.concurrency = count(options.concurrency, 'concurrency');
    if (options.groupConcurrency !== undefined)
      settings.groupConcurrency = count(options.groupConcurrency, 'group-concurrency');
    if (options.rate !== undefined) {
      const r = rate(options.rate, 'rate');
      settings.rate = r && options.burst !== undefined ? { ...r, burst: Number(options.burst) } : r;
    }
    if (options.groupRate !== undefined) {
      const r = rate(options.groupRate, 'group-rate');
      settings.groupRate =
        r && options.groupBurst !== undefined ? { ...r, burst: Number(options.groupBurst) } : r;
    }
    // --fair defined before --no-fair leaves the default undefined: only an explicit flag changes it.
    if (options.fair !== undefined) settings.fair = options.fair === true;
    const docket = await openDocket({ store: command.optsWithGlobals().store });
    try {
      const result = await docket.setQueue(queue, settings);
      process.stdout.write(`queue ${queue}: ${describeFlow(result.flow)}\n`);
    } finally {
      await docket.close();
    }
  });
}
