import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Duration, toMs } from '../../duration.js';
import type { Logger } from '../../logger.js';
import { entryUrl } from './entry-url.js';
import type { FromSlot } from './protocol.js';
import type { SlotExit, SlotHandle } from './slot.js';
import { type PoolOptions, PoolRunner, poolLimits, SlotPool } from './slot-pool.js';

/** Settings of the child-process pool (`WorkerOptions.processes`). */
export interface ProcessRunnerOptions extends PoolOptions {
  /** After SIGTERM, how long a process gets to exit before SIGKILL. Default 5 s. */
  killGrace?: Duration;
  /** Node options for each child. Default: this process's, without inspector and test-runner flags. */
  execArgv?: string[];
  /** Environment of each child. Default: this process's. */
  env?: NodeJS.ProcessEnv;
}

const STDERR_TAIL = 4096;

/**
 * Runs jobs in a pool of child processes, for crash containment: a job that
 * calls process.exit, segfaults in native code, runs out of memory or leaks
 * takes only its own process down; the attempt fails with the exit code or
 * signal and the process is replaced. Stopping a job that ignores its signal:
 * SIGTERM, then SIGKILL after `killGrace`.
 */
export class ProcessRunner extends PoolRunner {
  constructor(options: ProcessRunnerOptions = {}, logger?: Logger) {
    const limits = poolLimits(options, availableParallelism());
    const killGraceMs = toMs(options.killGrace ?? '5s', 'killGrace');
    super(new SlotPool(() => spawnProcess(options, killGraceMs), limits, logger));
  }
}

/** Starts one child process serving jobs. */
export function spawnProcess(options: ProcessRunnerOptions, killGraceMs: number): SlotHandle {
  const execArgv = [
    ...(options.execArgv ?? inheritedExecArgv()),
    ...(options.memoryLimitMb ? [`--max-old-space-size=${options.memoryLimitMb}`] : []),
  ];
  const child = fork(fileURLToPath(entryUrl('process-entry')), [], {
    execArgv,
    env: options.env ?? process.env,
    serialization: 'advanced',
    // stderr is piped to keep its tail for the crash message ("heap out of memory"), and passed on.
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    // Only a failure to spawn explains an exit; a send on a closing channel does not.
    if (child.pid === undefined) spawnError = error;
  });
  const exited = new Promise<SlotExit>((resolve) => {
    // 'close' comes after stderr has been read to the end, so the tail is complete.
    child.once('close', (code, signal) => {
      const outOfMemory = /heap out of memory|Allocation failed/i.test(stderrTail);
      resolve({ code, signal, outOfMemory, stderrTail, ...(spawnError ? { error: spawnError } : {}) });
    });
  });
  return {
    kind: 'process',
    id: child.pid ?? -1,
    exited,
    send: (message) => {
      child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromSlot)),
    kill: () => terminate(child, exited, killGraceMs),
    ref: () => setRef(child, true),
    unref: () => setRef(child, false),
  };
}

/** SIGTERM, then SIGKILL if it is still there after the grace. */
async function terminate(child: ChildProcess, exited: Promise<SlotExit>, graceMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
  await exited;
}

/** An idle child must not keep the parent alive; a busy one must. */
function setRef(child: ChildProcess, on: boolean): void {
  const handles = [child, child.channel, child.stderr] as (
    | { ref?(): void; unref?(): void }
    | null
    | undefined
  )[];
  for (const handle of handles) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}

/** This process's Node options, minus those a child must not repeat (inspector ports, the test runner). */
function inheritedExecArgv(): string[] {
  return process.execArgv.filter((arg) => !/^--(inspect|debug|test)/.test(arg));
}
