import type Database from 'better-sqlite3';
import { groupHolds, queueHolds } from '../flow/hold.js';
import { type FlowRow, flag, num, rowToFloor, rowToFlow } from '../flow/limits.js';
import {
  type FlowAnswer,
  type FlowCandidate,
  type FlowPlan,
  type FlowRead,
  type GroupVisit,
  planFlowClaim,
  runPlanSync,
} from '../flow/plan.js';
import { groupOf, type JobRow } from '../rows.js';
import type { ClaimParams, HoldReason } from '../store.js';

type Stmt = (name: string) => Database.Statement;
/** Runs a statement that returns whole job rows, the fast way (see rowsReader). */
type JobRows = (name: string, params: Record<string, unknown>) => JobRow[];
type CandidateRow = { id: number; run_at: number; group_key: string | Uint8Array | null };

/** A job of the walk; '' is the group of jobs without one (stored as x'00', migration 010). */
function candidate(row: CandidateRow): FlowCandidate {
  return { id: String(row.id), runAt: row.run_at, group: groupOf(row.group_key) ?? '' };
}

/** One step of the round-robin walk (see FlowRead `next`): '' first, then the keys after `after`. */
function nextGroup(
  stmt: Stmt,
  queue: string,
  after: string | null,
  upTo: string | null,
  bare: boolean,
): GroupVisit | null {
  if (after === null) {
    const row = stmt('flowUngroupedHead').get({ queue }) as CandidateRow | undefined;
    if (row)
      return { group: '', active: 0, bucket: { tokens: null, at: null }, heldAt: null, head: candidate(row) };
  }
  const params = { queue, after: after ?? '', bare: bare ? 1 : 0 };
  const r = (
    upTo === null
      ? stmt('flowNextGroup').get(params)
      : stmt('flowNextGroupUpTo').get({ ...params, up_to: upTo })
  ) as (CandidateRow & Record<string, unknown>) | undefined;
  if (!r) return null;
  return {
    group: String(r.group_key),
    active: Number(r.active),
    bucket: { tokens: num(r.tokens), at: num(r.refilled_at) },
    heldAt: num(r.held_at),
    head: candidate(r),
  };
}

/** Answers a plan's reads for `queue` from the SQLite statements in flow.sql. */
function reader(stmt: Stmt, queue: string): (request: FlowRead) => FlowAnswer {
  return (request) => {
    switch (request.type) {
      case 'active':
        return (stmt('flowQueueActive').get({ queue }) as { n: number }).n;
      case 'activeUpTo':
        return (stmt('flowQueueActiveUpTo').get({ queue, limit: request.limit }) as { n: number }).n;
      case 'candidates':
        return (stmt('flowCandidates').all({ queue, limit: request.limit }) as CandidateRow[]).map(candidate);
      case 'next':
        return nextGroup(stmt, queue, request.after, request.upTo, request.bare === true);
      case 'heads': {
        const heads = new Map<string, FlowCandidate[]>(request.groups.map((g) => [g, []]));
        const rows = stmt('flowHeads').all({
          queue,
          groups: JSON.stringify(request.groups),
          limit: request.limit,
        }) as CandidateRow[];
        for (const row of rows) heads.get(groupOf(row.group_key) ?? '')!.push(candidate(row));
        return heads;
      }
    }
  };
}

/**
 * Claims up to `limit` jobs of one limited queue, inside the caller's
 * BEGIN IMMEDIATE transaction: plans against the queue's limits and writes
 * the jobs, the queue's bucket and round-robin cursor, and the groups' state.
 */
export function claimLimitedSqlite(
  stmt: Stmt,
  jobRows: JobRows,
  row: FlowRow,
  params: ClaimParams,
  limit: number,
): JobRow[] {
  const plan: FlowPlan = runPlanSync(
    planFlowClaim(
      {
        name: row.name,
        flow: rowToFlow(row),
        bucket: { tokens: num(row.tokens), at: num(row.refilled_at) },
        cursor: typeof row.group_cursor === 'string' ? row.group_cursor : null,
        heldAt: num(row.held_at),
        ...rowToFloor(row),
        groupHeldAt: num(row.group_held_at),
      },
      limit,
      params.now,
    ),
    reader(stmt, row.name),
  );
  const claimed =
    plan.jobs.length === 0
      ? []
      : jobRows('flowClaimJobs', {
          jobs: JSON.stringify(plan.jobs.map((j) => [Number(j.id), j.readyAt])),
          now: params.now,
          worker_id: params.workerId,
          lease_expires_at: params.now + params.leaseMs,
        });
  stmt('flowSaveQueue').run({
    name: row.name,
    tokens: plan.queue.tokens,
    refilled_at: plan.queue.refilledAt,
    group_cursor: plan.queue.cursor,
    held_at: plan.queue.heldAt,
    group_floor_tokens: plan.queue.floor.tokens,
    group_floor_at: plan.queue.floor.at,
    group_skipped_at: plan.queue.skippedAt,
    group_held_at: plan.queue.groupHeldAt,
  });
  if (plan.groups.length > 0) {
    stmt('flowSaveGroups').run({
      queue: row.name,
      groups: JSON.stringify(plan.groups.map((g) => [g.group, g.tokens, g.refilledAt, g.heldAt])),
    });
  }
  return claimed;
}

/** The queue-level limits binding now for a queue row. */
export function queueHoldsSqlite(stmt: Stmt, row: FlowRow, now: number): HoldReason[] {
  const active = (stmt('flowQueueActive').get({ queue: row.name }) as { n: number }).n;
  return queueHolds(
    row.name,
    flag(row.paused),
    rowToFlow(row),
    active,
    { tokens: num(row.tokens), at: num(row.refilled_at) },
    now,
  );
}

/** Hold reasons of the available jobs among `ids` (see Store.holdReasons). */
export function holdReasonsSqlite(stmt: Stmt, ids: string[], now: number): Record<string, HoldReason[]> {
  const jobs = stmt('flowJobs').all({
    ids: JSON.stringify(ids.filter((id) => /^\d{1,18}$/.test(id)).map(Number)),
  }) as {
    id: number;
    queue: string;
    group_key: string | Uint8Array | null;
    state: string;
  }[];
  const queues = new Map<string, { row: FlowRow | undefined; holds: HoldReason[] }>();
  const groups = new Map<string, HoldReason[]>();
  const out: Record<string, HoldReason[]> = {};
  for (const job of jobs) {
    if (job.state !== 'available') {
      out[String(job.id)] = [];
      continue;
    }
    let q = queues.get(job.queue);
    if (!q) {
      const row = stmt('flowQueue').get({ name: job.queue }) as FlowRow | undefined;
      q = { row, holds: row ? queueHoldsSqlite(stmt, row, now) : [] };
      queues.set(job.queue, q);
    }
    const reasons = [...q.holds];
    const group = groupOf(job.group_key);
    if (q.row && group !== null) {
      const key = `${job.queue}\u0000${group}`;
      let g = groups.get(key);
      if (!g) {
        const s = stmt('flowGroupState').get({ queue: job.queue, group }) as Record<string, unknown>;
        g = groupHolds(
          q.row,
          group,
          Number(s.active),
          { tokens: num(s.tokens), at: num(s.refilled_at) },
          now,
        );
        groups.set(key, g);
      }
      reasons.push(...g);
    }
    out[String(job.id)] = reasons;
  }
  return out;
}
