// The worker process of bench/memory/run.ts, plain JavaScript so no loader
// runs in it: imports Docket's build, drains the queue the parent filled and
// reports its peak RSS and V8 heap figures.
import v8 from 'node:v8';

const [url, concurrency, prefetch, jobs] = process.argv.slice(2);
const mib = (bytes) => Math.round(bytes / 1048576);
const started = process.memoryUsage().rss;
const { createDocket, defineTask } = await import('../../dist/index.js');
let ran = 0;
let drained;
const done = new Promise((resolve) => {
  drained = resolve;
});
const noop = defineTask({
  name: 'noop',
  queue: 'bench',
  run: () => {
    if (++ran === Number(jobs)) drained();
  },
});
const docket = await createDocket({ store: url, tasks: [noop] });
const idle = process.memoryUsage().rss;
let heapPeak = 0;
const sampler = setInterval(() => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapTotal);
}, 20);
const t0 = performance.now();
docket.startWorker({
  queues: ['bench'],
  concurrency: Number(concurrency),
  prefetch: Number(prefetch),
  maintenance: false,
});
await done;
const seconds = (performance.now() - t0) / 1000;
clearInterval(sampler);
const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, mib(s.space_size)]));
await docket.close();
process.send({
  rate: Math.round(Number(jobs) / seconds),
  rssStart: mib(started),
  rssIdle: mib(idle),
  rssPeak: Math.round(process.resourceUsage().maxRSS / 1024),
  heapTotalPeak: mib(heapPeak),
  newSpace: spaces.new_space,
  oldSpace: spaces.old_space,
});
