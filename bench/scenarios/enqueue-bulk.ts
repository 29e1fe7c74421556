// enqueue-bulk: many jobs in batches, each batch one call of the system's bulk API.
import type { RoleContext } from '../lib/child.ts';
import type { Sizes } from '../lib/config.ts';
import { runChild } from '../lib/spawn.ts';
import { nowMs } from '../lib/stats.ts';
import type { Namespace, Payload, Sample, SystemInfo } from '../lib/types.ts';

export async function run(system: SystemInfo, ns: Namespace, sizes: Sizes): Promise<Partial<Sample>> {
  const params = { jobs: sizes.bulkJobs, batch: sizes.bulkBatch };
  return runChild({ system: system.name, role: 'enqueue-bulk:add', ns, params }, 180_000);
}

export function batchOf(from: number, size: number): Payload[] {
  return Array.from({ length: size }, (_, i) => ({ n: from + i, t: 0 }));
}

export const roles = {
  async add({ adapter, ns, params }: RoleContext): Promise<Partial<Sample>> {
    const jobs = params.jobs as number;
    const batch = params.batch as number;
    const producer = await adapter.openProducer(ns);
    await producer.addMany(batchOf(-batch, batch)); // warm-up, untimed
    const start = nowMs();
    for (let n = 0; n < jobs; n += batch) await producer.addMany(batchOf(n, Math.min(batch, jobs - n)));
    const seconds = (nowMs() - start) / 1000;
    await producer.close();
    return { rate: jobs / seconds, jobs, seconds };
  },
};
