// enqueue-single: awaited adds one after another, as a web request handler does them.
import type { RoleContext } from '../lib/child.ts';
import type { Sizes } from '../lib/config.ts';
import { runChild } from '../lib/spawn.ts';
import { nowMs } from '../lib/stats.ts';
import type { Namespace, Sample, SystemInfo } from '../lib/types.ts';

const WARM_UP = 50;

export async function run(system: SystemInfo, ns: Namespace, sizes: Sizes): Promise<Partial<Sample>> {
  const params = { jobs: sizes.singleJobs, capSeconds: sizes.singleCapSeconds };
  return runChild({ system: system.name, role: 'enqueue-single:add', ns, params }, 120_000);
}

export const roles = {
  async add({ adapter, ns, params }: RoleContext): Promise<Partial<Sample>> {
    const jobs = params.jobs as number;
    const capMs = (params.capSeconds as number) * 1000;
    const producer = await adapter.openProducer(ns);
    for (let i = 0; i < WARM_UP; i++) await producer.add({ n: -1, t: 0 });
    const start = nowMs();
    let done = 0;
    while (done < jobs && nowMs() - start < capMs) await producer.add({ n: done++, t: 0 });
    const seconds = (nowMs() - start) / 1000;
    await producer.close();
    return { rate: done / seconds, jobs: done, seconds, capped: done < jobs };
  },
};
