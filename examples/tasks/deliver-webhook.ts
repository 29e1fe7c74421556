import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/**
 * Delivers a webhook to a customer's endpoint. Some endpoints hang: the
 * 2-second timeout fires the AbortSignal, the attempt fails with
 * DOCKET_TIMEOUT, and the retry policy tries again later.
 */
export default defineTask({
  name: 'deliver-webhook',
  queue: 'webhooks',
  input: z.object({ url: z.string().url(), event: z.string(), payload: z.record(z.string(), z.unknown()) }),
  retry: { attempts: 3, backoff: { type: 'exponential', base: '1s', max: '30s' } },
  timeout: '2s',
  async run(input, ctx) {
    const hangs = input.url.includes('slow-customer');
    ctx.log.info(`POST ${input.url} (${input.event})`);
    await sleep(hangs ? 60_000 : 30 + Math.random() * 120, undefined, { signal: ctx.signal });
    return { status: 200 };
  },
});
