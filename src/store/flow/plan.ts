import type { FlowLimits } from '../store.js';
import { type Bucket, isGrouped, refill, wholeTokens } from './limits.js';
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
 */
export type FlowRead =
  | { type: 'active' }
  | { type: 'candidates'; limit: number }
  | { type: 'next'; after: string | null; upTo: string | null }
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
  queue: { tokens: number | null; refilledAt: number | null; cursor: string | null; heldAt: number | null };
  groups: GroupUpdate[];
}

/**
 * Decides which jobs of one limited queue a claim of `limit` takes, as a
 * generator that yields the reads it needs; SQLite drives it inside its
 * synchronous transaction. PostgreSQL runs the same plan inside the server
 * (the flow_claim function, migration 007), where it costs one round trip
 * instead of one per read and write while the queue row is locked; the
 * conformance suite holds both to the same behaviour.
 *
 * Budget = min(limit, concurrency − active, whole tokens). Without group
 * settings the budget is filled in claim order. With them, groups are
 * served round-robin from a cursor on the queue row (round-robin.ts), one
 * job per group per round, each group up to its own concurrency and tokens.
 */
export function* planFlowClaim(
  q: QueueFlowState,
  limit: number,
  now: number,
): Generator<FlowRead, FlowPlan, FlowAnswer> {
  const { flow } = q;
  let budget = limit;
  if (flow.concurrency !== null) {
    const active = (yield { type: 'active' }) as number;
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

  if (!isGrouped(flow)) {
    // One more than the budget tells whether jobs are left waiting behind the limit.
    const candidates = (yield { type: 'candidates', limit: budget + 1 }) as FlowCandidate[];
    chosen = candidates.slice(0, budget).map((c) => ({ id: c.id, readyAt: ready(c, null) }));
    left = candidates.length > budget;
  } else if (budget === 0) {
    // Nothing to take; whether anything waits matters only when the queue's own limit binds.
    if (queueBound) left = (yield { type: 'next', after: null, upTo: null }) !== null;
  } else {
    const pick = yield* pickGroups(q, budget, now);
    left = pick.left;
    chosen = pick.chosen.map((c) => ({ id: c.job.id, readyAt: ready(c.job, c.visit.state.heldAt) }));
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
