import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

/**
 * Builds yesterday's activity report. Declared on a schedule by the demo:
 *
 *   docket.schedule('daily-report', {
 *     cron: '0 7 * * *', tz: 'Europe/Berlin', task: dailyReport,
 *     input: { recipients: ['ops@example.com'] }, missed: 'latest', overlap: 'skip',
 *   });
 *
 * `missed: 'latest'`: when every scheduler was down at 07:00, the report
 * still goes out once when one comes back. `overlap: 'skip'`: a slow report
 * never runs twice at once. The tick that enqueued a job is its `runAt`
 * (and its key, `schedule:daily-report@<ISO time>`), so a late run reports
 * on the right day.
 */
export default defineTask({
  name: 'daily-report',
  queue: 'reports',
  timeout: '5m',
  retry: { attempts: 3, backoff: { type: 'exponential', base: '30s', max: '10m' } },
  input: z.object({ recipients: z.array(z.string().email()).min(1).max(50) }),
  async run(input, ctx) {
    const sections = ['signups', 'jobs', 'errors', 'revenue'];
    for (const [index, section] of sections.entries()) {
      ctx.log.info(`summarising ${section}`);
      await sleep(200 + Math.random() * 300, undefined, { signal: ctx.signal });
      await ctx.progress({ done: index + 1, of: sections.length });
    }
    return { sections: sections.length, sentTo: input.recipients.length };
  },
});
