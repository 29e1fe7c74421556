import type { FlowLimits, RateLimit, UpdateQueueParams } from '../store.js';

/** A docket_queues row's flow columns as a driver returns them (numbers may be strings, flags 0/1 or booleans). */
export interface FlowRow {
  name: string;
  paused: unknown;
  concurrency: unknown;
  rate_limit: unknown;
  rate_period_ms: unknown;
  rate_burst: unknown;
  group_concurrency: unknown;
  group_rate_limit: unknown;
  group_rate_period_ms: unknown;
  group_rate_burst: unknown;
  fair: unknown;
  flow: unknown;
  tokens: unknown;
  refilled_at: unknown;
  group_cursor: unknown;
  held_at: unknown;
  group_floor_tokens?: unknown;
  group_floor_at?: unknown;
  group_skipped_at?: unknown;
  group_held_at?: unknown;
}

/** A nullable numeric column as a number or null. */
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A 0/1 or boolean column as a boolean. */
export function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1';
}

function rate(limit: unknown, period: unknown, burst: unknown): RateLimit | null {
  const n = num(limit);
  const p = num(period);
  return n === null || p === null ? null : { limit: n, periodMs: p, burst: num(burst) };
}

/** The settings stored on a queue row; a queue without a row has none. */
export function rowToFlow(row: FlowRow | undefined): FlowLimits {
  if (!row) return { concurrency: null, rate: null, groupConcurrency: null, groupRate: null, fair: false };
  return {
    concurrency: num(row.concurrency),
    rate: rate(row.rate_limit, row.rate_period_ms, row.rate_burst),
    groupConcurrency: num(row.group_concurrency),
    groupRate: rate(row.group_rate_limit, row.group_rate_period_ms, row.group_rate_burst),
    fair: flag(row.fair),
  };
}

/** True when the queue needs the serialised claim: any limit, or fairness. */
export function isLimited(flow: FlowLimits): boolean {
  return (
    flow.concurrency !== null ||
    flow.rate !== null ||
    flow.groupConcurrency !== null ||
    flow.groupRate !== null ||
    flow.fair
  );
}

/** True when jobs are taken round-robin by group. */
export function isGrouped(flow: FlowLimits): boolean {
  return flow.groupConcurrency !== null || flow.groupRate !== null || flow.fair;
}

/**
 * The named parameters the `upsertQueue` statements of both dialects take:
 * each setting with a `set_*` flag, so undefined keeps the stored value and
 * null clears it. `flow` is recomputed from the merged settings by the caller.
 */
export function flowColumns(params: UpdateQueueParams): Record<string, unknown> {
  const r = (value: RateLimit | null | undefined) => ({
    limit: value?.limit ?? null,
    period: value?.periodMs ?? null,
    burst: value?.burst ?? null,
  });
  const q = r(params.rate);
  const g = r(params.groupRate);
  return {
    set_concurrency: params.concurrency !== undefined,
    concurrency: params.concurrency ?? null,
    set_rate: params.rate !== undefined,
    rate_limit: q.limit,
    rate_period_ms: q.period,
    rate_burst: q.burst,
    set_group_concurrency: params.groupConcurrency !== undefined,
    group_concurrency: params.groupConcurrency ?? null,
    set_group_rate: params.groupRate !== undefined,
    group_rate_limit: g.limit,
    group_rate_period_ms: g.period,
    group_rate_burst: g.burst,
    fair: params.fair ?? null,
  };
}

/** A token bucket's state: `tokens` as of `at`. Null tokens mean a full bucket (never used). */
export interface Bucket {
  tokens: number | null;
  at: number | null;
}

/** Largest number of tokens the bucket holds. */
export function capacity(limit: RateLimit): number {
  return limit.burst ?? limit.limit;
}

/**
 * Tokens in the bucket at `now`: what was there plus what refilled since,
 * capped at the capacity. A clock that went backwards (another host's) adds
 * nothing rather than taking tokens away.
 */
export function refill(bucket: Bucket, limit: RateLimit, now: number): number {
  const cap = capacity(limit);
  if (bucket.tokens === null || bucket.at === null) return cap;
  const elapsed = Math.max(0, now - bucket.at);
  return Math.min(cap, bucket.tokens + (elapsed * limit.limit) / limit.periodMs);
}

/** Whole starts the tokens allow; the epsilon absorbs float error from refills. */
export function wholeTokens(tokens: number): number {
  return Math.floor(tokens + 1e-9);
}

/** When the bucket next holds one whole token, given `tokens` at `now`. */
export function nextTokenAt(tokens: number, limit: RateLimit, now: number): number {
  if (tokens >= 1 - 1e-9) return now;
  return now + Math.ceil(((1 - tokens) * limit.periodMs) / limit.limit);
}

/**
 * The group floor (migrations: SQLite 011, PostgreSQL 010): a bucket with
 * the group rate's settings that every start of the queue takes a token
 * from. No group has taken more than all of them together, so no group's
 * own bucket holds fewer tokens than the floor. When the floor holds enough
 * for a whole claim, no group's rate can bind in it, and the claim neither
 * reads nor writes the groups' buckets (the fast path, plan.ts); a group
 * whose stored bucket is older than the last such claim ("stale") is then
 * taken to hold what the floor holds, never more than it really has. A
 * floor never set holds nothing: it fills at the group rate from its first
 * claim.
 */
export function floorTokens(floor: Bucket, limit: RateLimit, now: number): number {
  if (floor.tokens === null || floor.at === null) return 0;
  return refill(floor, limit, now);
}

/** A queue row's floor bucket and the time of its last claim that skipped the groups' buckets. */
export function rowToFloor(row: FlowRow): { floor: Bucket; skippedAt: number | null } {
  return {
    floor: { tokens: num(row.group_floor_tokens), at: num(row.group_floor_at) },
    skippedAt: num(row.group_skipped_at),
  };
}

/**
 * A group's bucket as a claim or a hold reason must read it: the stored one,
 * or, when a claim since its last write took from it without writing it
 * (see floorTokens), the floor's tokens now, which it holds at least.
 */
export function groupBucket(
  stored: Bucket,
  q: { floor: Bucket; skippedAt: number | null },
  limit: RateLimit,
  now: number,
): Bucket {
  if (q.skippedAt === null || (stored.at !== null && stored.at > q.skippedAt)) return stored;
  return { tokens: Math.max(0, floorTokens(q.floor, limit, now)), at: now };
}
