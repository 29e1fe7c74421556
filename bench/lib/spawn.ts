// Runs one role of a scenario in a fresh child process and talks to it over IPC.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './namespace.ts';
import type { Namespace } from './types.ts';

const CHILD = join(import.meta.dirname, 'child.ts');
export const PROFILE_DIR = join(RESULTS_DIR, 'profiles');

export interface ChildTask {
  system: string;
  /** `<scenario file>:<role>`, e.g. `drain:work`. */
  role: string;
  ns: Namespace;
  params: Record<string, unknown>;
}

export interface ChildMessage {
  type: string;
  data?: unknown;
}

export class Child {
  private readonly proc: ChildProcess;
  private readonly inbox: ChildMessage[] = [];
  private waiters: { type: string; resolve: (m: ChildMessage) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private exited: Error | null = null;

  constructor(
    task: ChildTask,
    private readonly options: { cpuProfile?: string } = {},
  ) {
    const execArgv = ['--import', 'tsx'];
    if (options.cpuProfile) {
      // Each thread (tsx runs its loader in one) writes its own profile: give them a folder of their own.
      rmSync(this.profileDir, { recursive: true, force: true });
      mkdirSync(this.profileDir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${this.profileDir}`, '--enable-source-maps');
    }
    const mapsFile = options.cpuProfile ? join(PROFILE_DIR, `${options.cpuProfile}.maps.json`) : '';
    this.proc = fork(CHILD, [], {
      execArgv,
      env: { ...process.env, BENCH_CHILD: JSON.stringify(task), BENCH_SOURCE_MAPS: mapsFile },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.proc.stdout?.resume();
    this.proc.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.proc.on('message', (message: ChildMessage) => this.deliver(message));
    this.proc.on('exit', (code, signal) => {
      const tail = this.stderr.trim().split('\n').slice(-6).join(' | ');
      this.exited = new Error(
        `${task.system} ${task.role} exited (${signal ?? code})${tail ? `: ${tail}` : ''}`,
      );
      for (const waiter of this.waiters) waiter.reject(this.exited);
      this.waiters = [];
    });
  }

  private get profileDir(): string {
    return join(PROFILE_DIR, `${this.options.cpuProfile}.threads`);
  }

  /** Keeps the main thread's profile (thread id 0 in V8's file name) under the requested name. */
  keepMainProfile(): void {
    if (!this.options.cpuProfile) return;
    const main = readdirSync(this.profileDir).find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
    if (main) renameSync(join(this.profileDir, main), join(PROFILE_DIR, this.options.cpuProfile));
    rmSync(this.profileDir, { recursive: true, force: true });
  }

  private deliver(message: ChildMessage): void {
    if (message.type === 'error') {
      const error = new Error(String(message.data));
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters = [];
      this.exited = error;
      return;
    }
    const index = this.waiters.findIndex((w) => w.type === message.type);
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
    else this.inbox.push(message);
  }

  /** The next message of this type, or an error when the child dies first or the time runs out. */
  next(type: string, timeoutMs: number): Promise<ChildMessage> {
    const queued = this.inbox.findIndex((m) => m.type === type);
    if (queued >= 0) return Promise.resolve(this.inbox.splice(queued, 1)[0]!);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        this.kill();
        reject(new Error(`no '${type}' from the child within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (message: ChildMessage) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.waiters.push({
        type,
        resolve: done,
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  /** The child's result. */
  async result<T>(timeoutMs: number): Promise<T> {
    return (await this.next('result', timeoutMs)).data as T;
  }

  send(message: ChildMessage): void {
    this.proc.send(message);
  }

  /** Resolves once the process is gone (so its CPU profile is written). */
  exit(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.proc.once('exit', () => resolve()));
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }
}

/** Runs a role to its result and waits for the process to end. */
export async function runChild<T>(
  task: ChildTask,
  timeoutMs: number,
  options: { cpuProfile?: string } = {},
): Promise<T> {
  const child = new Child(task, options);
  try {
    const result = await child.result<T>(timeoutMs);
    await Promise.race([child.exit(), new Promise((r) => setTimeout(r, 15_000))]);
    child.keepMainProfile();
    return result;
  } finally {
    child.kill();
  }
}
