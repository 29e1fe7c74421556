import type { FlowLimits } from '../store.js';
import { type Bucket, isGrouped, refill, wholeTokens } from './limits.js';

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
  turn: number;
  heldAt: number | null;
}

/** A group with waiting jobs: its stored state (defaults when it has no row) and its active jobs. */
export interface GroupState {
  /** '' for jobs without a group: exempt from group limits, one turn in the round-robin. */
  group: string;
  active: number;
  bucket: Bucket;
  servedTurn: number;
  heldAt: number | null;
}

/** What the plan asks the store to read, inside the claim's transaction. */
export type FlowRead =
  | { type: 'active' }
  | { type: 'candidates'; limit: number }
  | { type: 'groups' }
  | { type: 'heads'; groups: string[]; limit: number };

/** What a read answers, by type. */
export type FlowAnswer = number | FlowCandidate[] | GroupState[] | Map<string, FlowCandidate[]>;

/** A group's state to write back after the claim. */
export interface GroupUpdate {
  group: string;
  tokens: number | null;
  refilledAt: number | null;
  servedTurn: number;
  heldAt: number | null;
}

/** The claim's decision for one queue: jobs to activate and state to write. */
export interface FlowPlan {
  jobs: { id: string; readyAt: number }[];
  queue: { tokens: number | null; refilledAt: number | null; turn: number; heldAt: number | null };
  groups: GroupUpdate[];
}

/**
 * Decides which jobs of one limited queue a claim of `limit` takes, as a
 * generator that yields the reads it needs; SQLite drives it inside its
 * synchronous transaction. PostgreSQL runs the same plan inside the server
 * (the flow_claim function, migration 006), where it costs one round trip
 * instead of one per read and write while the queue row is locked; the
 * conformance suite holds both to the same behaviour.
 *
 * Budget = min(limit, concurrency − active, whole tokens). Without group
 * settings the budget is filled in claim order. With them, groups are served
 * round-robin: least recently served first (a turn counter, not the clock,
 * so ties never depend on time), one job per group per round, each group up
 * to its own concurrency and tokens.
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
  let turn = q.turn;

  if (!isGrouped(flow)) {
    // One more than the budget tells whether jobs are left waiting behind the limit.
    const candidates = (yield { type: 'candidates', limit: budget + 1 }) as FlowCandidate[];
    chosen = candidates.slice(0, budget).map((c) => ({ id: c.id, readyAt: ready(c, null) }));
    left = candidates.length > budget;
  } else {
    const states = (yield { type: 'groups' }) as GroupState[];
    const order = states
      .map((g) => {
        let allowance = Number.POSITIVE_INFINITY;
        let gTokens: number | null = null;
        if (g.group !== '') {
          if (flow.groupConcurrency !== null) allowance = flow.groupConcurrency - g.active;
          if (flow.groupRate) {
            gTokens = refill(g.bucket, flow.groupRate, now);
            allowance = Math.min(allowance, wholeTokens(gTokens));
          }
        }
        return { state: g, allowance: Math.max(0, allowance), tokens: gTokens };
      })
      .sort((a, b) => a.state.servedTurn - b.state.servedTurn || (a.state.group < b.state.group ? -1 : 1));
    const eligible = order.filter((g) => g.allowance >= 1);
    // Groups held back by their own limits: remembered so their waits are not counted as capacity waits.
    for (const g of order) {
      if (g.allowance < 1 && g.state.group !== '') {
        groups.push({
          group: g.state.group,
          tokens: g.tokens ?? g.state.bucket.tokens,
          refilledAt: g.tokens !== null ? now : g.state.bucket.at,
          servedTurn: g.state.servedTurn,
          heldAt: now,
        });
      }
    }
    left = eligible.length > budget || eligible.length < order.length;
    const serve = eligible.slice(0, budget);
    if (budget > 0 && serve.length > 0) {
      // Each group's fair share of the budget, and one more (which tells
      // whether it has jobs left): reading `budget` heads of every group
      // would lock and read up to budget × groups rows to take `budget`.
      const page = Math.min(budget, Math.ceil(budget / serve.length) + 1);
      const heads = (yield {
        type: 'heads',
        groups: serve.map((g) => g.state.group),
        limit: page,
      }) as Map<string, FlowCandidate[]>;
      const readUpTo = new Map<string, number>();
      const headCount = (g: (typeof serve)[number]) =>
        Math.min(heads.get(g.state.group)?.length ?? 0, g.allowance);
      // Short groups leave budget over: the groups whose page was full and may take more read up to `budget`.
      if (page < budget && serve.reduce((sum, g) => sum + headCount(g), 0) < budget) {
        const more = serve.filter(
          (g) => (heads.get(g.state.group)?.length ?? 0) === page && g.allowance > page,
        );
        if (more.length > 0) {
          const extra = (yield {
            type: 'heads',
            groups: more.map((g) => g.state.group),
            limit: budget,
          }) as Map<string, FlowCandidate[]>;
          for (const [group, list] of extra) heads.set(group, list);
          for (const g of more) readUpTo.set(g.state.group, budget);
        }
      }
      const taken = new Map<string, number>();
      for (let round = 0; chosen.length < budget; round++) {
        let any = false;
        for (const g of serve) {
          if (chosen.length >= budget) break;
          const list = heads.get(g.state.group) ?? [];
          if (round >= Math.min(list.length, g.allowance)) continue;
          chosen.push({ id: list[round]!.id, readyAt: ready(list[round]!, g.state.heldAt) });
          taken.set(g.state.group, round + 1);
          any = true;
        }
        if (!any) break;
      }
      for (const g of serve) {
        const n = taken.get(g.state.group) ?? 0;
        const read = heads.get(g.state.group)?.length ?? 0;
        // Jobs read but not taken are left; so may be jobs past a page that was taken whole.
        const limit = readUpTo.get(g.state.group) ?? page;
        if (n < read || (read === limit && n === read && limit < budget)) left = true;
        if (n === 0) continue;
        turn += 1;
        groups.push({
          group: g.state.group,
          tokens: g.tokens === null ? g.state.bucket.tokens : g.tokens - n,
          refilledAt: g.tokens === null ? g.state.bucket.at : now,
          servedTurn: turn,
          heldAt: g.state.heldAt,
        });
      }
    }
  }
  return {
    jobs: chosen,
    queue: {
      tokens: tokens === null ? q.bucket.tokens : tokens - chosen.length,
      refilledAt: tokens === null ? q.bucket.at : Math.max(now, q.bucket.at ?? now),
      turn,
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
