// The round-robin between groups of a flow-limited queue: a cursor on the
// queue row (the group served last) and a walk over the groups after it.
import { groupBucket, refill, wholeTokens } from './limits.js';
import type { FlowAnswer, FlowCandidate, FlowRead, GroupUpdate, GroupVisit, QueueFlowState } from './plan.js';

/** A visited group and what its own limits let it take now. */
export interface Visit {
  state: GroupVisit;
  allowance: number;
  /** Its group-rate tokens refilled to now; null without a group rate. */
  tokens: number | null;
}

/** What the grouped part of a claim decided. */
export interface GroupedPick {
  /** In the order taken: round by round, in walk order within a round. */
  chosen: { job: FlowCandidate; visit: Visit }[];
  /** Every group the walk visited, in walk order. */
  visits: Visit[];
  /** Jobs taken per served group. */
  taken: Map<Visit, number>;
  /** Jobs may be left waiting (true when unsure). */
  left: boolean;
}

/**
 * The round-robin walk: groups with available jobs in cycle order ('' for
 * jobs without a group, then the keys in index order), starting after the
 * queue's cursor and wrapping around once, until `budget` groups whose own
 * limits let them take a job are found or every group was visited. Each
 * step is one index seek that also yields the group's first job, so a claim
 * reads as many groups as it serves, not every waiting group. A group that
 * gets jobs behind the cursor waits at most one cycle.
 */
function* walkGroups(
  q: QueueFlowState,
  budget: number,
  now: number,
  fast: boolean,
): Generator<FlowRead, { visits: Visit[]; complete: boolean }, FlowAnswer> {
  const { flow } = q;
  const visits: Visit[] = [];
  let eligible = 0;
  let after = q.cursor;
  // A walk from the start of the cycle covers it without wrapping.
  let wrapped = q.cursor === null;
  while (eligible < budget) {
    const state = (yield {
      type: 'next',
      after,
      upTo: wrapped ? q.cursor : null,
      bare: fast,
    }) as GroupVisit | null;
    if (state === null) {
      if (wrapped) return { visits, complete: true };
      wrapped = true;
      after = null;
      continue;
    }
    let allowance = Number.POSITIVE_INFINITY;
    let tokens: number | null = null;
    // On the fast path no group limit can bind (plan.ts): its count and bucket go unread.
    if (state.group !== '' && !fast) {
      if (flow.groupConcurrency !== null) allowance = flow.groupConcurrency - state.active;
      if (flow.groupRate) {
        tokens = refill(groupBucket(state.bucket, q, flow.groupRate, now), flow.groupRate, now);
        allowance = Math.min(allowance, wholeTokens(tokens));
      }
    }
    visits.push({ state, allowance: Math.max(0, allowance), tokens });
    if (allowance >= 1) eligible += 1;
    after = state.group;
  }
  return { visits, complete: false };
}

/**
 * Picks up to `budget` jobs by group. When the walk found `budget` groups
 * (the usual case with many groups), each takes the first job the walk
 * already read. Otherwise every group was visited, and the served groups'
 * first jobs are read a page at a time: each group's fair share of the
 * budget and one more (which tells whether it has jobs left), and when
 * short groups leave budget over, the groups whose page was full and may
 * take more read up to `budget`; reading `budget` jobs of every group would
 * read up to budget × groups rows to take `budget`. Jobs are then taken
 * round-robin in walk order, one per group per round.
 */
export function* pickGroups(
  q: QueueFlowState,
  budget: number,
  now: number,
  fast: boolean,
): Generator<FlowRead, GroupedPick, FlowAnswer> {
  const { visits, complete } = yield* walkGroups(q, budget, now, fast);
  const serve = visits.filter((v) => v.allowance >= 1);
  // Jobs of a group passed over, or past what a served group took, may be left; true when unsure.
  let left = !complete || serve.length < visits.length;
  if (!complete) {
    const chosen = serve.map((visit) => ({ job: visit.state.head, visit }));
    return { chosen, visits, taken: new Map(serve.map((v) => [v, 1])), left };
  }
  if (serve.length === 0) return { chosen: [], visits, taken: new Map(), left };
  const page = Math.min(budget, Math.ceil(budget / serve.length) + 1);
  const heads = (yield { type: 'heads', groups: serve.map((v) => v.state.group), limit: page }) as Map<
    string,
    FlowCandidate[]
  >;
  const list = (v: Visit) => heads.get(v.state.group) ?? [];
  const readUpTo = new Map<Visit, number>();
  if (page < budget && serve.reduce((sum, v) => sum + Math.min(list(v).length, v.allowance), 0) < budget) {
    const more = serve.filter((v) => list(v).length === page && v.allowance > page);
    if (more.length > 0) {
      const extra = (yield {
        type: 'heads',
        groups: more.map((v) => v.state.group),
        limit: budget,
      }) as Map<string, FlowCandidate[]>;
      for (const [group, jobs] of extra) heads.set(group, jobs);
      for (const v of more) readUpTo.set(v, budget);
    }
  }
  const chosen: GroupedPick['chosen'] = [];
  const taken = new Map<Visit, number>();
  for (let round = 0; chosen.length < budget; round++) {
    let any = false;
    for (const visit of serve) {
      if (chosen.length >= budget) break;
      if (round >= Math.min(list(visit).length, visit.allowance)) continue;
      chosen.push({ job: list(visit)[round]!, visit });
      taken.set(visit, round + 1);
      any = true;
    }
    if (!any) break;
  }
  for (const v of serve) {
    const n = taken.get(v) ?? 0;
    const read = list(v).length;
    // Jobs read but not taken are left; so may be jobs past a page that was taken whole.
    const limit = readUpTo.get(v) ?? page;
    if (n < read || (read === limit && n === read && limit < budget)) left = true;
  }
  return { chosen, visits, taken, left };
}

/**
 * The group state a pick writes back: groups the walk passed over because
 * their own limits hold them (marked held now, so their waits are not
 * counted as capacity waits), and the rate tokens of the groups it served.
 * Groups without a rate that were served have nothing to write.
 */
export function groupUpdates(pick: GroupedPick, now: number): GroupUpdate[] {
  const updates: GroupUpdate[] = [];
  for (const v of pick.visits) {
    const n = pick.taken.get(v) ?? 0;
    const { group, bucket, heldAt } = v.state;
    if (v.allowance < 1 && group !== '') {
      updates.push({
        group,
        tokens: v.tokens ?? bucket.tokens,
        refilledAt: v.tokens !== null ? now : bucket.at,
        heldAt: now,
      });
    } else if (n > 0 && v.tokens !== null) {
      updates.push({ group, tokens: v.tokens - n, refilledAt: now, heldAt });
    }
  }
  return updates;
}
