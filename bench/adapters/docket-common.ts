// Docket behind the bench interface; the SQLite and PostgreSQL adapters differ only in the store URL.
import { createDocket, type Docket, defineTask } from '../../src/index.ts';
import type { Consumer, ConsumerOptions, Handler, Payload, Producer, SystemAdapter } from '../lib/types.ts';

const QUEUE = 'bench';

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
  docket.startWorker({ queues: [QUEUE], concurrency: options.concurrency });
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
