import { groupHolds, queueHolds } from '../flow/hold.js';
import { type FlowRow, flag, num, rowToFlow } from '../flow/limits.js';
import type { JobRow } from '../rows.js';
import type { ClaimParams, HoldReason } from '../store.js';

type Row = Record<string, unknown>;
/** The store's statement runner (on its pool). */
export type RunStatement = (name: string, values: Record<string, unknown>) => Promise<Row[]>;

/**
 * Claims up to `limit` jobs of the limited queues `names` in one call to
 * the flow_claim function (migration 010): it locks their queue rows (so
 * claims of a limited queue take turns on every host), promotes their due
 * jobs, then plans and writes each queue in turn, all inside the server,
 * with the same plan as src/store/flow/plan.ts.
 */
export async function claimLimitedPg(
  run: RunStatement,
  names: string[],
  params: ClaimParams,
  limit: number,
): Promise<JobRow[]> {
  return (await run('flowClaim', {
    names,
    limit,
    now: params.now,
    worker_id: params.workerId,
    lease_expires_at: params.now + params.leaseMs,
  })) as unknown as JobRow[];
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
          q.row,
          group,
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
