import { type Duration, toMs } from './duration.js';
import { DocketError } from './errors.js';
import type { RateLimit, UpdateQueueParams } from './store/store.js';

/** A rate limit as callers write it: `{ limit: 100, per: '1m' }`, optionally with a burst. */
export interface RateLimitInput {
  /** Starts allowed per `per`. */
  limit: number;
  /** The period, e.g. '1s', '1m', or ms. */
  per: Duration;
  /** Most starts at once after a quiet spell (the bucket's size). Default `limit`; 1 spaces starts evenly. */
  burst?: number;
}

/** Settings `docket.setQueue` accepts; undefined keeps a setting, null removes a limit. */
export interface QueueSettingsInput {
  /** Most jobs that may wait (scheduled + available). */
  backlogLimit?: number | null;
  /** Most active jobs of the queue across every worker and host. */
  concurrency?: number | null;
  /** Most starts per period across every worker and host. */
  rate?: RateLimitInput | null;
  /** Most active jobs per group (enqueue option `group`). */
  groupConcurrency?: number | null;
  /** Most starts per period per group. */
  groupRate?: RateLimitInput | null;
  /** Round-robin between groups even without group limits. */
  fair?: boolean;
}

function whole(value: number | null | undefined, field: string, min: number): void {
  if (value === undefined || value === null) return;
  if (!Number.isInteger(value) || value < min || value > 2_147_483_647) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field} must be an integer ≥ ${min}, or null`, {
      details: { field },
    });
  }
}

function rate(value: RateLimitInput | null | undefined, field: string): RateLimit | null | undefined {
  if (value === undefined || value === null) return value;
  whole(value.limit, `${field}.limit`, 1);
  whole(value.burst, `${field}.burst`, 1);
  const periodMs = toMs(value.per, `${field}.per`);
  if (!(periodMs >= 1)) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', `${field}.per must be at least 1 ms`, {
      details: { field: `${field}.per` },
    });
  }
  return { limit: value.limit, periodMs, burst: value.burst ?? null };
}

/** Validates queue settings and turns them into the store's update fields (everything but name and now). */
export function queueUpdate(settings: QueueSettingsInput): Omit<UpdateQueueParams, 'name' | 'now'> {
  whole(settings.backlogLimit, 'backlogLimit', 0);
  whole(settings.concurrency, 'concurrency', 0);
  whole(settings.groupConcurrency, 'groupConcurrency', 0);
  if (settings.fair !== undefined && typeof settings.fair !== 'boolean') {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', 'fair must be true or false', {
      details: { field: 'fair' },
    });
  }
  const out: Omit<UpdateQueueParams, 'name' | 'now'> = {};
  if (settings.backlogLimit !== undefined) out.backlogLimit = settings.backlogLimit;
  if (settings.concurrency !== undefined) out.concurrency = settings.concurrency;
  if (settings.groupConcurrency !== undefined) out.groupConcurrency = settings.groupConcurrency;
  if (settings.fair !== undefined) out.fair = settings.fair;
  const r = rate(settings.rate, 'rate');
  if (r !== undefined) out.rate = r;
  const g = rate(settings.groupRate, 'groupRate');
  if (g !== undefined) out.groupRate = g;
  return out;
}

/** Validates the `group` enqueue option. */
export function checkGroup(group: unknown): string | null {
  if (group === undefined || group === null) return null;
  if (typeof group !== 'string' || group.length < 1 || group.length > 256) {
    throw new DocketError('DOCKET_INVALID_ARGUMENT', 'group must be a string of 1-256 characters', {
      details: { field: 'group' },
    });
  }
  return group;
}
