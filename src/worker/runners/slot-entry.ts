import { pathToFileURL } from 'node:url';
import { DocketError, type DocketErrorCode } from '../../errors.js';
import type { JobLogLine } from '../../job.js';
import { isTask } from '../../registry.js';
import type { Task, TaskContext } from '../../task.js';
import { type FromSlot, fromWireError, type ToSlot, toWireError, type WireError } from './protocol.js';

/** How the slot side talks to its runner: a thread's parentPort or a child's IPC channel. */
export interface SlotPort {
  send(message: FromSlot): void;
  onMessage(listener: (message: ToSlot) => void): void;
  /** Memory the recycling limit is checked against (a thread's heap, a process's RSS), in MiB. */
  memoryMb(): number;
}

/**
 * Serves jobs inside a thread or child process, one at a time: loads the
 * task's module (once), runs the handler with a context whose signal,
 * progress and log cross back to the runner, and reports how it ended.
 */
export function serveJobs(port: SlotPort): void {
  const modules = new Map<string, Promise<Record<string, unknown>>>();
  let current: { id: number; controller: AbortController } | null = null;
  const acks = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let seq = 0;

  port.onMessage((message) => {
    if (message.type === 'run') void run(message);
    else if (message.type === 'abort') {
      if (current?.id === message.id) current.controller.abort(abortReason(message.reason));
    } else if (message.type === 'progress-ack') {
      const ack = acks.get(message.seq);
      acks.delete(message.seq);
      if (message.error) ack?.reject(fromWireError(message.error));
      else ack?.resolve();
    }
  });
  port.send({ type: 'ready' });

  async function run(message: Extract<ToSlot, { type: 'run' }>): Promise<void> {
    const { id, job } = message;
    const controller = new AbortController();
    current = { id, controller };
    let outcome: FromSlot;
    try {
      const task = await loadTask(message.module, job.task);
      const value = await task.run(message.input, context(id, job, controller.signal));
      outcome = { type: 'done', id, ok: true, value, memoryMb: port.memoryMb() };
    } catch (error) {
      outcome = { type: 'done', id, ok: false, error: toWireError(error), memoryMb: port.memoryMb() };
    }
    current = null;
    try {
      port.send(outcome);
    } catch (error) {
      // A result that cannot be cloned (a function, a socket) fails the attempt, not the slot.
      port.send({ type: 'done', id, ok: false, error: unsendable(error), memoryMb: port.memoryMb() });
    }
  }

  function context(
    id: number,
    job: Extract<ToSlot, { type: 'run' }>['job'],
    signal: AbortSignal,
  ): TaskContext {
    const write = (level: JobLogLine['level']) => (text: string) =>
      port.send({ type: 'log', id, level, message: String(text) });
    return {
      signal,
      attempt: job.attempt,
      jobId: job.jobId,
      queue: job.queue,
      task: job.task,
      log: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
      // Waits for the runner's answer so a lost lease is refused here exactly as inline.
      progress(value: unknown) {
        const n = ++seq;
        return new Promise<void>((resolve, reject) => {
          acks.set(n, { resolve, reject });
          port.send({ type: 'progress', id, seq: n, value });
        });
      },
    };
  }

  async function loadTask(module: string, name: string): Promise<Task<unknown, unknown>> {
    let loading = modules.get(module);
    if (!loading) {
      const url = module.startsWith('file:') ? module : pathToFileURL(module).href;
      loading = import(url) as Promise<Record<string, unknown>>;
      modules.set(module, loading);
    }
    let exports: Record<string, unknown>;
    try {
      exports = await loading;
    } catch (cause) {
      modules.delete(module);
      throw new DocketError(
        'DOCKET_TASK_LOAD_FAILED',
        `cannot load task module ${module}: ${String(cause)}`,
        {
          cause,
        },
      );
    }
    const task = Object.values(exports).find((value) => isTask(value) && value.name === name);
    if (!task || !isTask(task)) {
      throw new DocketError(
        'DOCKET_TASK_LOAD_FAILED',
        `module ${module} does not export a task named "${name}"`,
        {
          details: { task: name, module },
        },
      );
    }
    return task;
  }
}

/** The signal's reason inside the slot: the same DocketError (code and message) the worker aborted with. */
function abortReason(wire: WireError): Error {
  if (wire.code?.startsWith('DOCKET_')) return new DocketError(wire.code as DocketErrorCode, wire.message);
  return fromWireError(wire);
}

function unsendable(error: unknown): WireError {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    name: 'DocketError',
    code: 'DOCKET_INVALID_ARGUMENT',
    message: `the job's result cannot be sent back from its thread or process (${reason}); return plain JSON`,
  };
}
