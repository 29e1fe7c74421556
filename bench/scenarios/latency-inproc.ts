// latency-inproc: the same paced load, with producer and worker sharing one Docket instance in one process.
import type { RoleContext } from '../lib/child.ts';
import type { Sizes } from '../lib/config.ts';
import { runChild } from '../lib/spawn.ts';
import type { Namespace, Sample, SystemInfo } from '../lib/types.ts';
import { LatencyRecorder, latencyParams, produce } from './latency.ts';

export async function run(system: SystemInfo, ns: Namespace, sizes: Sizes): Promise<Partial<Sample>> {
  const params = latencyParams(sizes);
  return runChild(
    { system: system.name, role: 'latency-inproc:both', ns, params },
    (sizes.latencySeconds + 60) * 1000,
  );
}

export const roles = {
  async both({ adapter, ns, params }: RoleContext): Promise<Partial<Sample>> {
    if (!adapter.openInProcess) throw new Error('this system has no in-process mode');
    const recorder = new LatencyRecorder();
    const { producer, consumer } = await adapter.openInProcess(ns, {
      concurrency: params.concurrency as number,
      handler: recorder.handler,
    });
    const sent = await produce(producer, params);
    const summary = await recorder.summary(sent, 5000);
    await producer.close();
    await consumer.close();
    return summary;
  },
};
