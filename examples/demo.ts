// `npm start`: Docket's demo on the embedded SQLite default. One process runs
// a worker, the scheduler, the HTTP API and the dashboard, and keeps a stream
// of realistic background work coming — some jobs fail and retry, one kind
// of webhook times out, thumbnails run in worker threads and invoices in
// child processes — so there is always something to watch.
//
//   DOCKET_STORE=sqlite:./docket.db   where jobs live (postgres://… works too)
//   PORT=3000                         the API and dashboard (0: any free port)
//   DOCKET_DEMO_SECONDS=20            stop by itself after this long (for smoke tests)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDocket, createServer, formatMs } from '../src/index.js';
import { startTraffic } from './demo/traffic.js';

const store = process.env.DOCKET_STORE ?? 'sqlite:./docket.db';
const tasks = fileURLToPath(new URL('./tasks', import.meta.url));
const dashboard = fileURLToPath(new URL('../dist/dashboard/', import.meta.url));
const docket = await createDocket({ store, tasks });

// Schedules are declared by every process that starts; re-declaring keeps their history.
await docket.schedule('daily-report', {
  cron: '0 7 * * *',
  tz: 'Europe/Berlin',
  task: 'daily-report',
  input: { recipients: ['ops@example.com'] },
  missed: 'latest',
  overlap: 'skip',
});
await docket.schedule('cleanup', {
  every: '30s',
  task: 'cleanup',
  input: { olderThanHours: 24 },
  overlap: 'skip',
});

const worker = docket.startWorker({ concurrency: 20, pollInterval: 250 });
const scheduler = docket.startScheduler();
const server = await createServer(docket, {
  port: Number(process.env.PORT ?? 3000),
  ...(existsSync(`${dashboard}index.html`) ? { dashboardDir: dashboard } : {}),
});
const { url } = await server.listen();
const stopTraffic = startTraffic(docket);

process.stdout.write(
  `Docket demo on ${store}\n` +
    `  dashboard and API: ${url}/   (OpenAPI: ${url}/openapi.json)\n` +
    `  tasks: ${docket.registry.names().join(', ')}\n` +
    `  schedules: daily-report (07:00 Europe/Berlin), cleanup (every 30 s)\n` +
    `  worker ${worker.id}, concurrency ${worker.concurrency}\n` +
    '  Ctrl-C stops it gracefully.\n\n',
);

const started = Date.now();
const report = setInterval(async () => {
  const queues = await docket.queues();
  const line = queues
    .map(
      (q) =>
        `${q.name} ${q.counts.available + q.counts.scheduled}/${q.counts.active}/${q.counts.completed}/${q.counts.failed}`,
    )
    .join('  ');
  process.stdout.write(`[${formatMs(Date.now() - started)}] waiting/running/done/failed  ${line}\n`);
}, 5000);

let stopping = false;
async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${reason}: stopping the traffic, draining the worker…\n`);
  stopTraffic();
  clearInterval(report);
  await server.close();
  await scheduler.stop();
  await worker.stop();
  await docket.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
const seconds = Number(process.env.DOCKET_DEMO_SECONDS ?? 0);
if (seconds > 0) setTimeout(() => void shutdown(`${seconds}s are up`), seconds * 1000).unref();
