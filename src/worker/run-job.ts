import { backoffDelay } from '../backoff.js';
import { DocketError } from '../errors.js';
import type { AttemptError, Job } from '../job.js';
import { type AnyTask, DEFAULT_BACKOFF } from '../task.js';
import { runInJobSpan } from '../tracing.js';
import { toJsonText, validateInput } from '../validate.js';
import type { JobAbort } from './job-abort.js';
import { createTaskContext } from './job-context.js';
import type { Worker } from './worker.js';

/** How one attempt ended, as recorded. `refused`: the lease was gone, so nothing was written. */
export type Outcome =
  | { type: 'completed'; refused: boolean }
  | { type: 'retry'; retryAt: number; error: AttemptError; refused: boolean }
  | { type: 'failed'; error: AttemptError; refused: boolean }
  | { type: 'cancelled'; refused: boolean }
  | { type: 'released'; refused: boolean }
  | { type: 'lease-lost' };

/**
 * Runs one attempt of a claimed job and records how it ended. The handler is
 * raced against the job's abort, so a handler that ignores a timeout or a
 * cancel still frees its slot, and its late result is discarded.
 * `onHandlerDone` is called when the handler has ended, before the outcome
 * is written. This is every job's path: it allocates as little as it can.
 */
export async function runJob(
  worker: Worker,
  job: Job,
  abort: JobAbort,
  onHandlerDone?: () => void,
): Promise<Outcome> {
  const { docket } = worker;
  let timer: NodeJS.Timeout | undefined;
  if (job.timeoutMs !== null) timer = setTimeout(abortOnTimeout, job.timeoutMs, abort, job);
  let task: AnyTask | undefined;
  let ok = false;
  let value: unknown;
  try {
    task = docket.registry.get(job.task);
    // Validate again on the way out: rows may have been written by older code or by hand.
    const input = task.input ? await validateInput(task, job.input) : job.input;
    const request = { job, task, input, ctx: createTaskContext(job, abort, worker.contextDeps) };
    const runner = worker.runnerFor(task.isolation);
    value = await abort.race(runInJobSpan(job, () => runner.run(request)));
    ok = true;
  } catch (error) {
    value = error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
  // The slot is free once the handler is done; the outcome's write (batched
  // with others) no longer needs it, and a cancel or timeout now changes nothing.
  // The run time the capacity model sees ends here too: it is the slot's time.
  const endedAt = docket.clock.now();
  onHandlerDone?.();
  // A result that beat a timeout to the line stands; a cancel, shutdown or
  // lost lease that came in meanwhile still decides what is written.
  const reason = abort.reason;
  const outcome =
    ok && (reason === null || reason.code === 'DOCKET_TIMEOUT')
      ? await complete(worker, job, task, value)
      : await record(worker, job, task, value, reason);
  // Attempts that ran to an end count for the capacity model; handed-back,
  // cancelled and lease-lost ones say nothing about the task's run time.
  if (
    (outcome.type === 'completed' || outcome.type === 'retry' || outcome.type === 'failed') &&
    !outcome.refused
  ) {
    docket.stats.finished(job, outcome.type === 'completed', endedAt);
  }
  return outcome;
}

function abortOnTimeout(abort: JobAbort, job: Job): void {
  abort.abort(
    new DocketError('DOCKET_TIMEOUT', `job ${job.id} timed out after ${job.timeoutMs} ms`, {
      details: { timeoutMs: job.timeoutMs },
    }),
  );
}

/** Tells listeners of this job (if any) its new state. */
function emitState(worker: Worker, job: Job, state: Job['state'], error?: string): void {
  const { events, clock } = worker.docket;
  if (!events.wants(job.id)) return;
  events.emit({
    type: 'state',
    id: job.id,
    state,
    attempt: job.attempt,
    at: clock.now(),
    ...(error ? { error } : {}),
  });
}

/** Records a handler's result: the common case, kept apart so it builds nothing else. */
async function complete(
  worker: Worker,
  job: Job,
  task: AnyTask | undefined,
  value: unknown,
): Promise<Outcome> {
  let text: string;
  try {
    text = toJsonText(value, 'result', worker.docket.maxPayloadBytes);
  } catch (error) {
    return fail(worker, job, task, error);
  }
  const held = await worker.writes.complete.add({ id: job.id, attempt: job.attempt, result: text });
  if (held) emitState(worker, job, 'completed');
  else worker.logger.warn({ job: job.id }, 'completion refused: the lease was lost; the job runs elsewhere');
  return { type: 'completed', refused: !held };
}

/** Records an attempt that threw or was stopped. */
async function record(
  worker: Worker,
  job: Job,
  task: AnyTask | undefined,
  thrown: unknown,
  reason: DocketError | null,
): Promise<Outcome> {
  const store = worker.docket.store;
  const now = worker.docket.clock.now();
  const fence = { id: job.id, attempt: job.attempt };
  if (reason?.code === 'DOCKET_LEASE_LOST') return { type: 'lease-lost' };
  if (reason?.code === 'DOCKET_SHUTDOWN') {
    const [held] = await store.release({ now, jobs: [fence] });
    if (held) emitState(worker, job, 'available');
    return { type: 'released', refused: !held };
  }
  if (reason?.code === 'DOCKET_CANCELLED') {
    const [held] = await store.markCancelled({ now, jobs: [fence] });
    if (held) emitState(worker, job, 'cancelled');
    return { type: 'cancelled', refused: !held };
  }
  return fail(worker, job, task, reason ?? thrown);
}

/** Records a failed attempt: a retry after the task's backoff, or the last failure. */
async function fail(worker: Worker, job: Job, task: AnyTask | undefined, thrown: unknown): Promise<Outcome> {
  const { store, clock } = worker.docket;
  const now = clock.now();
  const error = toAttemptError(thrown, job.attempt, now, worker.id);
  const lastAttempt = job.attempt >= job.maxAttempts;
  const retryAt = lastAttempt
    ? null
    : now + backoffDelay(task?.backoff ?? DEFAULT_BACKOFF, job.attempt, thrown);
  const [held] = await store.fail({ now, jobs: [{ id: job.id, attempt: job.attempt, error, retryAt }] });
  if (held) {
    emitState(
      worker,
      job,
      retryAt === null ? 'failed' : retryAt <= clock.now() ? 'available' : 'scheduled',
      error.message,
    );
  }
  return retryAt === null
    ? { type: 'failed', error, refused: !held }
    : { type: 'retry', retryAt, error, refused: !held };
}

/** What is kept of a thrown value: message, stack and code. */
export function toAttemptError(thrown: unknown, attempt: number, at: number, workerId: string): AttemptError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    return {
      attempt,
      ...(typeof code === 'string' ? { code } : {}),
      message: thrown.message || thrown.name,
      ...(thrown.stack ? { stack: thrown.stack.slice(0, 16_384) } : {}),
      at,
      workerId,
    };
  }
  return {
    attempt,
    message: typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown)),
    at,
    workerId,
  };
}
