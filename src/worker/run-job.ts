import { backoffDelay } from '../backoff.js';
import { DocketError } from '../errors.js';
import type { AttemptError, Job } from '../job.js';
import { type AnyTask, DEFAULT_BACKOFF } from '../task.js';
import { runInJobSpan } from '../tracing.js';
import { toJsonText, validateInput } from '../validate.js';
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
 * raced against the job's AbortSignal, so a handler that ignores a timeout or
 * a cancel still frees its slot, and its late result is discarded.
 * `onHandlerDone` is called when the handler has ended, before the outcome
 * is written.
 */
export async function runJob(
  worker: Worker,
  job: Job,
  controller: AbortController,
  onHandlerDone: () => void = () => {},
): Promise<Outcome> {
  const { docket } = worker;
  const signal = controller.signal;
  let timer: NodeJS.Timeout | undefined;
  if (job.timeoutMs !== null) {
    timer = setTimeout(() => {
      controller.abort(
        new DocketError('DOCKET_TIMEOUT', `job ${job.id} timed out after ${job.timeoutMs} ms`, {
          details: { timeoutMs: job.timeoutMs },
        }),
      );
    }, job.timeoutMs);
  }
  let task: AnyTask | undefined;
  let result: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    task = docket.registry.get(job.task);
    // Validate again on the way out: rows may have been written by older code or by hand.
    const input = await validateInput(task, job.input);
    const ctx = createTaskContext(job, signal, {
      store: docket.store,
      clock: docket.clock,
      events: docket.events,
      logs: worker.writes.logs,
      maxPayloadBytes: docket.maxPayloadBytes,
    });
    const runner = worker.runnerFor(task.isolation);
    const run = runInJobSpan(job, () => runner.run({ job, task: task!, input, ctx }));
    result = { ok: true, value: await raceAbort(run, signal) };
  } catch (error) {
    result = { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
  // The slot is free once the handler is done; the outcome's write (batched
  // with others) no longer needs it, and a cancel or timeout now changes nothing.
  // The run time the capacity model sees ends here too: it is the slot's time.
  const endedAt = docket.clock.now();
  onHandlerDone();
  const outcome = await record(worker, job, task, result, signal);
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

/** Resolves or rejects with `promise`, or rejects with the signal's reason when it aborts first. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

async function record(
  worker: Worker,
  job: Job,
  task: AnyTask | undefined,
  result: { ok: true; value: unknown } | { ok: false; error: unknown },
  signal: AbortSignal,
): Promise<Outcome> {
  const { docket } = worker;
  const store = docket.store;
  const now = () => docket.clock.now();
  const fence = { id: job.id, attempt: job.attempt };
  const emitState = (state: Job['state'], error?: string) => {
    if (!docket.events.wants(job.id)) return;
    docket.events.emit({
      type: 'state',
      id: job.id,
      state,
      attempt: job.attempt,
      at: now(),
      ...(error ? { error } : {}),
    });
  };

  const reason = signal.aborted ? (signal.reason as DocketError) : null;
  if (reason?.code === 'DOCKET_LEASE_LOST') return { type: 'lease-lost' };
  if (reason?.code === 'DOCKET_SHUTDOWN') {
    const [held] = await store.release({ now: now(), jobs: [fence] });
    if (held) emitState('available');
    return { type: 'released', refused: !held };
  }
  if (reason?.code === 'DOCKET_CANCELLED') {
    const [held] = await store.markCancelled({ now: now(), jobs: [fence] });
    if (held) emitState('cancelled');
    return { type: 'cancelled', refused: !held };
  }

  if (result.ok) {
    let text: string;
    try {
      text = toJsonText(result.value, 'result', docket.maxPayloadBytes);
    } catch (error) {
      return fail(error);
    }
    const held = await worker.writes.complete.add({ ...fence, result: text });
    if (held) emitState('completed');
    else
      worker.logger.warn({ job: job.id }, 'completion refused: the lease was lost; the job runs elsewhere');
    return { type: 'completed', refused: !held };
  }
  return fail(reason ?? result.error);

  async function fail(thrown: unknown): Promise<Outcome> {
    const error = toAttemptError(thrown, job.attempt, now(), worker.id);
    const lastAttempt = job.attempt >= job.maxAttempts;
    const retryAt = lastAttempt
      ? null
      : now() + backoffDelay(task?.backoff ?? DEFAULT_BACKOFF, job.attempt, thrown);
    const [held] = await store.fail({ now: now(), jobs: [{ ...fence, error, retryAt }] });
    if (held)
      emitState(retryAt === null ? 'failed' : retryAt <= now() ? 'available' : 'scheduled', error.message);
    return retryAt === null
      ? { type: 'failed', error, refused: !held }
      : { type: 'retry', retryAt, error, refused: !held };
  }
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
