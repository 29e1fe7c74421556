import { availableParallelism } from 'node:os';
import { Worker as Thread } from 'node:worker_threads';
import type { Logger } from '../../logger.js';
import { entryUrl, tsxBootstrap } from './entry-url.js';
import type { FromSlot } from './protocol.js';
import type { SlotExit, SlotHandle } from './slot.js';
import { type PoolOptions, PoolRunner, poolLimits, SlotPool } from './slot-pool.js';

/** Settings of the thread pool (`WorkerOptions.threads`). */
export type ThreadRunnerOptions = PoolOptions;

/**
 * Runs jobs in a pool of worker_threads, for CPU-bound work: the worker's own
 * event loop stays free to renew leases and claim while jobs compute. A job
 * that passes its timeout (or is cancelled) and does not stop on its signal
 * has its thread terminated and replaced.
 */
export class ThreadRunner extends PoolRunner {
  constructor(options: ThreadRunnerOptions = {}, logger?: Logger) {
    const limits = poolLimits(options, availableParallelism());
    super(new SlotPool(() => spawnThread(options.memoryLimitMb), limits, logger));
  }
}

/** Starts one worker thread serving jobs. */
export function spawnThread(memoryLimitMb: number | undefined): SlotHandle {
  const thread = new Thread(tsxBootstrap(entryUrl('thread-entry')), {
    eval: true,
    name: 'docket-job',
    ...(memoryLimitMb ? { resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb } } : {}),
  });
  let error: Error | undefined;
  thread.on('error', (thrown) => {
    error = thrown;
  });
  const exited = new Promise<SlotExit>((resolve) => {
    thread.once('exit', (code) => {
      const outOfMemory = (error as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      resolve({ code, signal: null, outOfMemory, ...(error && !outOfMemory ? { error } : {}) });
    });
  });
  return {
    kind: 'thread',
    id: thread.threadId,
    exited,
    send: (message) => thread.postMessage(message),
    onMessage: (listener) => thread.on('message', (message: FromSlot) => listener(message)),
    kill: async () => {
      await thread.terminate();
      await exited;
    },
    ref: () => thread.ref(),
    unref: () => thread.unref(),
  };
}
