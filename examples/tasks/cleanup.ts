import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/**
 * Deletes expired sessions and temporary uploads. Declared on a schedule by
 * the demo:
 *
 *   docket.schedule('cleanup', { every: '5m', task: cleanup, input: { olderThanHours: 24 }, overlap: 'skip' });
 *
 * Idempotent, so the default `missed: 'skip'` suits it: after an outage the
 * next tick cleans up everything anyway.
 */
export default defineTask({
  name: 'cleanup',
  queue: 'maintenance',
  timeout: '1m',
  input: z.object({
    olderThanHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365)
      .default(24),
  }),
  async run(input, ctx) {
    ctx.log.info(`removing sessions and uploads older than ${input.olderThanHours}h`);
    await sleep(100 + Math.random() * 200, undefined, { signal: ctx.signal });
    return {
      sessionsRemoved: Math.floor(Math.random() * 50),
      uploadsRemoved: Math.floor(Math.random() * 10),
    };
  },
});
