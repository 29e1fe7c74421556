import type { ApiCounts, ApiJobState } from '../../../http-client/wire.js';
import { count } from '../../lib/format.js';
import { href } from '../../lib/router.js';

const ORDER: ApiJobState[] = ['available', 'scheduled', 'active', 'completed', 'failed', 'cancelled'];
const LABEL: Record<ApiJobState, string> = {
  available: 'ready',
  scheduled: 'scheduled',
  active: 'running',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** A queue's counts by state; each opens the job list filtered to it. */
export function StateCounts({ queue, counts }: { queue: string; counts: ApiCounts }) {
  return (
    <ul class="counts" aria-label={`Jobs in ${queue} by state`}>
      {ORDER.map((state) => (
        <li key={state}>
          <a class={`count state-text-${state}`} href={href('/jobs', { queue, state })} data-count={state}>
            <span class="count-value">{count(counts[state])}</span>
            <span class="count-label">{LABEL[state]}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
