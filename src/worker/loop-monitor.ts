import { EventEmitter } from 'node:events';
import { type IntervalHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import type { Runner, RunRequest } from './runner.js';

/** One time the event loop was blocked while inline jobs ran. */
export interface LoopBlock {
  /** How late the monitor's timer fired: the length of the block, about. */
  blockedMs: number;
  /** Tasks of the inline jobs that were running during the block: one of them blocked the loop. */
  tasks: string[];
  jobs: string[];
  at: number;
}

/** What the worker publishes in its heartbeat `info`. */
export interface LoopInfo {
  /** Event-loop delay since the previous heartbeat. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The latest blocks by inline jobs, newest last. */
  loopBlocks: LoopBlock[];
}

const KEEP_BLOCKS = 5;
const WARN_EVERY_MS = 60_000;

/**
 * Watches the worker's event loop. An inline job that blocks it (CPU work,
 * sync I/O) stalls lease renewal and claims and cannot be stopped by its
 * timeout; the monitor notices the stall, names the inline task(s) running
 * during it, warns in the logs (once a minute per task) and keeps the latest
 * blocks for the heartbeat. Events: 'blocked' (LoopBlock).
 */
export class LoopMonitor extends EventEmitter {
  private readonly active = new Map<string, string>();
  /** Inline jobs that ran at any time since the last tick: the suspects for a block. */
  private seen = new Map<string, string>();
  private readonly blocks: LoopBlock[] = [];
  private readonly warned = new Map<string, number>();
  private readonly intervalMs: number;
  private histogram: IntervalHistogram | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(
    private readonly thresholdMs: number,
    private readonly logger: Logger,
  ) {
    super();
    // Tick often enough that a block of `threshold` is seen as one late tick.
    this.intervalMs = Math.max(10, Math.min(100, Math.floor(thresholdMs / 2)));
  }

  /** Wraps the inline runner so the monitor knows which inline jobs are running. */
  track(inner: Runner): Runner {
    return {
      run: async (request: RunRequest) => {
        const { id, task } = request.job;
        this.active.set(id, task);
        this.seen.set(id, task);
        try {
          return await inner.run(request);
        } finally {
          this.active.delete(id);
        }
      },
      close: () => inner.close(),
    };
  }

  start(): void {
    if (this.timer) return;
    this.histogram = monitorEventLoopDelay({ resolution: 20 });
    this.histogram.enable();
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram?.disable();
  }

  /** Delay figures since the last call, and the latest blocks. */
  info(): LoopInfo {
    const h = this.histogram;
    const info = {
      loopDelayP99Ms: h ? round(h.percentile(99) / 1e6) : 0,
      loopDelayMaxMs: h ? round(h.max / 1e6) : 0,
      loopBlocks: [...this.blocks],
    };
    h?.reset();
    return info;
  }

  private tick(): void {
    const now = performance.now();
    const late = now - this.last - this.intervalMs;
    this.last = now;
    const suspects = this.seen;
    this.seen = new Map(this.active);
    if (late < this.thresholdMs || suspects.size === 0) return;
    const block: LoopBlock = {
      blockedMs: Math.round(late),
      tasks: [...new Set(suspects.values())].sort(),
      jobs: [...suspects.keys()].slice(0, 10),
      at: Date.now(),
    };
    this.blocks.push(block);
    if (this.blocks.length > KEEP_BLOCKS) this.blocks.shift();
    this.emit('blocked', block);
    this.warn(block);
  }

  private warn(block: LoopBlock): void {
    const key = block.tasks.join(',');
    const last = this.warned.get(key) ?? Number.NEGATIVE_INFINITY;
    if (block.at - last < WARN_EVERY_MS) return;
    this.warned.set(key, block.at);
    const who =
      block.tasks.length === 1 ? `task "${block.tasks[0]}"` : `one of tasks ${block.tasks.join(', ')}`;
    this.logger.warn(
      { tasks: block.tasks, jobs: block.jobs, blockedMs: block.blockedMs },
      `an inline job of ${who} blocked the event loop for ${block.blockedMs} ms: lease renewal and claims waited, and its timeout cannot stop it; give CPU-bound tasks isolation 'thread'`,
    );
  }
}

function round(ms: number): number {
  return Number.isFinite(ms) ? Math.round(ms * 10) / 10 : 0;
}
