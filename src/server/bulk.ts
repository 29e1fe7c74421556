// Bulk retry, cancel and delete over the Docket client API: the server
// pages `listJobs` and acts on one job at a time, so every store gets bulk
// actions with the same per-job rules and events, and no bulk SQL.
import type { Docket } from '../client.js';
import { DocketError } from '../errors.js';
import type { JobState } from '../job.js';

/** What can be done to many jobs at once. */
export type BulkAction = 'retry' | 'cancel' | 'delete';

/** The states each action applies to (the per-job routes refuse the others with 409). */
export const BULK_STATES: Record<BulkAction, JobState[]> = {
  retry: ['failed', 'cancelled'],
  cancel: ['scheduled', 'available', 'active'],
  delete: ['scheduled', 'available', 'completed', 'failed', 'cancelled'],
};

/** The filters of `GET /v1/jobs`, as a bulk request or a count takes them. */
export interface JobFilter {
  state?: JobState[];
  queue?: string;
  task?: string;
  key?: string;
  text?: string;
}

/** What a bulk request did. */
export interface BulkResult {
  /** Jobs found: the ids that exist, or the jobs matching the filter in a state the action applies to. */
  matched: number;
  /** Jobs retried, cancelled (or, when running, asked to stop) or deleted. */
  changed: number;
  /** Matched jobs left alone: their state does not allow the action (or changed meanwhile). */
  skipped: number;
  /** Ids with no job (ids only; 0 for a filter). */
  notFound: number;
  /** A filter matched more jobs than one request handles: send it again for the rest. */
  more: boolean;
}

/** Requests to the store at once: enough to overlap round trips, few enough to leave room for workers. */
const PARALLEL = 4;
const PAGE = 500;

/** Acts on one job. False when the job's state refused it, or it vanished meanwhile. */
async function actOn(docket: Docket, action: BulkAction, id: string): Promise<boolean> {
  try {
    if (action === 'retry') await docket.retry(id);
    else if (action === 'cancel') await docket.cancel(id);
    else await docket.deleteJob(id);
    return true;
  } catch (error) {
    if (
      error instanceof DocketError &&
      (error.code === 'DOCKET_INVALID_STATE' || error.code === 'DOCKET_NOT_FOUND')
    ) {
      return false;
    }
    throw error;
  }
}

/** Runs `fn` over `items`, PARALLEL at a time. */
async function eachLimited<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, lane));
}

/** Applies `action` to the jobs with these ids (already deduplicated and bounded by the route). */
export async function bulkByIds(docket: Docket, action: BulkAction, ids: string[]): Promise<BulkResult> {
  const result: BulkResult = { matched: 0, changed: 0, skipped: 0, notFound: 0, more: false };
  await eachLimited([...new Set(ids)], async (id) => {
    const job = await docket.getJob(id);
    if (!job) {
      result.notFound++;
      return;
    }
    result.matched++;
    const changed = BULK_STATES[action].includes(job.state) && (await actOn(docket, action, id));
    if (changed) result.changed++;
    else result.skipped++;
  });
  return result;
}

/** The filter's states that `action` applies to (all of them when the filter names none). */
function statesFor(filter: JobFilter, action: BulkAction | undefined): JobState[] | undefined {
  if (action === undefined) return filter.state?.length ? filter.state : undefined;
  const eligible = BULK_STATES[action];
  return filter.state?.length ? filter.state.filter((s) => eligible.includes(s)) : eligible;
}

/** Ids of jobs matching the filter in `states`, newest first, at most `limit` (+1 to tell there are more). */
async function idsMatching(
  docket: Docket,
  filter: JobFilter,
  states: JobState[] | undefined,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await docket.listJobs({
      ...filter,
      ...(states ? { state: states } : {}),
      limit: Math.min(PAGE, limit + 1 - ids.length),
      ...(cursor ? { cursor } : {}),
    });
    for (const job of page.jobs) ids.push(job.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length <= limit);
  return ids;
}

/**
 * Applies `action` to at most `limit` jobs matching the filter, in a state
 * the action applies to. `more` says whether others remain.
 */
export async function bulkByFilter(
  docket: Docket,
  action: BulkAction,
  filter: JobFilter,
  limit: number,
): Promise<BulkResult> {
  const result: BulkResult = { matched: 0, changed: 0, skipped: 0, notFound: 0, more: false };
  const states = statesFor(filter, action)!;
  if (states.length === 0) return result;
  const ids = await idsMatching(docket, filter, states, limit);
  result.more = ids.length > limit;
  const chosen = ids.slice(0, limit);
  result.matched = chosen.length;
  await eachLimited(chosen, async (id) => {
    if (await actOn(docket, action, id)) result.changed++;
    else result.skipped++;
  });
  return result;
}

/** How many jobs match the filter (and, given an action, are in a state it applies to). */
export interface JobCount {
  count: number;
  /** True when counting stopped at the cap: there are at least `count`. */
  capped: boolean;
}

/**
 * Counts jobs matching the filter. Queue and state alone are read from the
 * per-state counts (one cheap query); task, key or text page the list, up
 * to `cap` jobs.
 */
export async function countMatching(
  docket: Docket,
  filter: JobFilter,
  action: BulkAction | undefined,
  cap: number,
): Promise<JobCount> {
  const states = statesFor(filter, action);
  if (states?.length === 0) return { count: 0, capped: false };
  if (filter.task === undefined && filter.key === undefined && filter.text === undefined) {
    const rows = await docket.counts(filter.queue);
    let count = 0;
    for (const row of rows) {
      for (const [state, n] of Object.entries(row.counts)) {
        if (!states || states.includes(state as JobState)) count += n;
      }
    }
    return { count, capped: false };
  }
  const ids = await idsMatching(docket, filter, states, cap);
  return { count: Math.min(ids.length, cap), capped: ids.length > cap };
}
