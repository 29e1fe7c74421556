import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/**
 * Sends the welcome email after a signup. The "mail server" is simulated:
 * it takes 50–250 ms and refuses about one message in ten, which the retry
 * policy absorbs. The unique key (`welcome:<userId>`) set at enqueue makes a
 * double-submitted signup send one email.
 */
export default defineTask({
  name: 'welcome-email',
  queue: 'emails',
  input: z.object({ userId: z.number().int(), to: z.string().email(), name: z.string().min(1) }),
  retry: { attempts: 4, backoff: { type: 'exponential', base: '500ms', max: '10s' } },
  timeout: '10s',
  async run(input, ctx) {
    ctx.log.info(`rendering welcome email for ${input.name}`);
    await sleep(50 + Math.random() * 200, undefined, { signal: ctx.signal });
    if (Math.random() < 0.1) throw new Error('SMTP 451: mail server busy, try again later');
    ctx.log.info(`sent to ${input.to}`);
    return { messageId: `<${ctx.jobId}.${Date.now()}@mail.example>` };
  },
});
