import type { FlowLimits } from '../store.js';
import { type Bucket, floorTokens, isGrouped, refill, wholeTokens } from './limits.js';
import { groupUpdates, pickGroups } from './round-robin.js';

/** A job the claim may take: enough to order it and to set its ready time. */
export interface FlowCandidate {
  id: string;
  runAt: number;
  /** '' for jobs without a group. */
  group: string;
}

/** A limited queue's row, read under the claim's lock. */
export interface QueueFlowState {
  name: string;
  flow: FlowLimits;
  bucket: Bucket;
  /** The round-robin cursor: the group served last ('' for jobs without a group), null before the first. */
  cursor: string | null;
  heldAt: number | null;
  /** The group floor (limits.ts floorTokens): a bucket with the group rate's settings. */
  floor: Bucket;
  /** The last claim that took jobs without reading or writing the groups' buckets. */
  skippedAt: number | null;
  /**
   * The last time the walk held a group back, until the queue is found
   * empty: while set, groups' hold times may matter to ready times, so the
   * fast path is off.
   */
  groupHeldAt: number | null;
}

/** A group the round-robin walk reached: its stored state, its active jobs and its first waiting job. */
export interface GroupVisit {
  /** '' for jobs without a group: exempt from group limits, one turn in the round-robin. */
  group: string;
  active: number;
  bucket: Bucket;
  heldAt: number | null;
  head: FlowCandidate;
}

/**
 * What the plan asks the store to read, inside the claim's transaction.
 * `next` is one step of the round-robin walk: the first group with
 * available jobs after `after` in cycle order ('' first, then the keys in
 * the index's order; `after` null starts before ''), and, when `upTo` is
 * set, not past it. The store compares the keys, in its own collation.
 * `bare` (the fast path) asks for the group's first job alone: its active
 * jobs and stored state go unread (0 and empty).
 */
export type FlowRead =
  | { type: 'active' }
  | { type: 'activeUpTo'; limit: number }
  | { type: 'candidates'; limit: number }
  | { type: 'next'; after: string | null; upTo: string | null; bare?: boolean }
  | { type: 'heads'; groups: string[]; limit: number };

/** What a read answers, by type. */
export type FlowAnswer = number | FlowCandidate[] | GroupVisit | null | Map<string, FlowCandidate[]>;

/** A group's state to write back after the claim. */
export interface GroupUpdate {
  group: string;
  tokens: number | null;
  refilledAt: number | null;
  heldAt: number | null;
}

/** The claim's decision for one queue: jobs to activate and state to write. */
export interface FlowPlan {
  jobs: { id: string; readyAt: number }[];
  queue: {
    tokens: number | null;
    refilledAt: number | null;
    cursor: string | null;
    heldAt: number | null;
    floor: Bucket;
    skippedAt: number | null;
    groupHeldAt: number | null;
  };
  groups: GroupUpdate[];
}

/**
 * Decides which jobs of one limited queue a claim of `limit` takes, as a
 * generator that yields the reads it needs; SQLite drives it inside its
 * synchronous transaction. PostgreSQL runs the same plan inside the server
 * (the flow_claim function, migration 010), where it costs one round trip
 * instead of one per read and write while the queue row is locked; the
 * conformance suite holds both to the same behaviour.
 *
 * Budget = min(limit, concurrency − active, whole tokens). Without group
 * settings the budget is filled in claim order. With them, groups are
 * served round-robin from a cursor on the queue row (round-robin.ts), one
 * job per group per round, each group up to its own concurrency and tokens.
 *
 * The fast path: when no group limit can bind in this claim — the queue's
 * active jobs plus the budget stay within the group concurrency, the group
 * floor holds the budget (limits.ts floorTokens), and no group was held
 * back since the queue was last empty — the walk takes the groups' first
 * jobs without their counts and buckets, and writes no group rows.
 */
export function* planFlowClaim(
  q: QueueFlowState,
  limit: number,
  now: number,
): Generator<FlowRead, FlowPlan, FlowAnswer> {
  const { flow } = q;
  let budget = limit;
  let active: number | null = null;
  if (flow.concurrency !== null) {
    active = (yield { type: 'active' }) as number;
    budget = Math.min(budget, flow.concurrency - active);
  }
  const tokens = flow.rate ? refill(q.bucket, flow.rate, now) : null;
  if (tokens !== null) budget = Math.min(budget, wholeTokens(tokens));
  budget = Math.max(0, budget);
  const queueBound = budget < limit;
  const ready = (c: FlowCandidate, groupHeldAt: number | null) =>
    Math.max(c.runAt, q.heldAt ?? c.runAt, groupHeldAt ?? c.runAt);

  let chosen: { id: string; readyAt: number }[] = [];
  let left = false;
  const groups: GroupUpdate[] = [];
  let cursor = q.cursor;
  const floor = flow.groupRate && isGrouped(flow) ? floorTokens(q.floor, flow.groupRate, now) : null;
  let fast = false;
  let groupHeldAt = q.groupHeldAt;

  if (!isGrouped(flow)) {
    // One more than the budget tells whether jobs are left waiting behind the limit.
    const candidates = (yield { type: 'candidates', limit: budget + 1 }) as FlowCandidate[];
    chosen = candidates.slice(0, budget).map((c) => ({ id: c.id, readyAt: ready(c, null) }));
    left = candidates.length > budget;
  } else if (budget === 0) {
    // Nothing to take; whether anything waits matters only when the queue's own limit binds.
    if (queueBound) left = (yield { type: 'next', after: null, upTo: null }) !== null;
  } else {
    fast = q.groupHeldAt === null && (floor === null || floor >= budget);
    if (fast && flow.groupConcurrency !== null) {
      // Counting up to the first active job past the margin is enough to know.
      const margin = flow.groupConcurrency - budget;
      active ??= margin < 0 ? 0 : ((yield { type: 'activeUpTo', limit: margin + 1 }) as number);
      fast = margin >= 0 && active <= margin;
    }
    const pick = yield* pickGroups(q, budget, now, fast);
    left = pick.left;
    if (pick.visits.some((v) => v.allowance < 1 && v.state.group !== '')) groupHeldAt = now;
    else if (pick.visits.length === 0) groupHeldAt = null;
    // On the fast path no group was held since the queue was last empty: groups' hold times do not count.
    chosen = pick.chosen.map((c) => ({
      id: c.job.id,
      readyAt: ready(c.job, fast ? null : c.visit.state.heldAt),
    }));
    // The group of the last job taken: when a claim serves every group and
    // its last round stops part way, the next claim starts with the groups
    // that round left out.
    cursor = pick.chosen.at(-1)?.visit.state.group ?? cursor;
    groups.push(...groupUpdates(pick, now));
  }
  return {
    jobs: chosen,
    queue: {
      tokens: tokens === null ? q.bucket.tokens : tokens - chosen.length,
      refilledAt: tokens === null ? q.bucket.at : Math.max(now, q.bucket.at ?? now),
      cursor,
      heldAt: queueBound && left ? now : q.heldAt,
      floor:
        floor === null ? q.floor : { tokens: floor - chosen.length, at: Math.max(now, q.floor.at ?? now) },
      skippedAt: fast && floor !== null ? now : q.skippedAt,
      groupHeldAt,
    },
    groups,
  };
}

/** Drives a plan with synchronous reads (SQLite, inside its transaction). */
export function runPlanSync(
  plan: Generator<FlowRead, FlowPlan, FlowAnswer>,
  read: (request: FlowRead) => FlowAnswer,
): FlowPlan {
  let step = plan.next(undefined as unknown as FlowAnswer);
  while (!step.done) step = plan.next(read(step.value));
  return step.value;
}
