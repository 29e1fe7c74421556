// The process under load for bench/http/enqueue.ts: Docket with its HTTP
// server and, optionally, a worker running a task that takes `runMs`.
// Prints one JSON line with its URL once listening; stops on SIGTERM.
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { createDocket } from '../../src/client.js';
import { createServer } from '../../src/server/index.js';
import { defineTask } from '../../src/task.js';

const [store = '', workers = '0', runMs = '0', backlog = ''] = process.argv.slice(2);

const work = defineTask({
  name: 'bench',
  queue: 'bench',
  retry: { attempts: 1 },
  async run(input: { n: number }) {
    if (Number(runMs) > 0) await sleep(Number(runMs));
    return input.n;
  },
});

const docket = await createDocket({ store, tasks: [work] });
if (backlog) await docket.setQueue('bench', { backlogLimit: Number(backlog) });
const server = await createServer(docket, {
  port: 0,
  host: '127.0.0.1',
  rateLimit: false,
  logger: pino({ level: 'warn' }),
});
const worker =
  Number(workers) > 0 ? docket.startWorker({ queues: ['bench'], concurrency: Number(workers) }) : null;
const { url } = await server.listen();
process.stdout.write(`${JSON.stringify({ url, pid: process.pid })}\n`);
process.once('SIGTERM', async () => {
  await server.close();
  await worker?.stop();
  await docket.close();
  process.exit(0);
});
