import { DocketError } from '../../errors.js';
import type { RunRequest } from '../runner.js';
import { type FromSlot, fromWireError, type ToSlot, toWireError } from './protocol.js';

/** How a thread or process ended. */
export interface SlotExit {
  /** Exit code, when it exited rather than being killed by a signal. */
  code: number | null;
  /** The signal that killed a process. */
  signal: string | null;
  /** It ran out of heap (a thread's resourceLimits, a child's --max-old-space-size). */
  outOfMemory: boolean;
  /** An uncaught error that ended a thread. */
  error?: Error;
  /** The end of a child's stderr, for the crash message. */
  stderrTail?: string;
}

/** One thread or child process, as the pool drives it. */
export interface SlotHandle {
  /** 'thread' or 'process', for messages. */
  readonly kind: 'thread' | 'process';
  /** threadId or pid. */
  readonly id: number;
  send(message: ToSlot): void;
  onMessage(listener: (message: FromSlot) => void): void;
  /** Settles once, when it has ended, however that happened. */
  readonly exited: Promise<SlotExit>;
  /** Stops it for good: terminate a thread; SIGTERM a process, then SIGKILL after a grace. */
  kill(): Promise<void>;
  /** Keeps the parent alive while a job runs here; idle slots must not. */
  ref(): void;
  unref(): void;
}

/**
 * One thread or process running one job at a time. When the job's signal
 * aborts, the code gets `abortGraceMs` to stop on its own (the signal is
 * raised inside too); then the slot is killed — the only way to stop code that
 * ignores the signal or blocks its event loop — and the pool replaces it.
 */
export class Slot {
  /** Jobs run to completion here; for recycling after N. */
  jobs = 0;
  /** Memory reported after the last job (MiB); for recycling above a limit. */
  memoryMb = 0;
  dead = false;
  /** Resolves once the entry script is loaded and serving; rejects if it ends before. */
  readonly ready: Promise<void>;
  private current: { message(message: FromSlot): void; exit(exit: SlotExit): void } | null = null;
  private runs = 0;
  private exit: SlotExit | null = null;

  constructor(
    readonly handle: SlotHandle,
    private readonly abortGraceMs: number,
  ) {
    let markReady: () => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      handle.exited.then((exit) => reject(startError(handle, exit)));
    });
    // The pool awaits `ready` only on first use; keep an early failure from counting as unhandled.
    this.ready.catch(() => {});
    handle.onMessage((message) => {
      if (message.type === 'ready') {
        markReady();
        // Held while starting, so a caller awaiting `ready` keeps the process alive; idle from here on.
        if (!this.current) handle.unref();
      } else this.current?.message(message);
    });
    handle.exited.then((exit) => {
      this.dead = true;
      this.exit = exit;
      this.current?.exit(exit);
    });
  }

  /** Runs one attempt here; rejects with a clear crash error if the slot dies under it. */
  run({ job, task, input, ctx }: RunRequest): Promise<unknown> {
    if (!task.module) {
      return Promise.reject(
        new DocketError(
          'DOCKET_TASK_LOAD_FAILED',
          `task "${task.name}" has isolation '${task.isolation}' but its module is unknown; define it with defineTask in its own module`,
          { details: { task: task.name } },
        ),
      );
    }
    const id = ++this.runs;
    const { handle } = this;
    const signal = ctx.signal;
    handle.ref();
    return new Promise<unknown>((resolve, reject) => {
      let graceTimer: NodeJS.Timeout | undefined;
      const finish = () => {
        this.current = null;
        clearTimeout(graceTimer);
        signal.removeEventListener('abort', onAbort);
        if (!this.dead) handle.unref();
      };
      const onAbort = () => {
        this.trySend({ type: 'abort', id, reason: toWireError(signal.reason) });
        graceTimer = setTimeout(() => void handle.kill(), this.abortGraceMs);
      };
      const onMessage = (message: FromSlot) => {
        if (!('id' in message) || message.id !== id) return;
        if (message.type === 'log') ctx.log[message.level](message.message);
        else if (message.type === 'progress') {
          ctx.progress(message.value).then(
            () => this.trySend({ type: 'progress-ack', id, seq: message.seq }),
            (error: unknown) =>
              this.trySend({ type: 'progress-ack', id, seq: message.seq, error: toWireError(error) }),
          );
        } else if (message.type === 'done') {
          finish();
          this.jobs++;
          this.memoryMb = message.memoryMb;
          if (message.ok) resolve(message.value);
          else reject(fromWireError(message.error));
        }
      };
      const onExit = (exit: SlotExit) => {
        finish();
        // Killed because the job was aborted: the abort's reason (timeout, cancel…) is the story.
        reject(signal.aborted ? signal.reason : crashError(handle, exit, job.id));
      };
      this.current = { message: onMessage, exit: onExit };
      if (this.exit) return onExit(this.exit);
      signal.addEventListener('abort', onAbort, { once: true });
      this.trySend({
        type: 'run',
        id,
        module: task.module!,
        job: { jobId: job.id, attempt: job.attempt, queue: job.queue, task: job.task },
        input,
      });
      if (signal.aborted) onAbort();
    });
  }

  /** How the slot ended, once it has. */
  get exitInfo(): SlotExit | null {
    return this.exit;
  }

  private trySend(message: ToSlot): void {
    if (this.dead) return;
    try {
      this.handle.send(message);
    } catch {
      // The slot is going away; its exit rejects the run.
    }
  }
}

/** The error an attempt fails with when its thread or process dies under it. */
export function crashError(handle: SlotHandle, exit: SlotExit, jobId: string): DocketError {
  const what = `the ${handle.kind} running job ${jobId} (${handle.kind === 'thread' ? 'thread' : 'pid'} ${handle.id})`;
  return new DocketError('DOCKET_RUNNER_CRASHED', `${what} ${describeExit(exit)}`, {
    cause: exit.error,
    details: {
      runner: handle.kind,
      [handle.kind === 'thread' ? 'threadId' : 'pid']: handle.id,
      exitCode: exit.code,
      signal: exit.signal,
      outOfMemory: exit.outOfMemory,
    },
  });
}

/** "ran out of memory", "exited with code 1", "was killed by signal SIGKILL", "crashed: <uncaught error>". */
export function describeExit(exit: SlotExit): string {
  if (exit.outOfMemory) return 'ran out of memory (its heap limit was reached)';
  if (exit.error) return `crashed with an uncaught error: ${exit.error.message}`;
  const said = exit.stderrTail ? stderrGist(exit.stderrTail) : '';
  if (exit.signal) return `was killed by signal ${exit.signal}${said}`;
  return `exited with code ${exit.code} before the job finished${said}`;
}

function startError(handle: SlotHandle, exit: SlotExit): DocketError {
  return new DocketError(
    'DOCKET_RUNNER_CRASHED',
    `a ${handle.kind} for jobs could not start: it ${describeExit(exit)}`,
    {
      cause: exit.error,
      details: { runner: handle.kind, exitCode: exit.code, signal: exit.signal },
    },
  );
}

/** The telling line of a dead child's stderr: the last error line ("Error: …", "FATAL ERROR: …"), else the last line. */
function stderrGist(tail: string): string {
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const telling = lines.filter((line) => /^(\w*Error\b|FATAL|Uncaught)/.test(line)).at(-1) ?? lines.at(-1);
  return telling ? `; its stderr said: ${telling.slice(0, 500)}` : '';
}
