import type { DocketClient } from '../../http-client/client.js';
import type { ApiBulkAction, ApiJob, ApiJobFilter, ApiJobState } from '../../http-client/wire.js';

/** What can be done to many jobs at once. */
export type BulkAction = ApiBulkAction;

/** The states each action applies to (the server skips the others). */
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

/** The jobs a selection holds that `action` applies to. */
export function eligibleOf(jobs: Iterable<ApiJob>, action: BulkAction): ApiJob[] {
  return [...jobs].filter((job) => allows(action, job.state));
}

/** Filters of the job list (the same the API takes). */
export type JobFilter = ApiJobFilter;

/** How a bulk action went, summed over its requests. */
export interface BulkOutcome {
  changed: number;
  /** Jobs whose state no longer allowed the action, or that were gone. */
  skipped: number;
}

/** Most ids the API takes in one request. */
const IDS_PER_REQUEST = 1000;

/**
 * Applies `action` through the bulk routes: ids in requests of up to 1000,
 * or a filter, sent again while the server says there are `more`. Stops
 * between requests when `signal` aborts; reports the jobs done so far.
 */
export async function runBulk(
  client: DocketClient,
  action: BulkAction,
  target: { ids: string[] } | { filter: JobFilter },
  onProgress: (done: number) => void,
  signal: AbortSignal,
): Promise<BulkOutcome> {
  const outcome: BulkOutcome = { changed: 0, skipped: 0 };
  const add = (result: { changed: number; skipped: number; notFound: number }) => {
    outcome.changed += result.changed;
    outcome.skipped += result.skipped + result.notFound;
    onProgress(outcome.changed + outcome.skipped);
  };
  if ('ids' in target) {
    for (let at = 0; at < target.ids.length && !signal.aborted; at += IDS_PER_REQUEST) {
      add(await client.bulk(action, { ids: target.ids.slice(at, at + IDS_PER_REQUEST) }));
    }
    return outcome;
  }
  for (;;) {
    const result = await client.bulk(action, target);
    add(result);
    // A round that changed nothing would find the same jobs again: stop rather than loop.
    if (!result.more || result.changed === 0 || signal.aborted) return outcome;
  }
}
