// Validates the capacity model against a real Docket queue: Poisson arrivals
// at rate λ, exponentially distributed run times with mean S, c slots. For
// each setting it compares the model's predicted utilisation and p95 wait —
// computed by Docket's own model (src/capacity/model.ts) from the arrivals
// and run times Docket measured — with what the run showed. To tell model
// error, sampling noise and Docket's own delays apart it also replays the
// recorded arrivals and slot times through an ideal FIFO queue with c slots,
// and simulates exact M/M/c runs of the same length.
//
//   npx tsx bench/capacity/validate.ts                        # the full grid, about 13 min; writes RESULTS.md
//   npx tsx bench/capacity/validate.ts --quick                # 20 s per setting, under 3 min; prints only
//   npx tsx bench/capacity/validate.ts --setting 5,100,1,90   # one setting: λ/s, S ms, c, seconds; prints only
//   options: --out FILE (write the report there), --debug (print Docket's report),
//            --dump FILE (per-job timings of the last setting, as JSON)
//
// docs/capacity.md (Validation) explains the figures.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitQuantile } from '../../src/capacity/erlang.js';
import { type QueueCapacity, queueCapacity } from '../../src/capacity/model.js';
import { createDocket, defineTask } from '../../src/index.js';
import { calibratedMean, exponential, quantileOf, replayWaits, samplingBand, sorted } from './queueing.js';

interface Setting {
  lambda: number;
  serviceMs: number;
  c: number;
  /** Length of the arrival phase in the full run. */
  seconds: number;
}

// Short run times give many jobs per second: an M/M/c queue forgets its
// state in about S / (c·(1 − √ρ)²), which at ρ 0.95 and S = 100 ms is
// minutes, and the p95 of a run is only as good as the number of times it
// did. With S = 10–40 ms each setting sees thousands of jobs (tens of
// thousands at ρ 0.95, whose p95 is the slowest to settle and gets the most
// time). At most 190 jobs/s: at 380/s the producer and the worker sharing
// one event loop on the 2-core machine stalled it for up to ~120 ms, which
// bunches arrivals and run times beyond what M/M/c assumes.
const GRID: Setting[] = [
  { lambda: 50, serviceMs: 10, c: 1, seconds: 90 }, // ρ 0.50
  { lambda: 50, serviceMs: 20, c: 2, seconds: 60 }, // ρ 0.50
  { lambda: 80, serviceMs: 10, c: 1, seconds: 90 }, // ρ 0.80
  { lambda: 160, serviceMs: 20, c: 4, seconds: 90 }, // ρ 0.80
  { lambda: 190, serviceMs: 20, c: 4, seconds: 210 }, // ρ 0.95
  { lambda: 190, serviceMs: 40, c: 8, seconds: 210 }, // ρ 0.95
];

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const debug = args.includes('--debug');
const custom = option('--setting');
const settings: Setting[] = custom
  ? [parseSetting(custom)]
  : GRID.map((s) => (quick ? { ...s, seconds: 20 } : s));
const out =
  option('--out') ?? (quick || custom ? undefined : new URL('./RESULTS.md', import.meta.url).pathname);

function parseSetting(text: string): Setting {
  const [lambda, serviceMs, c, seconds] = text.split(',').map(Number);
  if (!lambda || !serviceMs || !c || !Number.isInteger(c)) throw new Error('--setting λ,S,c[,seconds]');
  return { lambda, serviceMs, c, seconds: seconds || 60 };
}

/** The first tenth of the arrival phase (at least 3 s) is warm-up: the queue starts empty. */
const warmSecondsOf = (s: Setting) => Math.max(3, s.seconds / 10);
/** Calibration before each measured phase, at the setting's λ; its first second only warms up. */
const CALIBRATION_SECONDS = quick ? 3 : 5;

/** What the bench records of one job. Times are epoch ms. */
interface JobRecord {
  /** When the arrival loop meant to enqueue it (the Poisson schedule). */
  scheduledAt: number;
  requestedMs: number;
  /** Docket's `runAt`: when it became available, i.e. its enqueue. */
  runAt: number;
  /** Docket's `startedAt`: when the worker claimed it. */
  startedAt: number;
  handlerStart: number;
  /** The handler's last moment. The worker frees the slot right after, and Docket's run time ends there. */
  handlerEnd: number;
  /** The worker's 'job' event: the outcome is written (after the slot was freed). */
  finishedAt: number;
  done: boolean;
}

interface Row {
  setting: Setting;
  rho: number;
  warmSeconds: number;
  /** Docket's model, from Docket's statistics. */
  report: QueueCapacity;
  measuredUtilisation: number;
  measuredP95: number;
  /** Mean slot time (claim to handler end) the bench saw, and the model fed with it: a check on Docket's Ŝ. */
  slotMs: number;
  slotP95: number;
  replayP95: number;
  band: { low: number; median: number; high: number };
  jobs: number;
  arrivals: number;
  undrained: number;
  overheadMs: number;
  writeMs: number;
  startLatency: { mean: number; p95: number };
  extraMean: number;
  arrivalLateP95: number;
  loopDelayP99: number;
  loopDelayMax: number;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

async function runSetting(setting: Setting): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'docket-capacity-'));
  const records: JobRecord[] = [];
  const work = defineTask({
    name: 'work',
    queue: 'capacity',
    retry: { attempts: 1 },
    async run(input: { seq: number; ms: number }) {
      const record = records[input.seq]!;
      record.handlerStart = Date.now();
      await sleep(input.ms);
      record.handlerEnd = Date.now();
    },
  });
  const docket = await createDocket({ store: `sqlite:${join(dir, 'q.db')}`, tasks: [work] });
  const worker = docket.startWorker({ concurrency: setting.c, maintenance: false });
  let finished = 0;
  worker.on('job', (job: { input: { seq: number }; runAt: number; startedAt: number | null }) => {
    const record = records[job.input.seq]!;
    record.finishedAt = Date.now();
    record.runAt = job.runAt;
    record.startedAt = job.startedAt ?? Number.NaN;
    record.done = true;
    finished++;
  });

  /** Poisson arrivals for `seconds`, scheduled against the wall clock so timer lateness does not thin them. */
  async function arrive(seconds: number, queue: string, requestMs: () => number): Promise<[number, number]> {
    const start = Date.now();
    const from = records.length;
    let next = start;
    for (;;) {
      next += exponential(1000 / setting.lambda);
      if (next >= start + seconds * 1000) break;
      const delay = next - Date.now();
      if (delay > 0) await sleep(delay);
      const seq = records.length;
      const ms = Math.max(0, Math.round(requestMs()));
      records.push({
        scheduledAt: next,
        requestedMs: ms,
        runAt: Date.now(),
        startedAt: Number.NaN,
        handlerStart: Number.NaN,
        handlerEnd: Number.NaN,
        finishedAt: Number.NaN,
        done: false,
      });
      docket.enqueue(work, { seq, ms }, { queue }).catch((error: unknown) => {
        console.error('enqueue failed', error);
      });
    }
    return [from, records.length];
  }
  /** Waits until every job enqueued so far has finished, up to 10 min. */
  async function drain(): Promise<void> {
    const by = Date.now() + 600_000;
    while (finished < records.length && Date.now() < by) await sleep(20);
  }
  /** Per-job overhead: how much longer than its requested sleep a job held its slot (claim to handler end). */
  const overheadOf = (jobs: JobRecord[]) =>
    mean(jobs.filter((r) => r.done).map((r) => r.handlerEnd - r.startedAt - r.requestedMs));

  // 1. Calibration, on a queue of its own so that Docket's statistics of the
  //    measured queue stay clean. The overhead d — timer lateness, input
  //    validation, the claim's bookkeeping — is measured at the setting's λ;
  //    the first second (JIT, first SQLite pages) is left out.
  const calStart = Date.now();
  const [calFrom, calTo] = await arrive(CALIBRATION_SECONDS, 'calibration', () =>
    exponential(setting.serviceMs),
  );
  await drain();
  let overheadMs = overheadOf(records.slice(calFrom, calTo).filter((r) => r.runAt >= calStart + 1000));
  let sampledMeanMs = calibratedMean(setting.serviceMs, overheadMs);

  // 2. The measured phase. Each job sleeps max(X − d, 0) with X exponential
  //    of mean m, so that it holds its slot for about max(X, d): exponential
  //    above d, with mean S. d keeps being re-measured over the phase's
  //    finished jobs, so the realised S (and ρ) stays at the nominal value.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const stalls: [number, number][] = [];
  let tick = Date.now();
  const stallWatch = setInterval(() => {
    const now = Date.now();
    if (now - tick > 25) stalls.push([tick, now - tick]);
    tick = now;
  }, 5);
  const from = records.length;
  const recalibrate = setInterval(() => {
    const done = records.slice(from).filter((r) => r.done);
    if (done.length < 200) return;
    overheadMs = overheadOf(done);
    sampledMeanMs = calibratedMean(setting.serviceMs, overheadMs);
  }, 2000);
  const t0 = Date.now();
  const [, to] = await arrive(setting.seconds, 'capacity', () =>
    Math.max(0, exponential(sampledMeanMs) - overheadMs),
  );
  const end = t0 + setting.seconds * 1000;
  clearInterval(recalibrate);
  await drain();
  loop.disable();
  clearInterval(stallWatch);

  // The model as Docket computes it, from Docket's statistics of the measured
  // queue. The window is the arrival phase: docket.capacity() measures back
  // from now over whole-minute buckets, which for a run this short would
  // spread λ's count over the drain and the minute before the start.
  const [queueInfo] = (await docket.queues()).filter((q) => q.name === 'capacity');
  const report = queueCapacity({
    queue: queueInfo!,
    buckets: await docket.queueStats({ queue: 'capacity', since: 0 }),
    workers: await docket.listWorkers(),
    windowMs: end - t0,
    targetWaitMs: 1000,
    now: end,
  });
  if (debug) console.log(report);
  await worker.stop({ grace: 0 });
  await docket.close();
  rmSync(dir, { recursive: true, force: true });
  const dump = option('--dump');
  if (dump) writeFileSync(dump, JSON.stringify({ setting, t0, end, stalls, records: records.slice(from) }));

  const measured = records.slice(from, to);
  const done = measured.filter((r) => r.done);
  const warmSeconds = warmSecondsOf(setting);
  const warmUntil = t0 + warmSeconds * 1000;
  const counted = measured.filter((r) => r.runAt >= warmUntil);
  const undrained = counted.filter((r) => !r.done).length;
  // A job the drain did not reach has waited at least until now: counted with that lower bound.
  const now = Date.now();
  const waits = counted.map((r) => (r.done ? r.startedAt - r.runAt : now - r.runAt));

  // Replay: the same arrivals and slot times through an ideal FIFO queue with
  // c slots that hands a freed slot to the next job at once.
  const byArrival = [...done].sort((a, b) => a.runAt - b.runAt);
  const replay = replayWaits(
    byArrival.map((r) => r.runAt),
    byArrival.map((r) => r.handlerEnd - r.startedAt),
    setting.c,
  );
  const replayCounted: number[] = [];
  const freeSlotWaits: number[] = [];
  let extra = 0;
  for (const [i, r] of byArrival.entries()) {
    if (r.runAt < warmUntil) continue;
    replayCounted.push(replay[i]!);
    extra += r.startedAt - r.runAt - replay[i]!;
    // A slot was free when it arrived: its whole wait is Docket's start latency.
    if (replay[i] === 0) freeSlotWaits.push(r.startedAt - r.runAt);
  }

  // Measured utilisation: the share of slot time in the counted window during
  // which a slot held a job (claim to handler end).
  let busy = 0;
  for (const r of done) busy += Math.max(0, Math.min(r.handlerEnd, end) - Math.max(r.startedAt, warmUntil));
  const slotMs = mean(done.map((r) => r.handlerEnd - r.startedAt));
  const lambdaHat = report.arrivalRate;
  return {
    setting,
    rho: (setting.lambda * setting.serviceMs) / 1000 / setting.c,
    warmSeconds,
    report,
    measuredUtilisation: busy / ((end - warmUntil) * setting.c),
    measuredP95: quantileOf(sorted(waits), 0.95),
    slotMs,
    slotP95: waitQuantile(setting.c, (lambdaHat * slotMs) / 1000, slotMs, 0.95),
    replayP95: quantileOf(sorted(replayCounted), 0.95),
    band: samplingBand(lambdaHat, slotMs, setting.c, setting.seconds, warmSeconds),
    jobs: counted.length,
    arrivals: measured.length,
    undrained,
    overheadMs,
    writeMs: mean(done.map((r) => r.finishedAt - r.handlerEnd)),
    startLatency: { mean: mean(freeSlotWaits), p95: quantileOf(sorted(freeSlotWaits), 0.95) },
    extraMean: extra / Math.max(1, replayCounted.length),
    arrivalLateP95: quantileOf(sorted(measured.map((r) => r.runAt - r.scheduledAt)), 0.95),
    // The histogram holds whole sampling intervals: the delay is what exceeds the 10 ms resolution.
    loopDelayP99: Math.max(0, loop.percentile(99) / 1e6 - 10),
    loopDelayMax: Math.max(0, loop.max / 1e6 - 10),
  };
}

const started = Date.now();
const rows: Row[] = [];
for (const setting of settings) {
  const row = await runSetting(setting);
  rows.push(row);
  const { report, ...rest } = row;
  console.log(
    JSON.stringify({
      ...rest,
      lambdaHat: report.arrivalRate,
      serviceHat: report.meanRunMs,
      utilisation: report.utilisation,
      predicted: report.predicted,
    }),
  );
}

const delta = (p: number, m: number) => (p === m ? 0 : (100 * (p - m)) / m);
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)} %`;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const within = (x: number) => Math.abs(x) <= 20;
const p95Of = (r: Row) => r.report.predicted?.p95WaitMs ?? Number.NaN;
const command = `npx tsx bench/capacity/validate.ts${quick ? ' --quick' : ''}${custom ? ` --setting ${custom}` : ''}`;
const count = (ok: (r: Row) => boolean) => `${rows.filter(ok).length} of ${rows.length}`;
const lines = [
  '# Capacity model validation',
  '',
  `\`${command}\` — ${new Date().toISOString()}, ${cpus().length} CPUs (shared), load average ${loadavg()[0]!.toFixed(2)} at the end, ${((Date.now() - started) / 60_000).toFixed(1)} min in all. docs/capacity.md (Validation) explains the method.`,
  '',
  `Within 20 %: utilisation ${count((r) => within(delta(r.report.utilisation ?? 0, r.measuredUtilisation)))}; p95 wait ${count((r) => within(delta(p95Of(r), r.measuredP95)))}; p95 wait predicted from the slot time ${count((r) => within(delta(r.slotP95, r.measuredP95)))}; measured p95 inside the M/M/c band ${count((r) => r.measuredP95 >= r.band.low && r.measuredP95 <= r.band.high)}.`,
  '',
  '## Predicted against measured',
  '',
  'Predicted: Docket’s own model (`queueCapacity`, M/M/c) fed with what Docket measured of the queue — λ̂, its arrival count over the arrival phase, and Ŝ, its mean run time. Measured: the share of slot time busy, and the p95 of the waits (enqueue to claim) of every job that arrived after the warm-up, the backlog drained at the end. Δ = (predicted − measured) / measured.',
  '',
  '| λ/s | S ms | c | ρ | λ̂/s | Ŝ ms | util. predicted | util. measured | Δ | P(wait) | p95 wait predicted | p95 wait measured | Δ | jobs | seconds |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => {
    const s = r.setting;
    const util = r.report.utilisation ?? Number.NaN;
    return `| ${s.lambda} | ${s.serviceMs} | ${s.c} | ${r.rho.toFixed(2)} | ${r.report.arrivalRate.toFixed(1)} | ${(r.report.meanRunMs ?? 0).toFixed(2)} | ${util.toFixed(3)} | ${r.measuredUtilisation.toFixed(3)} | ${signed(delta(util, r.measuredUtilisation))} | ${(r.report.predicted?.probabilityOfWaiting ?? 0).toFixed(3)} | ${ms(p95Of(r))} | ${ms(r.measuredP95)} | ${signed(delta(p95Of(r), r.measuredP95))} | ${r.jobs} | ${s.seconds} |`;
  }),
  '',
  '## Where the gaps come from',
  '',
  '- **Slot time**: the mean time a job held its slot, claim to handler end, as the bench saw it; Docket’s Ŝ should match it (the worker frees the slot when the handler ends, and Docket’s run time ends there too). **Write**: handler end to the outcome written, which holds no slot and is not part of Ŝ. **p95 (slot time)**: the same M/M/c formula with λ̂ and the slot time.',
  '- **Replay**: the p95 wait of an ideal FIFO queue with c slots fed the recorded arrival times and slot times of the same jobs; it hands a freed slot to the next job at once. Measured ≈ replay means Docket adds no delay of its own; the rest of the gap is the sample (these arrivals, these run times) or the model.',
  '- **M/M/c band**: where the p95 of 90 % of 200 simulated runs of an exact M/M/c queue (λ̂, slot time, c, same length and warm-up) lands: the sampling noise a run this long cannot avoid.',
  '- **Measured − replay**: mean extra wait per job over the replay. **Start latency**: enqueue to claim for jobs that found a slot free in the replay. **d**: the calibrated per-job overhead subtracted from each requested sleep. **Event-loop delay** and **arrivals late** (against the Poisson schedule) show how loaded the process was.',
  '',
  '| λ/s | S ms | c | slot time | ρ (slot time) | write | p95 (slot time) | Δ | p95 replay | M/M/c band | measured − replay | start latency mean / p95 | d | event-loop delay p99 / max | arrivals late p95 | arrivals | not drained |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => {
    const s = r.setting;
    const a = (r.report.arrivalRate * r.slotMs) / 1000;
    return `| ${s.lambda} | ${s.serviceMs} | ${s.c} | ${r.slotMs.toFixed(2)} ms | ${(a / s.c).toFixed(3)} | ${r.writeMs.toFixed(2)} ms | ${ms(r.slotP95)} | ${signed(delta(r.slotP95, r.measuredP95))} | ${ms(r.replayP95)} | ${ms(r.band.low)}–${ms(r.band.high)} | ${r.extraMean.toFixed(2)} ms | ${r.startLatency.mean.toFixed(2)} / ${ms(r.startLatency.p95)} | ${r.overheadMs.toFixed(2)} ms | ${r.loopDelayP99.toFixed(1)} / ${ms(r.loopDelayMax)} | ${r.arrivalLateP95.toFixed(1)} ms | ${r.arrivals} | ${r.undrained} |`;
  }),
];
console.log(`\n${lines.join('\n')}`);
if (out) {
  writeFileSync(out, `${lines.join('\n')}\n`);
  // Align the tables as the repository's formatter wants them (biome checks bench/).
  spawnSync('npx', ['biome', 'format', '--write', out], { stdio: 'ignore' });
}
