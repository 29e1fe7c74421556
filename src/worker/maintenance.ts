import type { Docket } from '../client.js';
import { type Duration, toMs } from '../duration.js';
import { defaultLogger, type Logger } from '../logger.js';

/** Settings of the maintenance loops. */
export interface MaintenanceOptions {
  /** How often expired leases are looked for. Recovery after a crash takes at most lease + this. Default 5 s. */
  sweepInterval?: Duration;
  /** How long finished jobs are kept (results stay readable). Default 7 d. */
  retention?: Duration;
  /** How often old finished jobs are pruned. Default 1 min. */
  pruneInterval?: Duration;
  /** Jobs deleted per prune transaction; keeps each transaction short. Default 1000. */
  pruneBatch?: number;
  /** How long per-minute queue statistics are kept. Default 7 d. */
  statsRetention?: Duration;
  /** Workers silent for this long are dropped from the registry. Default 2 min. */
  workerExpiry?: Duration;
  logger?: Logger;
}

/** What one maintenance pass did. */
export interface MaintenanceReport {
  retried: string[];
  failed: string[];
  pruned: number;
  workersRemoved: number;
}

/**
 * The reclaimer (expired leases back to the queue, or to failed), the pruner
 * (finished jobs past retention) and registry cleanup. Any number may run
 * against one store: each step is one transaction and safe to repeat.
 */
export class Maintenance {
  private readonly sweepMs: number;
  private readonly retentionMs: number;
  private readonly pruneMs: number;
  private readonly pruneBatch: number;
  private readonly workerExpiryMs: number;
  private readonly statsRetentionMs: number;
  private readonly logger: Logger;
  private sweepTimer: NodeJS.Timeout | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly docket: Docket,
    options: MaintenanceOptions = {},
  ) {
    this.sweepMs = toMs(options.sweepInterval ?? '5s', 'sweepInterval');
    this.retentionMs = toMs(options.retention ?? '7d', 'retention');
    this.pruneMs = toMs(options.pruneInterval ?? '1m', 'pruneInterval');
    this.pruneBatch = options.pruneBatch ?? 1000;
    this.workerExpiryMs = toMs(options.workerExpiry ?? '2m', 'workerExpiry');
    this.statsRetentionMs = toMs(options.statsRetention ?? '7d', 'statsRetention');
    this.logger = options.logger ?? defaultLogger();
  }

  start(): void {
    if (this.sweepTimer) return;
    this.sweepTimer = setInterval(() => this.track(this.reclaimOnce()), this.sweepMs);
    this.pruneTimer = setInterval(() => this.track(this.pruneOnce()), this.pruneMs);
    this.sweepTimer.unref();
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.sweepTimer = this.pruneTimer = null;
    await this.inFlight;
  }

  private track(work: Promise<unknown>): void {
    this.inFlight = Promise.all([
      this.inFlight,
      work.catch((error) => this.logger.error({ err: error }, 'maintenance failed')),
    ]);
  }

  /** Returns expired leases to the queue once; loops until none are left. */
  async reclaimOnce(): Promise<{ retried: string[]; failed: string[] }> {
    const total = { retried: [] as string[], failed: [] as string[] };
    for (;;) {
      const outcome = await this.docket.store.reclaimExpired({ now: this.docket.clock.now(), limit: 500 });
      total.retried.push(...outcome.retried);
      total.failed.push(...outcome.failed);
      for (const id of outcome.retried) this.emit(id, 'available');
      for (const id of outcome.failed) this.emit(id, 'failed');
      if (outcome.retried.length + outcome.failed.length < 500) break;
    }
    if (total.retried.length + total.failed.length > 0) {
      this.logger.warn(total, 'reclaimed jobs whose lease expired');
    }
    return total;
  }

  private emit(id: string, state: 'available' | 'failed'): void {
    this.docket.events.emit({
      type: 'state',
      id,
      state,
      attempt: 0,
      error: 'lease expired',
      at: this.docket.clock.now(),
    });
  }

  /** Prunes finished jobs past retention, in batches, and drops silent workers. */
  async pruneOnce(): Promise<{ pruned: number; workersRemoved: number }> {
    const now = this.docket.clock.now();
    let pruned = 0;
    for (;;) {
      const n = await this.docket.store.prune({
        now,
        finishedBefore: now - this.retentionMs,
        limit: this.pruneBatch,
      });
      pruned += n;
      if (n < this.pruneBatch) break;
    }
    const workersRemoved = await this.docket.store.removeWorkers({ staleBefore: now - this.workerExpiryMs });
    await this.docket.store.pruneStats({ before: now - this.statsRetentionMs });
    return { pruned, workersRemoved };
  }

  /** One full pass: reclaim, then prune. */
  async runOnce(): Promise<MaintenanceReport> {
    const reclaimed = await this.reclaimOnce();
    const pruned = await this.pruneOnce();
    return { ...reclaimed, ...pruned };
  }
}
