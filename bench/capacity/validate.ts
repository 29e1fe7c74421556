// Validates the capacity model against a real Docket queue: Poisson arrivals
// at rate λ, exponentially distributed run times with mean S, c slots. For
// each setting it compares the model's predicted utilisation and p95 wait
// (from the rates Docket measured) with what the run actually showed.
//
//   npx tsx bench/capacity/validate.ts            # the full grid, 90 s per setting
//   npx tsx bench/capacity/validate.ts --quick    # 20 s per setting
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { erlangC, waitQuantile } from '../../src/capacity/erlang.js';
import { createDocket, defineTask } from '../../src/index.js';

interface Setting {
  lambda: number;
  serviceMs: number;
  c: number;
}

const GRID: Setting[] = [
  { lambda: 5, serviceMs: 100, c: 1 }, // ρ 0.50
  { lambda: 20, serviceMs: 200, c: 8 }, // ρ 0.50
  { lambda: 8, serviceMs: 100, c: 1 }, // ρ 0.80
  { lambda: 16, serviceMs: 200, c: 4 }, // ρ 0.80
  { lambda: 19, serviceMs: 100, c: 2 }, // ρ 0.95
  { lambda: 38, serviceMs: 100, c: 4 }, // ρ 0.95
];

const quick = process.argv.includes('--quick');
const seconds = quick ? 20 : 90;
const exp = (mean: number) => -Math.log(1 - Math.random()) * mean;

async function runSetting(setting: Setting) {
  const dir = mkdtempSync(join(tmpdir(), 'docket-capacity-'));
  const busy = { ms: 0 };
  const waits: number[] = [];
  const work = defineTask({
    name: 'work',
    retry: { attempts: 1 },
    async run(input: unknown) {
      const { ms } = input as { ms: number };
      await sleep(ms);
      busy.ms += ms;
    },
  });
  const docket = await createDocket({ store: `sqlite:${join(dir, 'q.db')}`, tasks: [work] });
  const worker = docket.startWorker({ concurrency: setting.c, pollInterval: 1000, maintenance: false });
  // The first fifth of the run is warm-up (the queue starts empty): its waits are not counted.
  const warmUntil = Date.now() + seconds * 200;
  let started = 0;
  worker.on('job', (job: { runAt: number; startedAt: number }) => {
    started++;
    if (job.runAt >= warmUntil) waits.push(job.startedAt - job.runAt);
  });
  const start = Date.now();
  let arrivals = 0;
  // Poisson arrivals: exponential gaps, scheduled against the wall clock so timer lateness does not thin them.
  let next = start;
  while (Date.now() - start < seconds * 1000) {
    next += exp(1000 / setting.lambda);
    const delay = next - Date.now();
    if (delay > 0) await sleep(delay);
    arrivals++;
    void docket.enqueue(work, { ms: Math.round(exp(setting.serviceMs)) });
  }
  const elapsed = (Date.now() - start) / 1000;
  // Let the backlog drain before stopping: the jobs still waiting at the end
  // have the longest waits, and leaving them out would bias the p95 low.
  const drainBy = Date.now() + 600_000;
  while (started < arrivals && Date.now() < drainBy) await sleep(50);
  const [report] = await docket.capacity({ window: '1h', targetWait: '1s' });
  if (process.argv.includes('--debug')) console.log(report);
  await worker.stop({ grace: 0 });
  await docket.close();
  rmSync(dir, { recursive: true, force: true });

  waits.sort((a, b) => a - b);
  const measuredP95 = waits[Math.floor(0.95 * (waits.length - 1))] ?? 0;
  const lambda = arrivals / elapsed;
  const serviceMs = report!.meanRunMs ?? setting.serviceMs;
  const a = (lambda * serviceMs) / 1000;
  return {
    ...setting,
    rho: (setting.lambda * setting.serviceMs) / 1000 / setting.c,
    measuredLambda: lambda,
    measuredServiceMs: serviceMs,
    predictedUtilisation: a / setting.c,
    measuredUtilisation: busy.ms / (elapsed * 1000 * setting.c),
    pWait: erlangC(setting.c, a),
    predictedP95: waitQuantile(setting.c, a, serviceMs, 0.95),
    measuredP95,
    modelP95FromDocket: report!.predicted?.p95WaitMs ?? null,
    jobs: waits.length,
  };
}

const rows = [];
for (const setting of GRID) {
  const row = await runSetting(setting);
  rows.push(row);
  console.log(JSON.stringify(row));
}
const pct = (p: number, m: number) => (m === 0 && p === 0 ? 0 : Math.abs(p - m) / Math.max(m, p));
const lines = [
  `Capacity model validation — ${seconds} s per setting, ${new Date().toISOString()}, load ${
    (await import('node:os')).loadavg()[0]?.toFixed(2) ?? '?'
  } at the end`,
  '',
  '| λ/s | S ms | c | ρ | util. predicted | util. measured | Δ | P(wait) | p95 wait predicted | p95 wait measured | Δ | jobs |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.lambda} | ${r.serviceMs} | ${r.c} | ${r.rho.toFixed(2)} | ${r.predictedUtilisation.toFixed(3)} | ${r.measuredUtilisation.toFixed(3)} | ${(100 * pct(r.predictedUtilisation, r.measuredUtilisation)).toFixed(1)} % | ${r.pWait.toFixed(3)} | ${r.predictedP95.toFixed(0)} ms | ${r.measuredP95.toFixed(0)} ms | ${
        r.predictedP95 < 0.05 * r.measuredServiceMs && r.measuredP95 < 0.05 * r.measuredServiceMs
          ? 'both ≈ 0'
          : `${(100 * pct(r.predictedP95, r.measuredP95)).toFixed(1)} %`
      } | ${r.jobs} |`,
  ),
];
console.log(`\n${lines.join('\n')}`);
writeFileSync(new URL('./RESULTS.md', import.meta.url), `${lines.join('\n')}\n`);
