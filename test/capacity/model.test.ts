import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { erlangC, meanWait, slotsForWait, waitQuantile } from '../../src/capacity/erlang.js';
import { type Histogram, quantile, record, total } from '../../src/capacity/histogram.js';
import { queueCapacity } from '../../src/capacity/model.js';
import { defineTask, ManualClock } from '../../src/index.js';
import type { QueueInfo, StatsBucket, WorkerRecord } from '../../src/store/store.js';
import { tempDocket } from '../helpers/docket.js';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} ≉ ${expected}`,
  );

describe('Erlang C (M/M/c)', () => {
  it('matches the closed forms', () => {
    // M/M/1: P(wait) = ρ, mean wait = ρS/(1-ρ).
    close(erlangC(1, 0.5), 0.5);
    close(meanWait(1, 0.5, 100), 100);
    // c = 2, a = 1: P(wait) = 1/3 by hand.
    close(erlangC(2, 1), 1 / 3);
    // A textbook case: c = 10, a = 8 → C ≈ 0.4092.
    close(erlangC(10, 8), 0.40918, 1e-4);
    assert.equal(erlangC(3, 3), 1);
    assert.equal(meanWait(3, 4, 100), Number.POSITIVE_INFINITY);
  });

  it('the p95 wait is where P(W > t) = 5 %', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.double({ min: 0.05, max: 0.98, noNaN: true }),
        (c, rho) => {
          const a = c * rho;
          const t = waitQuantile(c, a, 1000, 0.95);
          const tail = erlangC(c, a) * Math.exp((-(c - a) * t) / 1000);
          return t === 0 ? erlangC(c, a) <= 0.05 + 1e-12 : Math.abs(tail - 0.05) < 1e-9;
        },
      ),
    );
  });

  it('recommends the smallest c that meets the target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 40, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        (a, target) => {
          const c = slotsForWait(a, 200, target);
          return (
            waitQuantile(c, a, 200, 0.95) <= target &&
            (c === Math.floor(a) + 1 || waitQuantile(c - 1, a, 200, 0.95) > target)
          );
        },
      ),
    );
  });
});

describe('histogram', () => {
  it('estimates quantiles within a bucket width (about 9 %)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 50, maxLength: 400 }),
        (values) => {
          const h: Histogram = {};
          for (const v of values) record(h, v);
          const sorted = [...values].sort((x, y) => x - y);
          for (const q of [0.5, 0.95]) {
            const exact = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
            const estimate = quantile(h, q)!;
            if (Math.abs(estimate - exact) / exact > 0.1) return false;
          }
          return total(h) === values.length;
        },
      ),
    );
    assert.equal(quantile({}, 0.5), null);
  });
});

function queue(name: string, available = 0, active = 0): QueueInfo {
  return {
    name,
    paused: false,
    backlogLimit: null,
    flow: { concurrency: null, rate: null, groupConcurrency: null, groupRate: null, fair: false },
    holding: [],
    counts: { scheduled: 0, available, active, completed: 0, failed: 0, cancelled: 0 },
    oldestAvailableAt: null,
    finishedLastMinute: 0,
  };
}

function worker(concurrency: number, queues: string[] = []): WorkerRecord {
  return {
    id: `w${concurrency}`,
    host: 'h',
    pid: 1,
    queues,
    concurrency,
    startedAt: 0,
    heartbeatAt: 0,
    info: {},
  };
}

function bucket(arrivals: number, finished: number, runMs: number): StatsBucket {
  const runHist: Histogram = {};
  record(runHist, runMs, finished);
  return {
    queue: 'q',
    bucket: 0,
    arrivals,
    starts: finished,
    completions: finished,
    failures: 0,
    waitMsSum: 0,
    runMsSum: runMs * finished,
    waitHist: { 0: finished },
    runHist,
  };
}

describe('capacity model', () => {
  it('computes λ, S, load, utilisation, the prediction and the recommendation', () => {
    // 10 jobs/s for 60 s, 400 ms each: a = 4 slots; 5 slots running.
    const report = queueCapacity({
      queue: queue('q', 30, 4),
      buckets: [bucket(600, 600, 400)],
      workers: [worker(5, ['q']), worker(7, ['other'])],
      windowMs: 60_000,
      targetWaitMs: 100,
      now: 60_000,
    });
    assert.equal(report.model, 'mmc');
    close(report.arrivalRate, 10);
    close(report.meanRunMs!, 400);
    close(report.offeredLoad!, 4);
    assert.equal(report.concurrency, 5);
    close(report.utilisation!, 0.8);
    close(report.predicted!.probabilityOfWaiting, erlangC(5, 4));
    close(report.predicted!.p95WaitMs, waitQuantile(5, 4, 400, 0.95));
    assert.equal(report.recommendedConcurrency, slotsForWait(4, 400, 100));
    assert.equal(report.busySlots, 4);
    assert.equal(report.backlog, 30);
  });

  it("falls back to Little's law with too few samples, and says so", () => {
    const report = queueCapacity({
      queue: queue('q'),
      buckets: [bucket(10, 10, 1000)],
      workers: [worker(2)],
      windowMs: 60_000,
      targetWaitMs: 5000,
      now: 60_000,
    });
    assert.equal(report.model, 'littles-law');
    assert.equal(report.predicted, null);
    assert.match(report.notes.join(' '), /Little's law/);
  });

  it('says when the backlog is not shrinking', () => {
    const report = queueCapacity({
      queue: queue('q', 500),
      buckets: [bucket(1200, 600, 100)],
      workers: [worker(1)],
      windowMs: 60_000,
      targetWaitMs: 5000,
      now: 60_000,
    });
    assert.equal(report.drainSeconds, null);
    assert.match(report.notes.join(' '), /not shrinking/);
  });
});

describe('measured statistics', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('every run adds to the per-minute buckets, and capacity reads them back', async () => {
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 12, 0, 0));
    let fail = true;
    const work = defineTask({
      name: 'work',
      retry: { attempts: 2, backoff: { type: 'fixed', delay: 0 } },
      run() {
        clock.advance(250); // each run "takes" 250 ms on the injected clock
        if (fail) {
          fail = false;
          throw new Error('once');
        }
      },
    });
    const made = await tempDocket({ tasks: [work], clock });
    cleanups.push(made.cleanup);
    const { docket } = made;
    docket.startWorker({ concurrency: 1, maintenance: false });
    const jobs = await docket.enqueueMany(Array.from({ length: 5 }, () => ({ task: work, input: {} })));
    for (const job of jobs) await docket.waitFor(job.id);
    const stats = await docket.queueStats({ since: clock.now() - 3_600_000 });
    const sum = (key: 'arrivals' | 'starts' | 'completions' | 'failures') =>
      stats.reduce((n, b) => n + b[key], 0);
    assert.equal(sum('arrivals'), 5);
    assert.equal(sum('starts'), 6);
    assert.equal(sum('completions'), 5);
    assert.equal(sum('failures'), 1);
    assert.equal(
      stats.reduce((n, b) => n + b.runMsSum, 0),
      6 * 250,
    );
    const [report] = await docket.capacity({ window: '1h' });
    assert.equal(report!.queue, 'default');
    close(report!.meanRunMs!, 250);
    assert.equal(report!.finished, 6);
  });
});
