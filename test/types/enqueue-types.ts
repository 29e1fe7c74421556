// Type tests: `npm run typecheck` (run in CI) fails when a line marked as
// expecting an error compiles, so a wrong input type must not compile.
import { z } from 'zod';
import { type Docket, defineTask, type TaskInput, type TaskResult } from '../../src/index.js';

const resize = defineTask({
  name: 'resize',
  input: z.object({ url: z.string(), width: z.number() }),
  run: async (input) => ({ bytes: input.width * 2 }),
});

export async function typeChecks(docket: Docket): Promise<void> {
  const job = await docket.enqueue(resize, { url: 'https://x', width: 10 });
  const width: number = job.input.width;
  const bytes: number | undefined = job.result?.bytes;
  void width;
  void bytes;

  // @ts-expect-error width must be a number
  await docket.enqueue(resize, { url: 'https://x', width: '10' });
  // @ts-expect-error url is required
  await docket.enqueue(resize, { width: 10 });
  // @ts-expect-error unknown options are refused
  await docket.enqueue(resize, { url: 'x', width: 1 }, { delya: '5s' });

  // By name the input is unknown: checked at run time instead.
  await docket.enqueue('resize', { anything: true });

  const input: TaskInput<typeof resize> = { url: 'x', width: 1 };
  const result: TaskResult<typeof resize> = { bytes: 1 };
  // @ts-expect-error the result type is inferred from run()
  const wrong: TaskResult<typeof resize> = { bytes: 'many' };
  void input;
  void result;
  void wrong;
}
