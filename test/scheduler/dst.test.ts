import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Scheduler } from '../../src/index.js';
import { clockedDocket, firedTicks, iso, runCleanups } from './helpers.js';

afterEach(runCleanups);

/** Declares `cron` in `tz`, walks the clock from `from` to `to` in 5-minute steps, and returns the fired ticks. */
async function walk(cron: string, tz: string, from: string, to: string): Promise<string[]> {
  const { docket, clock } = await clockedDocket(Date.parse(from));
  await docket.schedule('s', { cron, tz, task: 'tick' });
  const scheduler = new Scheduler(docket);
  while (clock.now() < Date.parse(to)) {
    clock.advance(5 * 60_000);
    await scheduler.runOnce();
  }
  return iso(await firedTicks(docket, 's'));
}

// Local wall-clock times are in the comments; the assertions are in UTC.
describe('daylight saving time', () => {
  describe('Europe/Berlin (changes at 02:00 → 03:00 and 03:00 → 02:00)', () => {
    it('a 02:30 daily job runs once on the spring-forward day, at 03:00 (the gap has no 02:30)', async () => {
      assert.deepEqual(
        await walk('30 2 * * *', 'Europe/Berlin', '2030-03-29T12:00:00Z', '2030-04-01T12:00:00Z'),
        [
          '2030-03-30T01:30:00.000Z', // Sat 02:30 CET
          '2030-03-31T01:00:00.000Z', // Sun 03:00 CEST: first valid time after the gap
          '2030-04-01T00:30:00.000Z', // Mon 02:30 CEST
        ],
      );
    });

    it('a 02:30 daily job runs once on the fall-back day (the first 02:30), not twice', async () => {
      assert.deepEqual(
        await walk('30 2 * * *', 'Europe/Berlin', '2030-10-25T12:00:00Z', '2030-10-28T12:00:00Z'),
        [
          '2030-10-26T00:30:00.000Z', // Sat 02:30 CEST
          '2030-10-27T00:30:00.000Z', // Sun 02:30 CEST; 02:30 CET an hour later does not fire
          '2030-10-28T01:30:00.000Z', // Mon 02:30 CET
        ],
      );
    });

    it('an interval-like expression follows the instants: both halves of the repeated hour', async () => {
      const ticks = await walk(
        '*/30 2 * * *',
        'Europe/Berlin',
        '2030-10-26T12:00:00Z',
        '2030-10-27T12:00:00Z',
      );
      assert.deepEqual(ticks, [
        '2030-10-27T00:00:00.000Z', // 02:00 CEST
        '2030-10-27T00:30:00.000Z', // 02:30 CEST
        '2030-10-27T01:00:00.000Z', // 02:00 CET
        '2030-10-27T01:30:00.000Z', // 02:30 CET
      ]);
    });
  });

  describe('America/New_York (changes at 02:00 → 03:00 and 02:00 → 01:00)', () => {
    it('a 02:30 daily job runs once on the spring-forward day, at 03:00', async () => {
      assert.deepEqual(
        await walk('30 2 * * *', 'America/New_York', '2030-03-08T12:00:00Z', '2030-03-11T12:00:00Z'),
        [
          '2030-03-09T07:30:00.000Z', // Sat 02:30 EST
          '2030-03-10T07:00:00.000Z', // Sun 03:00 EDT
          '2030-03-11T06:30:00.000Z', // Mon 02:30 EDT
        ],
      );
    });

    it('a 02:30 daily job runs once on the fall-back day (02:30 is not repeated here)', async () => {
      assert.deepEqual(
        await walk('30 2 * * *', 'America/New_York', '2030-11-01T12:00:00Z', '2030-11-04T12:00:00Z'),
        [
          '2030-11-02T06:30:00.000Z', // Sat 02:30 EDT
          '2030-11-03T07:30:00.000Z', // Sun 02:30 EST
          '2030-11-04T07:30:00.000Z', // Mon 02:30 EST
        ],
      );
    });

    it('a 01:30 daily job runs once on the fall-back day (the first 01:30), not twice', async () => {
      assert.deepEqual(
        await walk('30 1 * * *', 'America/New_York', '2030-11-01T12:00:00Z', '2030-11-04T12:00:00Z'),
        [
          '2030-11-02T05:30:00.000Z', // Sat 01:30 EDT
          '2030-11-03T05:30:00.000Z', // Sun 01:30 EDT; 01:30 EST an hour later does not fire
          '2030-11-04T06:30:00.000Z', // Mon 01:30 EST
        ],
      );
    });
  });
});
