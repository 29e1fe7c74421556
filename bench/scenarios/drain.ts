// drain: jobs already queued, one worker process at a concurrency, no-op handlers; rate from first to last start.
import type { RoleContext } from '../lib/child.ts';
import type { Sizes } from '../lib/config.ts';
import { runChild } from '../lib/spawn.ts';
import { nowMs, peakRssMiB } from '../lib/stats.ts';
import type { Namespace, Sample, SystemInfo } from '../lib/types.ts';
import { batchOf } from './enqueue-bulk.ts';

export interface DrainOptions {
  concurrency: number;
  /** File name for a CPU profile of the worker process, when one is wanted. */
  cpuProfile?: string;
}

export async function run(
  system: SystemInfo,
  ns: Namespace,
  sizes: Sizes,
  options: DrainOptions,
): Promise<Partial<Sample>> {
  const jobs = sizes.drainJobs;
  await runChild(
    { system: system.name, role: 'drain:seed', ns, params: { jobs, batch: sizes.bulkBatch } },
    300_000,
  );
  const params = { jobs, concurrency: options.concurrency, capSeconds: sizes.drainCapSeconds };
  return runChild(
    { system: system.name, role: 'drain:work', ns, params },
    (sizes.drainCapSeconds + 60) * 1000,
    options.cpuProfile ? { cpuProfile: options.cpuProfile } : {},
  );
}

export const roles = {
  async seed({ adapter, ns, params }: RoleContext): Promise<null> {
    const jobs = params.jobs as number;
    const batch = params.batch as number;
    const producer = await adapter.openProducer(ns);
    for (let n = 0; n < jobs; n += batch) await producer.addMany(batchOf(n, Math.min(batch, jobs - n)));
    await producer.close();
    return null;
  },

  async work({ adapter, ns, params }: RoleContext): Promise<Partial<Sample>> {
    const jobs = params.jobs as number;
    const capMs = (params.capSeconds as number) * 1000;
    let count = 0;
    let first = 0;
    let last = 0;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    // The cap runs from the first job; a worker that never starts one gives up after the cap plus 20 s.
    const stuck = setTimeout(() => finish(), capMs + 20_000);
    const consumer = await adapter.startConsumer(ns, {
      concurrency: params.concurrency as number,
      handler: () => {
        last = nowMs();
        if (count++ === 0) {
          first = last;
          setTimeout(finish, capMs).unref();
        }
        if (count === jobs) finish();
      },
    });
    await finished;
    clearTimeout(stuck);
    if (count === 0) throw new Error(`the worker started no job within ${capMs / 1000 + 20} s`);
    const end = count === jobs ? last : nowMs();
    await consumer.close();
    const seconds = (end - first) / 1000;
    return {
      rate: (count - 1) / seconds,
      jobs: count,
      seconds,
      capped: count < jobs,
      rssMiB: peakRssMiB(),
    };
  },
};
