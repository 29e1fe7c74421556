import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTask } from '../../src/index.js';

const SUSPICIOUS = [/free money/i, /click here/i, /crypto giveaway/i, /https?:\/\/\S+\.(ru|xyz)\b/i];

/**
 * Scores a user comment for spam before it is shown. I/O-bound in real life
 * (a call to a classifier service), so it runs inline, many at once.
 */
export default defineTask({
  name: 'spam-check',
  queue: 'moderation',
  priority: 5,
  input: z.object({ commentId: z.number().int(), text: z.string().max(10_000) }),
  timeout: '5s',
  async run(input, ctx) {
    await sleep(20 + Math.random() * 60, undefined, { signal: ctx.signal });
    const hits = SUSPICIOUS.filter((pattern) => pattern.test(input.text)).length;
    const score = Math.min(1, hits / 2 + (input.text.length < 4 ? 0.3 : 0));
    if (score >= 0.5) ctx.log.warn(`comment ${input.commentId} held for review (score ${score})`);
    return { spam: score >= 0.5, score };
  },
});
