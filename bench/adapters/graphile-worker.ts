// graphile-worker with the settings of its performance page: local queue and batched completion.
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import type { SystemAdapter } from '../lib/types.ts';

const quiet = new Logger(() => () => {});

export function makeAdapter(_system: string): SystemAdapter {
  return {
    async openProducer(ns) {
      const utils = await makeWorkerUtils({ connectionString: ns.pgUrl, logger: quiet });
      await utils.migrate();
      return {
        async add(payload) {
          await utils.addJob('noop', payload);
        },
        async addMany(payloads) {
          await utils.addJobs(payloads.map((payload) => ({ identifier: 'noop', payload })));
        },
        close: async () => {
          await utils.release();
        },
      };
    },
    async startConsumer(ns, { concurrency, handler }) {
      const runner = await run({
        noHandleSignals: true,
        logger: quiet,
        taskList: {
          noop: async (payload) => {
            handler(payload as never);
          },
        },
        preset: {
          worker: {
            connectionString: ns.pgUrl,
            concurrentJobs: concurrency,
            maxPoolSize: Math.max(10, concurrency + 2),
            localQueue: { size: 500 },
            completeJobBatchDelay: 0,
            failJobBatchDelay: 0,
          },
        },
      });
      return { close: () => runner.stop() };
    },
  };
}
