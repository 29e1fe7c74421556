import type { DocketClient } from '../../http-client/client.js';
import type { ApiJob, ApiJobState } from '../../http-client/wire.js';

/** What can be done to many jobs at once. */
export type BulkAction = 'retry' | 'cancel' | 'delete';

/** The states each action applies to; the API refuses the others with 409. */
export const ELIGIBLE: Record<BulkAction, ApiJobState[]> = {
  retry: ['failed', 'cancelled'],
  cancel: ['scheduled', 'available', 'active'],
  delete: ['scheduled', 'available', 'completed', 'failed', 'cancelled'],
};

/** Words for an action: button, progress and outcome. */
export const WORDS: Record<BulkAction, { verb: string; doing: string; done: string }> = {
  retry: { verb: 'Retry', doing: 'Retrying', done: 'retried' },
  cancel: { verb: 'Cancel', doing: 'Cancelling', done: 'cancelled' },
  delete: { verb: 'Delete', doing: 'Deleting', done: 'deleted' },
};

/** True when `action` applies to a job in `state`. */
export function allows(action: BulkAction, state: ApiJobState): boolean {
  return ELIGIBLE[action].includes(state);
}

/** Filters of the job list (the same the API takes). */
export interface JobFilter {
  states: ApiJobState[];
  queue?: string;
  task?: string;
}

/**
 * Ids of every job that matches the filter and that `action` applies to,
 * paging through the list. Only the eligible states are asked for, so
 * the count shown in the confirmation is the number of jobs acted on.
 */
export async function matchingIds(
  client: DocketClient,
  filter: JobFilter,
  action: BulkAction,
  signal: AbortSignal,
): Promise<string[]> {
  const states = filter.states.length ? filter.states.filter((s) => allows(action, s)) : ELIGIBLE[action];
  if (states.length === 0) return [];
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    if (signal.aborted) throw new DOMException('stopped', 'AbortError');
    const page = await client.listJobs({
      state: states,
      ...(filter.queue ? { queue: filter.queue } : {}),
      ...(filter.task ? { task: filter.task } : {}),
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    for (const job of page.jobs) ids.push(job.id);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** How a bulk action went. */
export interface BulkOutcome {
  done: number;
  failed: number;
  /** The first error, to show. */
  firstError: string | null;
}

/**
 * Applies `action` to each id, a few requests at a time (the API has no
 * bulk route yet, so this is one request per job). Reports progress
 * after each job; stops early when `signal` aborts.
 */
export async function runBulk(
  client: DocketClient,
  action: BulkAction,
  ids: string[],
  onProgress: (finished: number) => void,
  signal: AbortSignal,
  concurrency = 4,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { done: 0, failed: 0, firstError: null };
  let next = 0;
  const one = (id: string): Promise<unknown> =>
    action === 'retry' ? client.retry(id) : action === 'cancel' ? client.cancel(id) : client.deleteJob(id);
  const lane = async () => {
    while (next < ids.length && !signal.aborted) {
      const id = ids[next++]!;
      try {
        await one(id);
        outcome.done++;
      } catch (error) {
        outcome.failed++;
        outcome.firstError ??= `${id}: ${error instanceof Error ? error.message : String(error)}`;
      }
      onProgress(outcome.done + outcome.failed);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, lane));
  return outcome;
}

/** The jobs a selection holds that `action` applies to. */
export function eligibleOf(jobs: Iterable<ApiJob>, action: BulkAction): ApiJob[] {
  return [...jobs].filter((job) => allows(action, job.state));
}
