import type { Batcher } from '../batcher.js';
import type { Clock } from '../clock.js';
import { DocketError } from '../errors.js';
import type { JobEvents } from '../events.js';
import type { Job, JobLogLine } from '../job.js';
import type { Fence, Store } from '../store/store.js';
import type { JobLogger, TaskContext } from '../task.js';
import { toJsonText } from '../validate.js';
import type { JobAbort } from './job-abort.js';

/** A log line on its way to the store. */
export type PendingLogLine = Fence & Omit<JobLogLine, 'attempt'>;

const MAX_LOG_MESSAGE = 8 * 1024;

/** What a job's context needs from its worker (one object per worker, shared by its jobs). */
export interface ContextDeps {
  store: Store;
  clock: Clock;
  events: JobEvents;
  logs: Batcher<PendingLogLine, void>;
  maxPayloadBytes: number;
}

/**
 * The context a handler gets; every write is fenced by the job's attempt.
 * The signal and the logger are made when the handler first reads them, so
 * a job that uses neither allocates neither.
 */
class JobContext implements TaskContext {
  readonly attempt: number;
  readonly jobId: string;
  readonly queue: string;
  readonly task: string;
  readonly #job: Job;
  readonly #abort: JobAbort;
  readonly #deps: ContextDeps;
  #log: JobLogger | null = null;

  constructor(job: Job, abort: JobAbort, deps: ContextDeps) {
    this.attempt = job.attempt;
    this.jobId = job.id;
    this.queue = job.queue;
    this.task = job.task;
    this.#job = job;
    this.#abort = abort;
    this.#deps = deps;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get log(): JobLogger {
    this.#log ??= jobLogger(this.#job, this.#deps);
    return this.#log;
  }

  async progress(value: unknown): Promise<void> {
    const job = this.#job;
    const deps = this.#deps;
    const progress = toJsonText(value, 'progress', deps.maxPayloadBytes);
    const held = await deps.store.setProgress({
      id: job.id,
      attempt: job.attempt,
      now: deps.clock.now(),
      progress,
    });
    if (!held) {
      throw new DocketError('DOCKET_LEASE_LOST', `job ${job.id} is no longer held by this worker`, {
        details: { id: job.id },
      });
    }
    deps.events.emit({ type: 'progress', id: job.id, progress: value, at: deps.clock.now() });
  }
}

function jobLogger(job: Job, deps: ContextDeps): JobLogger {
  const write = (level: JobLogLine['level']) => (message: string) => {
    const text = String(message).slice(0, MAX_LOG_MESSAGE);
    const at = deps.clock.now();
    deps.events.emit({ type: 'log', id: job.id, line: { at, attempt: job.attempt, level, message: text } });
    void deps.logs.add({ id: job.id, attempt: job.attempt, at, level, message: text }).catch(() => {});
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Builds the context a handler gets; every write is fenced by the job's attempt. */
export function createTaskContext(job: Job, abort: JobAbort, deps: ContextDeps): TaskContext {
  return new JobContext(job, abort, deps);
}
