import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { backoffDelay } from '../../src/backoff.js';
import { defineTask, formatMs, toMs } from '../../src/index.js';

describe('durations', () => {
  it('parses the units and refuses the rest with the field named', () => {
    assert.equal(toMs('500ms'), 500);
    assert.equal(toMs('30s'), 30_000);
    assert.equal(toMs('1.5m'), 90_000);
    assert.equal(toMs('2h'), 7_200_000);
    assert.equal(toMs('1d'), 86_400_000);
    assert.equal(toMs(42), 42);
    for (const bad of ['', '10', 'ten s', '-1s', '5y']) {
      assert.throws(() => toMs(bad, 'delay'), {
        code: 'DOCKET_INVALID_ARGUMENT',
        details: { field: 'delay', value: bad },
      });
    }
    assert.throws(() => toMs(-1), { code: 'DOCKET_INVALID_ARGUMENT' });
    assert.equal(formatMs(850), '850ms');
    assert.equal(formatMs(200_000), '3m 20s');
  });
});

describe('backoff', () => {
  it('fixed waits the same each time', () => {
    assert.equal(backoffDelay({ type: 'fixed', delay: '2s' }, 1, null), 2000);
    assert.equal(backoffDelay({ type: 'fixed', delay: '2s' }, 9, null), 2000);
  });

  it('exponential doubles up to the cap, with full jitter below it', () => {
    const exp = { type: 'exponential', base: '1s', max: '10s', jitter: false } as const;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(exp, a, null)),
      [1000, 2000, 4000, 8000, 10_000, 10_000],
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const cap = Math.min(10_000, 1000 * 2 ** (attempt - 1));
          const delay = backoffDelay({ ...exp, jitter: true }, attempt, null, () => r);
          return delay >= 0 && delay <= cap;
        },
      ),
    );
  });

  it('a custom function decides, never below zero', () => {
    assert.equal(
      backoffDelay((attempt) => attempt * 100, 3, null),
      300,
    );
    assert.equal(
      backoffDelay(() => -5, 3, null),
      0,
    );
  });
});

describe('defineTask', () => {
  it('refuses bad definitions', () => {
    assert.throws(() => defineTask({ name: 'bad name', run: () => null }), {
      code: 'DOCKET_INVALID_ARGUMENT',
    });
    assert.throws(() => defineTask({ name: 'x', retry: { attempts: 0 }, run: () => null }), {
      details: { field: 'retry.attempts' },
    });
    assert.throws(() => defineTask({ name: 'x', timeout: 'soon', run: () => null }), {
      details: { field: 'timeout', value: 'soon' },
    });
  });

  it('remembers the module that defined it', () => {
    const task = defineTask({ name: 'here', run: () => null });
    assert.match(task.module ?? '', /units\.test\.ts$/);
  });
});
