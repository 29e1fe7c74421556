import { availableParallelism } from 'node:os';
import type { Logger } from '../../logger.js';
import type { Runner, RunRequest } from '../runner.js';
import { ProcessRunner, type ProcessRunnerOptions } from './process.js';
import { ThreadRunner, type ThreadRunnerOptions } from './thread.js';

/** What the default runners are built from: the worker's own options. */
export interface DefaultRunnerOptions {
  concurrency: number;
  threads?: ThreadRunnerOptions;
  processes?: ProcessRunnerOptions;
  logger?: Logger;
}

/**
 * The `thread` and `process` runners a worker has unless it is given its
 * own. Each is created on its first job, so a worker that runs only inline
 * tasks starts no thread and no process. Pools default to the worker's
 * concurrency, capped at the number of cores.
 */
export function defaultRunners(options: DefaultRunnerOptions): { thread: Runner; process: Runner } {
  const cap = (size: number) => Math.min(options.concurrency, size);
  return {
    thread: new LazyRunner(() => {
      const threads = options.threads ?? {};
      return new ThreadRunner(
        threads.size ? threads : { ...threads, size: cap(availableParallelism()) },
        options.logger,
      );
    }),
    process: new LazyRunner(() => {
      const processes = options.processes ?? {};
      return new ProcessRunner(
        processes.size ? processes : { ...processes, size: cap(availableParallelism()) },
        options.logger,
      );
    }),
  };
}

/** Creates its runner on first use; closing an unused one does nothing. */
export class LazyRunner implements Runner {
  private runner: Runner | null = null;

  constructor(private readonly create: () => Runner) {}

  /** The runner, created now if needed. */
  get instance(): Runner {
    this.runner ??= this.create();
    return this.runner;
  }

  /** True once a job has used it. */
  get started(): boolean {
    return this.runner !== null;
  }

  run(request: RunRequest): Promise<unknown> {
    return this.instance.run(request);
  }

  async close(): Promise<void> {
    await this.runner?.close();
  }
}
