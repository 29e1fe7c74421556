import type { Batcher } from '../batcher.js';
import type { Clock } from '../clock.js';
import { DocketError } from '../errors.js';
import type { JobEvents } from '../events.js';
import type { Job, JobLogLine } from '../job.js';
import type { Fence, Store } from '../store/store.js';
import type { JobLogger, TaskContext } from '../task.js';
import { toJsonText } from '../validate.js';

/** A log line on its way to the store. */
export type PendingLogLine = Fence & Omit<JobLogLine, 'attempt'>;

const MAX_LOG_MESSAGE = 8 * 1024;

/** What a job's context needs from its worker. */
export interface ContextDeps {
  store: Store;
  clock: Clock;
  events: JobEvents;
  logs: Batcher<PendingLogLine, void>;
  maxPayloadBytes: number;
}

/** Builds the context a handler gets; every write is fenced by the job's attempt. */
export function createTaskContext(job: Job, signal: AbortSignal, deps: ContextDeps): TaskContext {
  const fence = { id: job.id, attempt: job.attempt };
  const write = (level: JobLogLine['level']) => (message: string) => {
    const text = String(message).slice(0, MAX_LOG_MESSAGE);
    const at = deps.clock.now();
    deps.events.emit({ type: 'log', id: job.id, line: { at, attempt: job.attempt, level, message: text } });
    void deps.logs.add({ ...fence, at, level, message: text }).catch(() => {});
  };
  const log: JobLogger = {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
  return {
    signal,
    log,
    attempt: job.attempt,
    jobId: job.id,
    queue: job.queue,
    task: job.task,
    async progress(value: unknown) {
      const progress = toJsonText(value, 'progress', deps.maxPayloadBytes);
      const held = await deps.store.setProgress({ ...fence, now: deps.clock.now(), progress });
      if (!held) {
        throw new DocketError('DOCKET_LEASE_LOST', `job ${job.id} is no longer held by this worker`, {
          details: { id: job.id },
        });
      }
      deps.events.emit({ type: 'progress', id: job.id, progress: value, at: deps.clock.now() });
    },
  };
}
