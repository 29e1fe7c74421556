// pg-boss 10 (the last line that runs on Node 20) with batch fetching at the minimum polling interval.
import PgBoss from 'pg-boss';
import type { Namespace, Payload, SystemAdapter } from '../lib/types.ts';

const QUEUE = 'bench';

async function start(ns: Namespace): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: ns.pgUrl });
  boss.on('error', (error) => console.error('pg-boss error', error));
  await boss.start();
  await boss.createQueue(QUEUE).catch(() => {});
  return boss;
}

async function stop(boss: PgBoss): Promise<void> {
  await boss.stop({ graceful: true, wait: true, timeout: 5000 });
}

export function makeAdapter(_system: string): SystemAdapter {
  return {
    async openProducer(ns) {
      const boss = await start(ns);
      return {
        async add(payload) {
          await boss.send(QUEUE, payload);
        },
        async addMany(payloads) {
          await boss.insert(payloads.map((data) => ({ name: QUEUE, data })));
        },
        close: () => stop(boss),
      };
    },
    async startConsumer(ns, { concurrency, handler }) {
      const boss = await start(ns);
      await boss.work<Payload>(QUEUE, { batchSize: concurrency, pollingIntervalSeconds: 0.5 }, (jobs) =>
        Promise.allSettled(jobs.map(async (job) => handler(job.data))),
      );
      return { close: () => stop(boss) };
    },
  };
}
