import type { Job } from '../job.js';
import type { AnyTask, TaskContext } from '../task.js';

/** What a runner gets to run one attempt. */
export interface RunRequest {
  job: Job;
  task: AnyTask;
  /** The validated input. */
  input: unknown;
  /** The context to hand the handler; its signal aborts on timeout, cancel, lost lease or shutdown. */
  ctx: TaskContext;
}

/**
 * Where a job's code runs. The worker races every run against the job's
 * AbortSignal, so a runner need not settle when aborted; a runner that can
 * stop the code for real (a thread, a child process) should do so on abort.
 */
export interface Runner {
  /** Runs one attempt; resolves with the handler's result or rejects with its error. */
  run(request: RunRequest): Promise<unknown>;
  /** Frees the runner's resources (threads, processes). */
  close(): Promise<void>;
}
