// `npm start`: Docket's demo on the embedded SQLite default. One process runs
// a worker, the scheduler, the HTTP API and the dashboard, and keeps a stream
// of realistic background work coming — some jobs fail and retry, one kind
// of webhook times out — so there is always something to watch.
//
//   DOCKET_STORE=sqlite:./docket.db   where jobs live (postgres://… works too)
//   PORT=3000                         the API and dashboard
//   DOCKET_DEMO_SECONDS=20            stop by itself after this long (for smoke tests)
import { fileURLToPath } from 'node:url';
import { createDocket, formatMs } from '../src/index.js';
import { startTraffic } from './demo/traffic.js';

const store = process.env.DOCKET_STORE ?? 'sqlite:./docket.db';
const tasks = fileURLToPath(new URL('./tasks', import.meta.url));
const docket = await createDocket({ store, tasks });
const worker = docket.startWorker({ concurrency: 20, pollInterval: 250 });
const stopTraffic = startTraffic(docket);

process.stdout.write(
  `Docket demo on ${store}\n` +
    `  tasks: ${docket.registry.names().join(', ')}\n` +
    `  worker ${worker.id}, concurrency ${worker.concurrency}\n` +
    '  Ctrl-C stops it gracefully.\n\n',
);

const started = Date.now();
const report = setInterval(async () => {
  const queues = await docket.queues();
  const line = queues
    .map(
      (q) =>
        `${q.name}: ${q.counts.available + q.counts.scheduled} waiting, ${q.counts.active} running, ${q.counts.completed} done, ${q.counts.failed} failed`,
    )
    .join(' | ');
  process.stdout.write(`[${formatMs(Date.now() - started)}] ${line}\n`);
}, 3000);

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${reason}: stopping the traffic, draining the worker…\n`);
  stopTraffic();
  clearInterval(report);
  await worker.stop();
  await docket.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
const seconds = Number(process.env.DOCKET_DEMO_SECONDS ?? 0);
if (seconds > 0) setTimeout(() => void shutdown(`${seconds}s are up`), seconds * 1000).unref();
