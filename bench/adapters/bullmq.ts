// BullMQ on the local Redis, every key under the run's prefix.
import { Queue, Worker } from 'bullmq';
import type { Namespace, SystemAdapter } from '../lib/types.ts';

const QUEUE = 'bench';

function connection(ns: Namespace) {
  return { host: ns.redisHost, port: ns.redisPort, maxRetriesPerRequest: null };
}

export function makeAdapter(_system: string): SystemAdapter {
  return {
    async openProducer(ns) {
      const queue = new Queue(QUEUE, {
        connection: connection(ns),
        prefix: ns.redisPrefix,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
      });
      await queue.waitUntilReady();
      return {
        async add(payload) {
          await queue.add('noop', payload);
        },
        async addMany(payloads) {
          await queue.addBulk(payloads.map((data) => ({ name: 'noop', data })));
        },
        close: () => queue.close(),
      };
    },
    async startConsumer(ns, { concurrency, handler }) {
      const worker = new Worker(QUEUE, async (job) => handler(job.data), {
        connection: connection(ns),
        prefix: ns.redisPrefix,
        concurrency,
      });
      worker.on('error', (error) => console.error('bullmq worker error', error));
      await worker.waitUntilReady();
      return { close: () => worker.close() };
    },
  };
}
