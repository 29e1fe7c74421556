import type { Runner, RunRequest } from '../runner.js';

/**
 * Runs handlers on the worker's own event loop: the cheapest mode, for
 * I/O-bound work. A handler that blocks the loop (CPU work, sync I/O) delays
 * every other job and lease renewals, and cannot be stopped by a timeout: use
 * `thread` or `process` isolation for such work.
 */
export class InlineRunner implements Runner {
  async run({ task, input, ctx }: RunRequest): Promise<unknown> {
    return task.run(input, ctx);
  }
  async close(): Promise<void> {}
}
