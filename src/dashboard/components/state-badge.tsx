import type { ApiJobState } from '../../http-client/wire.js';

/** A job state as a coloured label (the word is always there; colour only helps). */
export function StateBadge({ state }: { state: ApiJobState }) {
  return <span class={`badge state-${state}`}>{state}</span>;
}
