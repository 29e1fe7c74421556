import { groupHolds, queueHolds } from '../flow/hold.js';
import { type FlowRow, flag, num, rowToFlow } from '../flow/limits.js';
import {
  type FlowAnswer,
  type FlowCandidate,
  type FlowRead,
  type GroupState,
  planFlowClaim,
  runPlanAsync,
} from '../flow/plan.js';
import type { JobRow } from '../rows.js';
import type { ClaimParams, HoldReason } from '../store.js';

type Row = Record<string, unknown>;
/** The store's statement runner, on a given connection (the claim's transaction) or the pool. */
export type RunStatement = (
  name: string,
  values: Record<string, unknown>,
  executor?: unknown,
) => Promise<Row[]>;

function candidate(row: Row): FlowCandidate {
  return { id: String(row.id), runAt: Number(row.run_at), group: (row.group_key as string | null) ?? '' };
}

/** Answers a plan's reads for `queue` from flow.sql, on the transaction's client. */
function reader(
  run: RunStatement,
  client: unknown,
  queue: string,
): (request: FlowRead) => Promise<FlowAnswer> {
  return async (request) => {
    switch (request.type) {
      case 'active':
        return Number((await run('flowQueueActive', { queue }, client))[0]!.n);
      case 'candidates':
        return (await run('flowCandidates', { queue, limit: request.limit }, client)).map(candidate);
      case 'groups':
        return (await run('flowGroups', { queue }, client)).map(
          (r): GroupState => ({
            group: String(r.group_key),
            active: Number(r.active),
            bucket: { tokens: num(r.tokens), at: num(r.refilled_at) },
            servedTurn: Number(r.served_turn),
            heldAt: num(r.held_at),
          }),
        );
      case 'heads': {
        const rows = await run('flowHeads', { queue, groups: request.groups, limit: request.limit }, client);
        const heads = new Map<string, FlowCandidate[]>();
        for (const row of rows) {
          const c = candidate(row);
          heads.set(c.group, [...(heads.get(c.group) ?? []), c]);
        }
        return heads;
      }
    }
  };
}

/**
 * Claims up to `limit` jobs of the limited queues `names`, inside the
 * caller's transaction on `client`: locks their queue rows (so claims of a
 * limited queue take turns on every host), promotes their due jobs, then
 * plans and writes each queue in turn.
 */
export async function claimLimitedPg(
  run: RunStatement,
  client: unknown,
  names: string[],
  params: ClaimParams,
  limit: number,
): Promise<JobRow[]> {
  const rows = (await run('flowLockQueues', { names }, client)) as unknown as FlowRow[];
  if (rows.length === 0) return [];
  await run('flowPromote', { names: rows.map((r) => r.name), now: params.now }, client);
  const claimed: JobRow[] = [];
  for (const row of rows) {
    if (claimed.length >= limit) break;
    const plan = await runPlanAsync(
      planFlowClaim(
        {
          name: row.name,
          flow: rowToFlow(row),
          bucket: { tokens: num(row.tokens), at: num(row.refilled_at) },
          turn: Number(row.turn),
          heldAt: num(row.held_at),
        },
        limit - claimed.length,
        params.now,
      ),
      reader(run, client, row.name),
    );
    if (plan.jobs.length > 0) {
      const done = await run(
        'flowClaimJobs',
        {
          ids: plan.jobs.map((j) => j.id),
          ready_ats: plan.jobs.map((j) => j.readyAt),
          now: params.now,
          worker_id: params.workerId,
          lease_expires_at: params.now + params.leaseMs,
        },
        client,
      );
      claimed.push(...(done as unknown as JobRow[]));
    }
    await run(
      'flowSaveQueue',
      {
        name: row.name,
        tokens: plan.queue.tokens,
        refilled_at: plan.queue.refilledAt,
        turn: plan.queue.turn,
        held_at: plan.queue.heldAt,
      },
      client,
    );
    if (plan.groups.length > 0) {
      await run(
        'flowSaveGroups',
        {
          queue: row.name,
          groups: plan.groups.map((g) => g.group),
          tokens: plan.groups.map((g) => g.tokens),
          refilled_ats: plan.groups.map((g) => g.refilledAt),
          served_turns: plan.groups.map((g) => g.servedTurn),
          held_ats: plan.groups.map((g) => g.heldAt),
        },
        client,
      );
    }
  }
  return claimed;
}

/** The queue-level limits binding now for a queue row. */
export async function queueHoldsPg(run: RunStatement, row: FlowRow, now: number): Promise<HoldReason[]> {
  const flow = rowToFlow(row);
  const active =
    flow.concurrency === null ? 0 : Number((await run('flowQueueActive', { queue: row.name }))[0]!.n);
  return queueHolds(
    row.name,
    flag(row.paused),
    flow,
    active,
    { tokens: num(row.tokens), at: num(row.refilled_at) },
    now,
  );
}

/** Hold reasons of the available jobs among `ids` (see Store.holdReasons). */
export async function holdReasonsPg(
  run: RunStatement,
  ids: string[],
  now: number,
): Promise<Record<string, HoldReason[]>> {
  const valid = ids.filter((id) => /^\d{1,18}$/.test(id));
  if (valid.length === 0) return {};
  const jobs = await run('flowJobs', { ids: valid });
  const queues = new Map<string, { row: FlowRow | undefined; holds: HoldReason[] }>();
  const groups = new Map<string, HoldReason[]>();
  const out: Record<string, HoldReason[]> = {};
  for (const job of jobs) {
    const id = String(job.id);
    const queue = String(job.queue);
    const group = job.group_key as string | null;
    if (job.state !== 'available') {
      out[id] = [];
      continue;
    }
    let q = queues.get(queue);
    if (!q) {
      const [row] = (await run('flowQueue', { name: queue })) as unknown as FlowRow[];
      q = { row, holds: row ? await queueHoldsPg(run, row, now) : [] };
      queues.set(queue, q);
    }
    const reasons = [...q.holds];
    if (q.row && group !== null) {
      const key = `${queue}\u0000${group}`;
      let g = groups.get(key);
      if (!g) {
        const [s] = await run('flowGroupState', { queue, group });
        g = groupHolds(
          queue,
          group,
          rowToFlow(q.row),
          Number(s!.active),
          { tokens: num(s!.tokens), at: num(s!.refilled_at) },
          now,
        );
        groups.set(key, g);
      }
      reasons.push(...g);
    }
    out[id] = reasons;
  }
  return out;
}
