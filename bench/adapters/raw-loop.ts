// The claim loop both raw baselines share: claim up to CLAIM_BATCH jobs in one statement (a local queue,
// as graphile-worker's), run them `concurrency` at a time, repeat; poll when empty.
import { setTimeout as sleep, setImmediate as tick } from 'node:timers/promises';
import type { Consumer, ConsumerOptions, Payload } from '../lib/types.ts';

export const IDLE_POLL_MS = 5;
export const CLAIM_BATCH = 500;

export function claimLoop(
  claim: (limit: number) => Promise<Payload[]> | Payload[],
  options: ConsumerOptions,
  release: () => Promise<void> | void,
): Consumer {
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const jobs = await claim(Math.max(CLAIM_BATCH, options.concurrency));
      if (jobs.length === 0) {
        await sleep(IDLE_POLL_MS);
        continue;
      }
      for (let i = 0; i < jobs.length; i += options.concurrency) {
        await Promise.all(jobs.slice(i, i + options.concurrency).map(async (job) => options.handler(job)));
      }
      // Let timers and IPC run between batches, as any real worker must.
      await tick();
    }
  })();
  return {
    async close() {
      stopping = true;
      await loop;
      await release();
    },
  };
}
