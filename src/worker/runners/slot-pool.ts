import { EventEmitter } from 'node:events';
import { type Duration, toMs } from '../../duration.js';
import { DocketError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Runner, RunRequest } from '../runner.js';
import { describeExit, Slot, type SlotExit, type SlotHandle } from './slot.js';

/** Limits shared by the thread and process pools. */
export interface SlotPoolLimits {
  /** Most threads or processes at once; jobs beyond wait for a free one. */
  size: number;
  /** Replace a slot after it has run this many jobs (the answer to leaks). */
  maxJobs: number | null;
  /** Replace a slot when, after a job, its memory is above this many MiB. */
  recycleAboveMb: number | null;
  /** After a job's signal aborts, how long its code gets to stop before the slot is killed. */
  abortGraceMs: number;
}

/**
 * A fixed-size pool of slots (threads or processes), each running one job at
 * a time, started on demand and replaced when one dies, is killed or is due
 * for recycling. Events: 'spawn' (id), 'exit' (id, SlotExit), 'recycle' (id, why).
 *
 * Hand-written rather than piscina/tinypool: Docket needs, per slot, the job
 * count (recycle after N), the exit code / signal / out-of-memory cause of a
 * crash, and a configurable SIGTERM→SIGKILL grace — none of which those pools
 * expose (tinypool reports a child's death as "Worker exited unexpectedly"
 * and kills after a fixed 1 s). The worker already bounds concurrency, so no
 * task queue beyond a wait for a free slot is needed.
 */
export class SlotPool extends EventEmitter {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  /** Acquirers waiting for a free slot or place; woken one at a time, they look again. */
  private readonly waiters: { wake: () => void; reject: (error: unknown) => void }[] = [];
  private closed = false;

  constructor(
    private readonly spawn: () => SlotHandle,
    private readonly limits: SlotPoolLimits,
    private readonly logger: Logger | undefined,
  ) {
    super();
  }

  /** Live slots (idle or busy), for tests and the heartbeat. */
  get size(): number {
    return this.slots.size;
  }

  /** A ready slot for one job: an idle one, a new one, or the next one freed. */
  async acquire(signal: AbortSignal): Promise<Slot> {
    for (;;) {
      if (this.closed) throw new DocketError('DOCKET_SHUTDOWN', 'the runner is closed');
      if (signal.aborted) throw signal.reason;
      const idle = this.idle.pop();
      if (idle) {
        if (idle.dead) continue;
        return idle;
      }
      if (this.slots.size < this.limits.size) return this.start();
      await this.waitForSlot(signal);
    }
  }

  /** Gives a slot back after a job: keeps it, or retires it when it is due for recycling. */
  release(slot: Slot): void {
    if (slot.dead || !this.slots.has(slot)) return;
    const why = this.recycleReason(slot);
    if (why || this.closed) {
      if (why) this.emit('recycle', slot.handle.id, why);
      this.logger?.debug({ runner: slot.handle.kind, id: slot.handle.id, why }, 'recycling');
      void slot.handle.kill();
      return;
    }
    this.idle.push(slot);
    this.waiters.shift()?.wake();
  }

  /** Kills every slot and refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new DocketError('DOCKET_SHUTDOWN', 'the runner is closed'));
    }
    this.idle.length = 0;
    await Promise.all([...this.slots].map((slot) => slot.handle.kill()));
  }

  private recycleReason(slot: Slot): string | null {
    const { maxJobs, recycleAboveMb } = this.limits;
    if (maxJobs !== null && slot.jobs >= maxJobs) return `ran ${slot.jobs} jobs`;
    if (recycleAboveMb !== null && slot.memoryMb > recycleAboveMb) {
      return `uses ${Math.round(slot.memoryMb)} MiB, above ${recycleAboveMb} MiB`;
    }
    return null;
  }

  private async start(): Promise<Slot> {
    const slot = new Slot(this.spawn(), this.limits.abortGraceMs);
    const { id, kind } = slot.handle;
    this.slots.add(slot);
    this.emit('spawn', id);
    slot.handle.exited.then((exit: SlotExit) => {
      this.slots.delete(slot);
      const at = this.idle.indexOf(slot);
      if (at >= 0) this.idle.splice(at, 1);
      this.emit('exit', id, exit);
      if (!this.closed) this.logger?.debug({ runner: kind, id, exit: describeExit(exit) }, `${kind} ended`);
      // A freed place: let one waiter start a replacement.
      this.waiters.shift()?.wake();
    });
    try {
      await slot.ready;
    } catch (error) {
      void slot.handle.kill();
      throw error;
    }
    return slot;
  }

  /** Waits until a slot is released or a place frees up. */
  private waitForSlot(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at >= 0) this.waiters.splice(at, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }
}

/** A Runner on a SlotPool: every run takes a slot, runs there, and gives it back. */
export class PoolRunner implements Runner {
  constructor(readonly pool: SlotPool) {}

  async run(request: RunRequest): Promise<unknown> {
    const slot = await this.pool.acquire(request.ctx.signal);
    try {
      return await slot.run(request);
    } finally {
      this.pool.release(slot);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Options shared by `threads` and `processes` on WorkerOptions. */
export interface PoolOptions {
  /** Most threads (or processes) at once. Default: the worker's concurrency, at most the number of cores. */
  size?: number;
  /** Replace a thread (or process) after it has run this many jobs. Default: never. */
  maxJobs?: number;
  /** Heap limit of each thread (resourceLimits) or process (--max-old-space-size), in MiB. Default: Node's. */
  memoryLimitMb?: number;
  /** Replace a thread (its heap) or process (its RSS) that is above this many MiB after a job. Default: never. */
  recycleAboveMb?: number;
  /**
   * When a job is aborted (timeout, cancel, lost lease, shutdown) its signal
   * fires inside the thread or process; after this grace the thread is
   * terminated, or the process sent SIGTERM. Default 1 s.
   */
  abortGrace?: Duration;
}

/** Checks pool options and fills in the defaults. */
export function poolLimits(options: PoolOptions, defaultSize: number): SlotPoolLimits {
  const whole = (value: number | undefined, field: string): number | null => {
    if (value === undefined) return null;
    if (!Number.isInteger(value) || value < 1) {
      throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field} must be an integer ≥ 1`, {
        details: { field },
      });
    }
    return value;
  };
  return {
    size: whole(options.size, 'size') ?? Math.max(1, defaultSize),
    maxJobs: whole(options.maxJobs, 'maxJobs'),
    recycleAboveMb: whole(options.recycleAboveMb, 'recycleAboveMb'),
    abortGraceMs: toMs(options.abortGrace ?? '1s', 'abortGrace'),
  };
}
