import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { type Duration, toMs } from '../duration.js';
import { DocketError } from '../errors.js';
import { defaultLogger, type Logger } from '../logger.js';

/** Set in each child's environment as `<supervisor id>:<slot>`; the child's worker reports it in the registry. */
export const SUPERVISOR_ENV = 'DOCKET_SUPERVISOR';

/** How `docket worker --processes N` runs its children. */
export interface SupervisorOptions {
  /** Worker processes to keep running. */
  processes: number;
  /** Script each child runs. Default: this process's script (the `docket` CLI). */
  script?: string;
  /** The child's arguments. Default: this process's, without `--processes N`. */
  args?: string[];
  /** Node options for the children. Default: this process's, without inspector flags. */
  execArgv?: string[];
  /** Extra environment for the children. */
  env?: NodeJS.ProcessEnv;
  /** First wait before restarting a dead child; doubles with each quick restart. Default 500 ms. */
  restartDelay?: Duration;
  /** Longest wait between restarts. Default 30 s. */
  maxRestartDelay?: Duration;
  /** Give up when one child has been restarted this many times within `crashWindow`. Default 5. */
  maxRestarts?: number;
  /** Default 1 min. */
  crashWindow?: Duration;
  /** On stop, how long children get to drain (finish or hand back their jobs) before SIGKILL. Default 30 s. */
  stopTimeout?: Duration;
  logger?: Logger;
}

/** One supervised worker process, as `children()` reports it. */
export interface SupervisedChild {
  slot: number;
  pid: number | undefined;
  startedAt: number;
  restarts: number;
}

interface ChildState {
  slot: number;
  process: ChildProcess | null;
  startedAt: number;
  restarts: number[];
  timer: NodeJS.Timeout | null;
}

/**
 * Forks N worker processes and keeps them running: a child that dies is
 * restarted after a backoff; one that dies `maxRestarts` times within
 * `crashWindow` makes the supervisor give up loudly (every child is stopped
 * and `done` rejects) rather than spin. `stop()` forwards SIGTERM so children
 * drain gracefully, then SIGKILLs stragglers after `stopTimeout`.
 * Events: 'spawn' (slot, pid), 'exit' (slot, pid, code, signal), 'restart'
 * (slot, delayMs), 'give-up' (error).
 */
export class Supervisor extends EventEmitter {
  readonly id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  /** Settles when every child has stopped: resolves after stop(), rejects after giving up. */
  readonly done: Promise<void>;
  private readonly slots: ChildState[];
  private readonly logger: Logger;
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly windowMs: number;
  private readonly maxRestarts: number;
  private readonly stopMs: number;
  private stopping: Promise<void> | null = null;
  private failure: DocketError | null = null;
  private settle: { resolve: () => void; reject: (error: unknown) => void } = { resolve() {}, reject() {} };

  constructor(private readonly options: SupervisorOptions) {
    super();
    if (!Number.isInteger(options.processes) || options.processes < 1) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', 'processes must be an integer ≥ 1', {
        details: { field: 'processes' },
      });
    }
    this.logger = (options.logger ?? defaultLogger()).child({ supervisor: this.id });
    this.delayMs = toMs(options.restartDelay ?? 500, 'restartDelay');
    this.maxDelayMs = toMs(options.maxRestartDelay ?? '30s', 'maxRestartDelay');
    this.windowMs = toMs(options.crashWindow ?? '1m', 'crashWindow');
    this.maxRestarts = options.maxRestarts ?? 5;
    this.stopMs = toMs(options.stopTimeout ?? '30s', 'stopTimeout');
    this.slots = Array.from({ length: options.processes }, (_, slot) => ({
      slot,
      process: null,
      startedAt: 0,
      restarts: [],
      timer: null,
    }));
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    this.done.catch(() => {});
  }

  /** Forks every child. */
  start(): this {
    for (const state of this.slots) this.spawn(state);
    return this;
  }

  /** The children now running. */
  children(): SupervisedChild[] {
    return this.slots.map((s) => ({
      slot: s.slot,
      pid: s.process?.pid,
      startedAt: s.startedAt,
      restarts: s.restarts.length,
    }));
  }

  /** Stops every child gracefully (SIGTERM, or the given signal); SIGKILL after `stopTimeout`. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping ??= this.stopAll(signal);
    return this.stopping;
  }

  private spawn(state: ChildState): void {
    const child = fork(
      this.options.script ?? process.argv[1]!,
      this.options.args ?? childArgs(process.argv.slice(2)),
      {
        execArgv: this.options.execArgv ?? process.execArgv.filter((arg) => !/^--(inspect|debug)/.test(arg)),
        env: { ...process.env, ...this.options.env, [SUPERVISOR_ENV]: `${this.id}:${state.slot}` },
        stdio: 'inherit',
      },
    );
    state.process = child;
    state.startedAt = Date.now();
    this.emit('spawn', state.slot, child.pid);
    this.logger.info({ slot: state.slot, pid: child.pid }, 'worker process started');
    child.once('exit', (code, signal) => this.onExit(state, child, code, signal));
  }

  private onExit(state: ChildState, child: ChildProcess, code: number | null, signal: string | null): void {
    state.process = null;
    this.emit('exit', state.slot, child.pid, code, signal);
    if (this.stopping || this.failure) {
      this.maybeDone();
      return;
    }
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const now = Date.now();
    state.restarts = state.restarts.filter((at) => now - at < this.windowMs);
    if (state.restarts.length >= this.maxRestarts) {
      this.giveUp(
        new DocketError(
          'DOCKET_RUNNER_CRASHED',
          `worker process ${state.slot} (pid ${child.pid}) ${how}; it died ${state.restarts.length + 1} times within ${this.windowMs / 1000}s, so it is crashing in a loop and the supervisor gives up. Its own error output above says why.`,
          { details: { slot: state.slot, pid: child.pid, exitCode: code, signal } },
        ),
      );
      return;
    }
    state.restarts.push(now);
    const delay = Math.min(this.maxDelayMs, this.delayMs * 2 ** (state.restarts.length - 1));
    this.logger.warn(
      { slot: state.slot, pid: child.pid, code, signal, delayMs: delay },
      `worker process ${how}; restarting`,
    );
    this.emit('restart', state.slot, delay);
    state.timer = setTimeout(() => {
      state.timer = null;
      if (!this.stopping && !this.failure) this.spawn(state);
    }, delay);
  }

  private giveUp(error: DocketError): void {
    this.failure = error;
    this.logger.error({ err: error }, error.message);
    this.emit('give-up', error);
    void this.stopAll('SIGTERM');
  }

  private async stopAll(signal: NodeJS.Signals): Promise<void> {
    const running = this.slots.filter((s) => s.process);
    for (const state of this.slots) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
    }
    const exits = running.map(
      (s) => new Promise<void>((resolve) => s.process!.once('exit', () => resolve())),
    );
    for (const s of running) s.process!.kill(signal);
    const killer = setTimeout(() => {
      for (const s of this.slots) s.process?.kill('SIGKILL');
    }, this.stopMs);
    await Promise.all(exits);
    clearTimeout(killer);
    this.maybeDone();
  }

  private maybeDone(): void {
    if (this.slots.some((s) => s.process)) return;
    if (this.failure) this.settle.reject(this.failure);
    else this.settle.resolve();
  }
}

/**
 * Runs a supervisor until it is stopped by SIGTERM/SIGINT (forwarded to the
 * children for a graceful drain; a second signal kills them at once) or gives
 * up on a crash loop. Resolves with the exit code for the CLI: 0 or 1.
 */
export async function runSupervisor(options: SupervisorOptions): Promise<number> {
  if (process.env[SUPERVISOR_ENV]) {
    throw new DocketError(
      'DOCKET_INVALID_ARGUMENT',
      'a supervised worker process cannot start its own supervisor',
    );
  }
  const supervisor = new Supervisor(options).start();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1) void supervisor.stop(signal);
    else for (const child of supervisor.children()) if (child.pid) process.kill(child.pid, 'SIGKILL');
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await supervisor.done;
    return 0;
  } catch {
    return 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** Facts a supervised worker publishes in the registry: its supervisor and slot. Empty when not supervised. */
export function supervisedInfo(): Record<string, unknown> {
  const value = process.env[SUPERVISOR_ENV];
  if (!value) return {};
  const at = value.lastIndexOf(':');
  return { supervisor: value.slice(0, at), supervisorPid: process.ppid, slot: Number(value.slice(at + 1)) };
}

/** True in a worker process started by a supervisor. */
export function isSupervisedChild(): boolean {
  return Boolean(process.env[SUPERVISOR_ENV]);
}

/** A child's arguments: the parent's, without `--processes N` / `--processes=N`. */
export function childArgs(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--processes') i++;
    else if (!arg.startsWith('--processes=')) out.push(arg);
  }
  return out;
}
