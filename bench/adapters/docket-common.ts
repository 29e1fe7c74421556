// Docket behind the bench interface; the SQLite and PostgreSQL adapters differ only in the store URL.
// The package as users install it (built by `npm run build`), not its TypeScript sources through a loader.
import { createDocket, type Docket, defineTask } from '../../dist/index.js';
import type { Consumer, ConsumerOptions, Handler, Payload, Producer, SystemAdapter } from '../lib/types.ts';

const QUEUE = 'bench';
/** Jobs a worker claims ahead of its free slots (WorkerOptions.prefetch), for throughput. */
export const PREFETCH = 500;

function noopTask(handler: Handler) {
  return defineTask<Payload, void>({
    name: 'noop',
    queue: QUEUE,
    run: (input) => handler(input),
  });
}

async function open(
  store: string,
  handler: Handler,
): Promise<{ docket: Docket; task: ReturnType<typeof noopTask> }> {
  const task = noopTask(handler);
  const docket = await createDocket({ store, tasks: [task] });
  return { docket, task };
}

function producerOf(docket: Docket, task: ReturnType<typeof noopTask>, closeDocket: boolean): Producer {
  return {
    async add(payload) {
      await docket.enqueue(task, payload);
    },
    async addMany(payloads) {
      await docket.enqueueMany(payloads.map((input) => ({ task, input })));
    },
    async close() {
      if (closeDocket) await docket.close();
    },
  };
}

function consumerOf(docket: Docket, options: ConsumerOptions): Consumer {
  // prefetch 500: jobs claimed ahead and held by the worker, as graphile-worker's local queue of 500.
  docket.startWorker({ queues: [QUEUE], concurrency: options.concurrency, prefetch: PREFETCH });
  return { close: () => docket.close() };
}

/** A Docket adapter for a store URL made from the run's namespace. */
export function docketAdapter(
  storeUrl: (ns: Parameters<SystemAdapter['openProducer']>[0]) => string,
): SystemAdapter {
  return {
    async openProducer(ns) {
      const { docket, task } = await open(storeUrl(ns), () => {});
      return producerOf(docket, task, true);
    },
    async startConsumer(ns, options) {
      const { docket } = await open(storeUrl(ns), options.handler);
      return consumerOf(docket, options);
    },
    async openInProcess(ns, options) {
      const { docket, task } = await open(storeUrl(ns), options.handler);
      return { producer: producerOf(docket, task, false), consumer: consumerOf(docket, options) };
    },
  };
}
