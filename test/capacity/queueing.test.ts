// The helpers of the capacity validation bench (bench/capacity/queueing.ts):
// the FIFO replay, the M/M/c simulator behind the sampling band, and the
// calibration of the sampled run times.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  calibratedMean,
  quantileOf,
  replayWaits,
  samplingBand,
  seeded,
  simulatedP95,
} from '../../bench/capacity/queueing.js';
import { waitQuantile } from '../../src/capacity/erlang.js';

describe('capacity bench: replay', () => {
  it('one slot follows Lindley’s recursion', () => {
    // Arrivals 0, 1, 2, 10 with run times 3, 3, 1, 1: waits 0, 2, 4, 0.
    assert.deepEqual(replayWaits([0, 1, 2, 10], [3, 3, 1, 1], 1), [0, 2, 4, 0]);
  });

  it('c slots: a job starts when the earliest slot frees, first come first served', () => {
    // Two slots busy until 5 and 7; the third arrival waits for the first to free.
    assert.deepEqual(replayWaits([0, 0, 1, 1], [5, 7, 2, 2], 2), [0, 0, 4, 6]);
  });

  it('never waits with as many slots as jobs, and waits no less with fewer slots', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(200)), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (jobs, c) => {
          const sortedJobs = [...jobs].sort((a, b) => a[0] - b[0]);
          const arrivals = sortedJobs.map((j) => j[0]);
          const services = sortedJobs.map((j) => j[1]);
          const many = replayWaits(arrivals, services, jobs.length);
          const fewer = replayWaits(arrivals, services, c);
          const more = replayWaits(arrivals, services, c + 1);
          return many.every((w) => w === 0) && fewer.every((w, i) => w >= more[i]! && w >= 0);
        },
      ),
    );
  });
});

describe('capacity bench: M/M/c simulation', () => {
  it('a long run lands near the Erlang C p95', () => {
    // M/M/2 at ρ 0.5: p95 = ln((1/3)/0.05)·S ≈ 1.9 S.
    const p95 = simulatedP95(50, 20, 2, 2000, 20, seeded(3));
    const exact = waitQuantile(2, 1, 20, 0.95);
    assert.ok(Math.abs(p95 - exact) / exact < 0.06, `${p95} vs ${exact}`);
  });

  it('the band of short runs holds the exact value and is reproducible', () => {
    const band = samplingBand(25, 20, 1, 30, 3, 100, 5);
    const exact = waitQuantile(1, 0.5, 20, 0.95);
    assert.ok(band.low < exact && exact < band.high, JSON.stringify(band));
    assert.deepEqual(samplingBand(25, 20, 1, 30, 3, 100, 5), band);
  });

  it('nearest-rank quantiles', () => {
    assert.equal(quantileOf([1, 2, 3, 4], 0.5), 2);
    assert.equal(quantileOf([1, 2, 3, 4], 0.95), 4);
    assert.equal(quantileOf([], 0.95), 0);
  });
});

describe('capacity bench: calibration', () => {
  it('max(X, d) with X exponential of the calibrated mean has mean S', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        (s, f) => {
          const d = s * f;
          const m = calibratedMean(s, d);
          // E[max(X, d)] = d + m·e^(−d/m)
          const mean = d + (m > 0 ? m * Math.exp(-d / m) : 0);
          return Math.abs(mean - s) < 1e-6 * s && m <= s;
        },
      ),
    );
    assert.equal(calibratedMean(20, 0), 20);
    assert.equal(calibratedMean(20, 25), 0);
  });
});
